package org.clusworker.cluster.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A process the host was spawning when it died (chaos seed 390221, an I1 violation: the host's JVM was
 * killed while a writer was between its fork and its exec; the watchdog's scan of the marks missed it, the
 * watchdog recorded the group as stopped cleanly, and the writer ran on beside the next owner's). Until its
 * exec such a child runs in the host's image, unmarked. Here a shell stands for the host, and a second shell
 * with the host's executable and environment for its spawn, which after a while execs into a marked process.
 */
class FenceLateSpawnIT {

    private static final Map<String, String> HOST_ENV = Map.of("PATH", "/usr/bin:/bin", "FENCE_LATE_SPAWN_IT", "host");

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(p -> org.clusworker.agents.support.ProcessTree.killTree(p.toHandle()));
    }

    private Process start(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", script);
        pb.environment().clear();
        pb.environment().putAll(HOST_ENV);
        Process p = pb.start();
        started.add(p);
        return p;
    }

    @Test
    void aSpawnBetweenItsForkAndItsExec_isMissedByTheMarks_waitedFor_thenFound() throws Exception {
        Process host = start("sleep 600; :");       // the ':' keeps bash from exec'ing sleep: bash stays the host's image
        Fence.HostImage image = awaitImage(host.pid());
        Process spawn = start("sleep 3; exec env CLUSWORKER_NODE=n CLUSWORKER_HOST=h CLUSWORKER_GROUP=g sleep 600");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> image.spawning(host.pid(), Fence.bootTicks()).contains(spawn.pid()));

        assertThat(Fence.marked("n", "h", List.of("g"))).as("not marked before its exec").doesNotContain(spawn.pid());
        long goneAt = Fence.bootTicks();       // the host "dies" now: its spawn started before
        List<Long> waited = Fence.awaitSpawns(image, host.pid(), goneAt, 30_000);

        assertThat(waited).contains(spawn.pid());
        assertThat(image.spawning(host.pid(), goneAt)).doesNotContain(spawn.pid());
        assertThat(Fence.marked("n", "h", List.of("g"))).as("marked once it exec'd").contains(spawn.pid());
        assertThat(Fence.kill(List.of(spawn.pid()), m -> { })).isTrue();
        // gone (Fence.kill saw it dead); Process learns it when the JDK's reaper has collected its exit status
        assertThat(spawn.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("dead").isTrue();
    }

    @Test
    void processesOfAnotherImage_areNotWaitedFor() throws Exception {
        Process host = start("sleep 600; :");
        Fence.HostImage image = awaitImage(host.pid());
        ProcessBuilder other = new ProcessBuilder("/bin/bash", "-c", "sleep 600; :");
        other.environment().clear();
        other.environment().put("PATH", "/usr/bin:/bin");      // the same executable, another environment
        Process p = other.start();
        started.add(p);

        long t0 = System.nanoTime();
        assertThat(Fence.awaitSpawns(image, host.pid(), Fence.bootTicks(), 30_000)).doesNotContain(p.pid()).doesNotContain(host.pid());
        assertThat((System.nanoTime() - t0) / 1_000_000).as("no wait for it").isLessThan(10_000);
    }

    /** A service manager's restart of the host: its executable and environment, one thread at first, but not its address space. */
    @Test
    void aNewProcessOfTheHostsImage_withoutItsAddressSpace_isNotWaitedFor() throws Exception {
        // the stand-in host grows its address space by ~100 MB, as a JVM reserves its heap
        Process host = start("x=$(head -c 50000000 /dev/zero | tr '\\0' a); sleep 600; :");
        Fence.HostImage image = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Fence.HostImage.of(host.pid()), i -> i != null && i.exe().getFileName().toString().contains("bash")
                        && i.vmKb() > 50_000);
        Process restarted = start("sleep 600; :");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Fence.HostImage.of(restarted.pid()), i -> i != null && i.exe().getFileName().toString().contains("bash"));

        assertThat(image.spawning(host.pid(), Fence.bootTicks())).doesNotContain(restarted.pid());
    }

    /**
     * A restart of the host that has already reserved as much as the host (a small heap, a busy machine that
     * kept the dead host's watchdog from a CPU): it started after the host was known gone, so it is no spawn.
     */
    @Test
    void aNewProcessOfTheHostsImage_startedAfterTheHostWasGone_isNotWaitedFor() throws Exception {
        String grow = "x=$(head -c 50000000 /dev/zero | tr '\\0' a); sleep 600; :";
        Process host = start(grow);
        Fence.HostImage image = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Fence.HostImage.of(host.pid()), i -> i != null && i.exe().getFileName().toString().contains("bash")
                        && i.vmKb() > 50_000);
        long goneAt = Fence.bootTicks();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Fence.bootTicks() > goneAt + 1);
        Process restarted = start(grow);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Fence.HostImage.of(restarted.pid()), i -> i != null && i.exe().getFileName().toString().contains("bash")
                        && i.vmKb() >= image.vmKb() / 2);

        assertThat(image.spawning(host.pid(), Long.MAX_VALUE)).as("its image alone would make it a spawn").contains(restarted.pid());
        assertThat(image.spawning(host.pid(), goneAt)).doesNotContain(restarted.pid());
        assertThat(Fence.awaitSpawns(image, host.pid(), goneAt, 30_000)).doesNotContain(restarted.pid());
    }

    @Test
    void bootTicks_areTheClockOfAProcesssStartTime() throws Exception {
        long before = Fence.bootTicks();
        Process p = start("sleep 600; :");
        long after = Fence.bootTicks();
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(p.pid()), "stat"));
        long started = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        assertThat(started).isBetween(before, after);
    }

    private static Fence.HostImage awaitImage(long pid) {
        // the JDK's spawn helper runs first: the image is bash's once it exec'd
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Fence.HostImage.of(pid), i -> i != null && i.exe().getFileName().toString().contains("bash"));
    }
}
