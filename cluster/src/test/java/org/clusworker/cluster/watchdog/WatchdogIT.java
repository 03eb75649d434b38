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

    /** Whether every process has exited within the patience. */
    private static boolean awaitGone(List<ProcessHandle> processes) {
        try {
            await("processes " + processes + " gone").until(() -> processes.stream().noneMatch(ProcessHandle::isAlive));
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private static List<ProcessHandle> awaitGroupOf(long pgid, int size) {
        await(size + " processes in group " + pgid).until(() -> group(pgid).size() >= size);
        return group(pgid);
    }

    /** A real-time wait of at most the patience, polled every 20 ms. */
    private static org.awaitility.core.ConditionFactory await(String what) {
        return org.awaitility.Awaitility.await(what).atMost(Duration.ofMillis(PATIENCE_MS)).pollInterval(Duration.ofMillis(20));
    }

    /**
     * The client's view of whether its watchdog still guards, on the caller's clock (here an hour ahead of the
     * real one, so that the process never reaches these fence times): until its fence time, across renewals
     * sent before it however close; once a fence time passed without a renewal, spent for good, whatever
     * later renewals say. (A node whose lease nears its end, its probes slow, does not replace its watchdog
     * at every probe.)
     */
    @Test
    void guards_untilAFenceTimePassesWithoutARenewal_thenNeverAgain() {
        watchdog = WatchdogClient.start(dir.resolve("watchdog.log"));
        long s = Duration.ofMillis(500).toNanos();
        long t = System.nanoTime() + Duration.ofHours(1).toNanos();
        assertThat(watchdog.guards(t)).as("no fence time yet").isTrue();
        watchdog.renew(t, t + 2 * s, "a", null, List.of(), List.of());
        watchdog.renew(t + 2 * s - 1, t + 3 * s, "a", null, List.of(), List.of());     // just in time
        assertThat(watchdog.guards(t + 3 * s - 1)).as("up to its fence time").isTrue();
        assertThat(watchdog.guards(t + 3 * s)).as("at its fence time").isFalse();
        watchdog.renew(t + 3 * s + 1, t + 10 * s, "a", null, List.of(), List.of());
        assertThat(watchdog.guards(t + 4 * s)).as("for good").isFalse();
        assertThat(watchdog.isAlive()).isTrue();

        WatchdogClient late = WatchdogClient.start(dir.resolve("watchdog-2.log"));
        try {
            late.renew(t, t + 2 * s, "a", null, List.of(), List.of());
            late.renew(t + 2 * s, t + 6 * s, "a", null, List.of(), List.of());          // sent at the fence time
            assertThat(late.guards(t + 2 * s + 1)).isFalse();
            WatchdogClient none = WatchdogClient.start(dir.resolve("watchdog-3.log"));
            try {
                none.renew(t, Long.MAX_VALUE, "a", null, List.of(), List.of());          // no group: no fence time
                assertThat(none.guards(Long.MAX_VALUE - 1)).isTrue();
            } finally {
                none.close();
            }
        } finally {
            late.close();
        }
    }

    /** A watchdog that fences tells its host so, on its standard output: the host counts on it no more. */
    @Test
    void fenceTime_passes_theWatchdogSaysItFired_andNoLongerGuards() throws Exception {
        watchdog = WatchdogClient.start(dir.resolve("watchdog.log"));
        watchdog.renew(System.nanoTime(), System.nanoTime() + Duration.ofMillis(300).toNanos(), "a", null, List.of(), List.of());
        await("the watchdog says it fired").until(watchdog::fired);
        assertThat(watchdog.guards(System.nanoTime() - Duration.ofHours(1).toNanos())).as("whatever the caller's clock says").isFalse();
        assertThat(watchdog.awaitExit(PATIENCE_MS)).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("watchdog.log"))).contains("the host did not renew its lease before the fence time");
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

    /**
     * On a saturated machine an ordinary process can wait for a CPU past its fence time (chaos seed 310003:
     * a watchdog killed 0.9 s after it, while the harness itself saw stalls under 0.3 s): once started, every
     * thread of the watchdog runs at real-time priority (SCHED_RR) where that is allowed, and its log says which.
     */
    @Test
    void started_runsEveryThreadAtRealTimePriority_whereAllowed() throws Exception {
        Process probe = new ProcessBuilder("sleep", "30").start();
        boolean allowed;
        try {
            allowed = new ProcessBuilder("chrt", "--rr", "--pid", "1", Long.toString(probe.pid())).start().waitFor() == 0;
        } finally {
            probe.destroyForcibly();
        }
        watchdog = WatchdogClient.start(dir.resolve("watchdog.log"));
        await("the watchdog says how it is scheduled")
                .until(() -> Files.exists(dir.resolve("watchdog.log")) && Files.readString(dir.resolve("watchdog.log")).contains("runs "));
        String log = Files.readString(dir.resolve("watchdog.log"));
        org.junit.jupiter.api.Assumptions.assumeTrue(allowed,
                "real-time priority is not allowed here (no CAP_SYS_NICE); the watchdog said: " + log.strip());
        assertThat(log).contains("runs at real-time priority (SCHED_RR 1)");
        List<String> policies;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(watchdog.pid()), "task"))) {
            policies = tasks.map(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[38];    // field 41, policy: 2 is SCHED_RR
                } catch (java.io.IOException gone) {
                    return "2";     // a thread that ended meanwhile
                }
            }).toList();
        }
        assertThat(policies).as("the scheduling policy of each thread").isNotEmpty().containsOnly("2");
    }

    /**
     * A renewal copied before the last one sent is dropped. A node's prober and its decisions both renew; the
     * prober's copy, taken before a group was acquired, could reach the pipe after the decision's, and the
     * watchdog then guarded what was owned before: nothing of the new group would have been fenced.
     */
    @Test
    void renewal_copiedBeforeTheLastOneSent_isDropped() throws Exception {
        victim = victim();
        List<ProcessHandle> members = awaitGroupOf(victim.pid(), 2);
        watchdog = WatchdogClient.start(dir.resolve("watchdog.log"));
        long now = System.nanoTime();
        watchdog.renew(2, now, now + Duration.ofSeconds(1).toNanos(), "a", null, List.of(new WatchdogClient.OwnedGroup("x", 1, 0)),
                List.of(new FenceActions(List.of(victim.pid()), Optional.empty())));
        watchdog.renew(1, now, Long.MAX_VALUE, "a", null, List.of(), List.of());     // the older copy: nothing owned yet
        assertThat(awaitGone(members)).as("group %s fenced at the newer copy's fence time", members).isTrue();
        assertThat(watchdog.awaitExit(PATIENCE_MS)).isEqualTo(3);
    }
}
