package org.clusworker.cluster.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusworker.host.agent.FenceActions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog as a real process, guarding real processes. */
class WatchdogIT {

    private static final long PATIENCE_MS = 30_000;

    @TempDir
    Path dir;

    private Process victim;
    private WatchdogClient watchdog;

    @AfterEach
    void cleanUp() {
        if (victim != null) {
            org.clusworker.agents.support.ProcessTree.killGroup(victim.toHandle());     // the double-forked orphan too
        }
        if (watchdog != null && watchdog.isAlive()) {
            watchdog.close();
        }
    }

    /** A process in a session of its own that double-forks a sleeper: the middle process exits at once. */
    private Process victim() throws Exception {
        return new ProcessBuilder("/usr/bin/setsid", "sh", "-c", "(sleep 300 &) ; exec sleep 300").start();
    }

    private static List<ProcessHandle> group(long pgid) {
        return org.clusworker.agents.support.ProcessTree.groupMembers(pgid);
    }

    private static boolean awaitGone(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (processes.stream().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static List<ProcessHandle> awaitGroupOf(long pgid, int size) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_MS * 1_000_000;
        while (group(pgid).size() < size) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Expected " + size + " processes in group " + pgid + ", found " + group(pgid));
            }
            Thread.sleep(20);
        }
        return group(pgid);
    }

    @Test
    void fenceTime_passesWithoutARenewal_killsTheWholeGroupIncludingTheDoubleForkedOrphan() throws Exception {
        victim = victim();
        List<ProcessHandle> members = awaitGroupOf(victim.pid(), 2);
        watchdog = WatchdogClient.start(dir.resolve("watchdog.log"));
        watchdog.renew(System.nanoTime() + Duration.ofSeconds(1).toNanos(), List.of(new FenceActions(List.of(victim.pid()), Optional.empty())));
        assertThat(members).allMatch(ProcessHandle::isAlive);
        assertThat(awaitGone(members)).as("group %s gone after the fence time", members).isTrue();
        assertThat(watchdog.awaitExit(PATIENCE_MS)).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("watchdog.log"))).contains("did not renew its lease before the fence time");
    }

    @Test
    void pipeCloses_withoutARelease_killsAtOnceAndRunsTheStopCommand() throws Exception {
        victim = victim();
        List<ProcessHandle> members = awaitGroupOf(victim.pid(), 2);
        Path stopped = dir.resolve("stopped");
        watchdog = WatchdogClient.start(dir.resolve("watchdog.log"));
        FenceActions.StopCommand stop = new FenceActions.StopCommand(List.of("sh", "-c", "echo \"$WHY\" > " + stopped), Map.of("WHY", "fenced"),
                Duration.ofSeconds(10));
        watchdog.renew(System.nanoTime() + Duration.ofHours(1).toNanos(), List.of(new FenceActions(List.of(victim.pid()), Optional.of(stop))));
        watchdog.dropPipe();      // as the host's death does
        assertThat(awaitGone(members)).isTrue();
        assertThat(watchdog.awaitExit(PATIENCE_MS)).isEqualTo(3);
        assertThat(Files.readString(stopped).strip()).isEqualTo("fenced");
        assertThat(Files.readString(dir.resolve("watchdog.log"))).contains("the host is gone");
    }

    @Test
    void release_exitsWithoutTouchingAnything() throws Exception {
        victim = victim();
        List<ProcessHandle> members = awaitGroupOf(victim.pid(), 2);
        watchdog = WatchdogClient.start(dir.resolve("watchdog.log"));
        watchdog.renew(System.nanoTime() + Duration.ofMillis(300).toNanos(), List.of(new FenceActions(List.of(victim.pid()), Optional.empty())));
        watchdog.renew(Long.MAX_VALUE, List.of());     // renewed: nothing owned any more
        watchdog.close();
        assertThat(watchdog.awaitExit(PATIENCE_MS)).isZero();
        assertThat(members).allMatch(ProcessHandle::isAlive);
    }
}
