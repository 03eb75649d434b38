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
        // one exec, as a spawn's, straight into the marked program (through env(1) there were two, and in the moment
        // between them the process had left the host's image without its marks yet)
        Process spawn = start("sleep 3; export CLUSWORKER_NODE=n CLUSWORKER_HOST=h CLUSWORKER_GROUP=g; exec /bin/sleep 600");
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

    /**
     * Chaos seed 470086 (I1-I4): the host's JVM was killed while a writer it spawned was inside its exec, on a
     * machine whose CPUs were saturated. In that moment the process has left the host's image but shows neither
     * the new program's arguments nor its environment (the kernel has not laid them out yet), so both looks of
     * the fence, for spawns and for marks, missed it; the watchdog recorded the group as stopped cleanly and the
     * writer ran on for 49 s beside the next owner's. Here a shell started with no argument and no environment
     * stands for that moment, and later execs into a marked process.
     */
    @Test
    void aSpawnInsideItsExec_showingNoArgumentsNorEnvironment_isWaitedFor_thenFound() throws Exception {
        Process host = start("sleep 600; :");
        Fence.HostImage image = awaitImage(host.pid());
        // perl execs /bin/sh with one empty argument and an empty environment: sh then reads its commands from its input
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/perl", "-e", "%ENV = (); exec {'/bin/sh'} ''; die \"exec: $!\"");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process spawn = pb.start();
        started.add(spawn);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> image.spawning(host.pid(), Fence.bootTicks()).contains(spawn.pid()));
        assertThat(Fence.marked("n", "h", List.of("g"))).as("not marked inside its exec").doesNotContain(spawn.pid());

        long goneAt = Fence.bootTicks();       // the host "dies" now: its spawn started before
        assertThat(image.spawning(host.pid(), goneAt)).as("a spawn to wait for").contains(spawn.pid());
        // the wait's first look may come before or after the exec below: either way it returns once the exec is done
        java.util.concurrent.CompletableFuture<List<Long>> waited =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> Fence.awaitSpawns(image, host.pid(), goneAt, 60_000));
        try (var in = spawn.getOutputStream()) {
            // one exec, as a spawn's: from the shell with no environment straight to the marked program
            in.write("export CLUSWORKER_NODE=n CLUSWORKER_HOST=h CLUSWORKER_GROUP=g; exec /bin/sleep 600\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        waited.get(90, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(image.spawning(host.pid(), goneAt)).doesNotContain(spawn.pid());
        assertThat(Fence.marked("n", "h", List.of("g"))).as("marked once its exec is done").contains(spawn.pid());
        assertThat(Fence.kill(List.of(spawn.pid()), m -> { })).isTrue();
    }

    /**
     * A spawn the machine keeps from its exec past the fence's wait: still in the host's image, it is the host's
     * without doubt, and would exec its resource's program after the fence's last look for marks: it is killed.
     * A process inside an exec may be anyone's: it is reported and left alone.
     */
    @Test
    void aSpawnStillShortOfItsExecAtTheTimeout_isKilled_oneInsideAnExec_isLeftAlone() throws Exception {
        Process host = start("sleep 600; :");
        Fence.HostImage image = awaitImage(host.pid());
        Process stuck = start("read -t 600 line; :");   // the host's image, and it never execs (nor forks: read is a builtin)
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/perl", "-e", "%ENV = (); exec {'/bin/sh'} ''; die \"exec: $!\"");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process inExec = pb.start();                     // no argument, no environment: as inside an exec, forever
        started.add(inExec);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> image.spawning(host.pid(), Fence.bootTicks()).containsAll(List.of(stuck.pid(), inExec.pid())));
        long goneAt = Fence.bootTicks();

        Fence.LateSpawns spawns = Fence.awaitOrKillSpawns(image, host.pid(), goneAt, 500);

        assertThat(spawns.waited()).contains(stuck.pid(), inExec.pid());
        assertThat(spawns.killed()).as("host %d, stuck %d, in exec %d", host.pid(), stuck.pid(), inExec.pid()).containsExactly(stuck.pid());
        assertThat(spawns.unknown()).contains(inExec.pid()).doesNotContain(stuck.pid());
        assertThat(stuck.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("killed").isTrue();
        assertThat(inExec.isAlive()).as("left alone").isTrue();
        assertThat(host.isAlive()).as("the host is not its own spawn").isTrue();
    }

    /**
     * A spawn through the JDK's spawn helper carries the environment the host's C library holds, which may hold
     * more than the host started with (libfaketime adds FAKETIME_SHARED): it is waited for all the same; a
     * helper with another environment is not. {@code sleep} stands for the helper here.
     */
    @Test
    void theSpawnHelper_withTheHostsEnvironmentAndMore_isWaitedFor_withAnother_isNot() throws Exception {
        Process host = start("sleep 600; :");
        Fence.HostImage bash = awaitImage(host.pid());
        Fence.HostImage image = new Fence.HostImage(bash.exe(), java.nio.file.Path.of("/bin/sleep").toRealPath(), bash.environ(), bash.vmKb());
        ProcessBuilder more = new ProcessBuilder("/bin/sleep", "600");
        more.environment().clear();
        more.environment().putAll(HOST_ENV);
        more.environment().put("FAKETIME_SHARED", "/faketime_sem_1 /faketime_shm_1");
        Process helper = more.start();
        started.add(helper);
        ProcessBuilder less = new ProcessBuilder("/bin/sleep", "600");
        less.environment().clear();
        less.environment().put("PATH", "/usr/bin:/bin");
        Process other = less.start();
        started.add(other);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> sleeping(helper.pid()) && sleeping(other.pid()));

        List<Long> spawning = image.spawning(host.pid(), Fence.bootTicks());
        assertThat(spawning).contains(helper.pid()).doesNotContain(other.pid());
        assertThat(image.spawning(host.pid(), startTicks(helper.pid()) - 1)).as("started after the host was gone").doesNotContain(helper.pid());
    }

    private static boolean sleeping(long pid) throws java.io.IOException {
        return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc", Long.toString(pid), "exe")).getFileName().toString().equals("sleep");
    }

    private static long startTicks(long pid) throws java.io.IOException {
        String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
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
        assertThat(startTicks(p.pid())).isBetween(before, after);
    }

    private static Fence.HostImage awaitImage(long pid) {
        // the JDK's spawn helper runs first: the image is bash's once it exec'd
        return org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> Fence.HostImage.of(pid), i -> i != null && i.exe().getFileName().toString().contains("bash"));
    }
}
