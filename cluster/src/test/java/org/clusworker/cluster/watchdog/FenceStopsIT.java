package org.clusworker.cluster.watchdog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clusworker.host.agent.FenceActions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the watchdog kills and runs when a host is gone: marked processes, stop commands; with real processes. */
class FenceStopsIT {

    @TempDir
    Path dir;

    @Test
    void aStopThatTimesOut_isKilledWithEverythingItStarted() throws Exception {
        Path child = dir.resolve("child.pid");
        // a stop that hangs in a child of its own, as an agent's stop waiting on a hung command does
        FenceActions.StopCommand hung = new FenceActions.StopCommand(List.of("sh", "-c", "sleep 300 & echo $! > \"$PIDFILE\"; wait"),
                Map.of("PIDFILE", child.toString()), Duration.ofMillis(500));
        List<String> log = new ArrayList<>();

        boolean stopped = Fence.runStops(List.of(hung), log::add);

        assertThat(stopped).isFalse();
        assertThat(log).singleElement().asString().contains("timed out after 500ms");
        long pid = Long.parseLong(Files.readString(child).strip());
        org.awaitility.Awaitility.await("the hung stop's child gone").atMost(Duration.ofSeconds(10))
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive() || zombie(pid)).orElse(true));
    }

    @Test
    void aStopThatSucceedsOrFindsNothingRunning_counts() {
        List<String> log = new ArrayList<>();
        assertThat(Fence.runStops(List.of(new FenceActions.StopCommand(List.of("true"), Map.of(), Duration.ofSeconds(10)),
                new FenceActions.StopCommand(List.of("sh", "-c", "exit 7"), Map.of(), Duration.ofSeconds(10))), log::add)).isTrue();
        assertThat(Fence.runStops(List.of(new FenceActions.StopCommand(List.of("sh", "-c", "exit 1"), Map.of(), Duration.ofSeconds(10))),
                log::add)).isFalse();
        assertThat(log).hasSize(3).last().asString().contains("failed with exit 1");
    }

    @Test
    void killNow_killsTheProcessItsDescendantsAndTheMembersOfTheGroupItLeads() throws Exception {
        List<Long> started = new ArrayList<>();
        Process root = treeInOwnGroup(dir.resolve("pids"), started);
        try {
            Fence.killNow(List.of(root.pid()));

            awaitAllGone(List.of(root), started);
        } finally {
            org.clusworker.agents.support.ProcessTree.killGroup(root.toHandle());
        }
    }

    /**
     * A resource's root process exited while its parent did not reap it (the host JVM stopped by SIGSTOP):
     * a zombie, which still leads its process group. The first kills skipped zombies, so they found no
     * leader and left the group's other members running past the fence.
     */
    @Test
    void killNow_aZombieRootStillLeadsItsGroup_whoseMembersAreKilled() throws Exception {
        Path pids = dir.resolve("pids");
        // the root gets a session of its own, starts a member, and exits; its parent has exec'd a program that reaps nothing
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "(exec setsid sh -c 'sleep 601 & echo $! >> \"$PIDS\"; echo $$ >> \"$PIDS\"; sleep 0.5') &"
                + " exec sleep 600").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PIDS", pids.toString());
        Process parent = pb.start();
        try {
            org.awaitility.Awaitility.await("the root written").atMost(Duration.ofSeconds(10))
                    .until(() -> Files.exists(pids) && Files.readAllLines(pids).size() == 2);
            long member = Long.parseLong(Files.readAllLines(pids).get(0).strip());
            long root = Long.parseLong(Files.readAllLines(pids).get(1).strip());
            org.awaitility.Awaitility.await("the root a zombie").atMost(Duration.ofSeconds(10)).until(() -> zombie(root) && Files.exists(
                    Path.of("/proc", Long.toString(root))));
            assertThat(ProcessHandle.of(member)).as("the member runs").hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

            assertThat(Fence.killNow(List.of(root))).containsExactly(root);

            awaitAllGone(List.of(), List.of(member));
        } finally {
            parent.destroyForcibly();
            if (Files.exists(pids)) {
                for (String pid : Files.readAllLines(pids)) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /**
     * A process in a group of its own with a child, and a double-forked member re-parented away (no descendant
     * any more); their pids are added to {@code started}.
     */
    private static Process treeInOwnGroup(Path pids, List<Long> started) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(org.clusworker.agents.support.ProcessTree.inOwnSession(List.of("sh", "-c",
                "sleep 600 & echo $! >> \"$PIDS\"; (sleep 601 & echo $! >> \"$PIDS\"); wait"))).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PIDS", pids.toString());
        Process root = pb.start();
        org.awaitility.Awaitility.await("both started").atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(pids) && Files.readAllLines(pids).size() == 2);
        org.clusworker.agents.support.ProcessTree.awaitOwnGroup(root.toHandle(), Duration.ofSeconds(5));
        Files.readAllLines(pids).forEach(l -> started.add(Long.parseLong(l.strip())));
        return root;
    }

    private static void awaitAllGone(List<Process> roots, List<Long> others) {
        org.awaitility.Awaitility.await("all gone").atMost(Duration.ofSeconds(10)).until(() -> roots.stream().noneMatch(Process::isAlive)
                && others.stream().allMatch(pid -> ProcessHandle.of(pid).map(p -> !p.isAlive() || zombie(pid)).orElse(true)));
    }

    /**
     * Seed 480044 of the chaos campaign on 62d4b7a: a watchdog woke at its fence time, but its first kills
     * took 505 ms, and a resource wrote past the takeover time. The first run of the kills in a JVM loaded
     * classes (0.2 s on an idle machine) and read /proc once per process to kill: the watchdog now runs them
     * once ahead, and the kills read /proc once.
     */
    @Test
    void firstKills_inAWatchdogJvm_loadNoClass_andKillEveryTreeAndGroupMember() throws Exception {
        List<Process> roots = new ArrayList<>();
        List<Long> started = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                roots.add(treeInOwnGroup(dir.resolve("pids-" + i), started));
            }
            Path classes = dir.resolve("classes.log");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xlog:class+load=info:file=" + classes, "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), FirstKillsMain.class.getName()));
            roots.forEach(r -> cmd.add(Long.toString(r.pid())));
            Process jvm = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(jvm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(jvm.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the JVM ended: %s", out).isTrue();
            assertThat(jvm.exitValue()).as(out).isZero();
            assertThat(out).contains("leaders " + roots.stream().map(Process::pid).toList());

            List<String> log = Files.readAllLines(classes);
            int before = indexOf(log, "FirstKillsMain$Before");
            int after = indexOf(log, "FirstKillsMain$After");
            assertThat(before).as("the marker before the kills in %s", classes).isNotNegative();
            assertThat(log.subList(before + 1, after)).as("classes the first kills loaded themselves").isEmpty();
            awaitAllGone(roots, started);
        } finally {
            roots.forEach(r -> org.clusworker.agents.support.ProcessTree.killGroup(r.toHandle()));
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text + " ")) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void marked_findsTheGroupsProcessesOfItsOwnHostOnly_notThoseOfAnotherHostWithTheSameNames() throws Exception {
        Process mine = marked("8801");
        Process other = marked("8802");     // another cluster's host on this machine: same node and group names
        try {
            assertThat(Fence.marked("fence-it-node", "8801", List.of("fence-it-group"))).contains(mine.pid()).doesNotContain(other.pid());
            assertThat(Fence.marked("fence-it-node", "8801", List.of("another-group"))).doesNotContain(mine.pid());
            assertThat(Fence.marked("fence-it-node", null, List.of("fence-it-group"))).contains(mine.pid(), other.pid());
        } finally {
            mine.destroyForcibly();
            other.destroyForcibly();
        }
    }

    @Test
    void scanner_keepsTheHostsMarkedProcessesByGroup_lookingOnlyAtNewOnesEachTime() throws Exception {
        Fence.Scanner scanner = new Fence.Scanner();
        Process mine = marked("8803");
        Process other = marked("8804");
        try {
            scanner.update("fence-it-node", "8803");
            assertThat(scanner.of(List.of("fence-it-group"))).containsExactly(mine.pid());
            assertThat(scanner.of(List.of("another-group"))).isEmpty();
            Process later = marked("8803");
            try {
                assertThat(scanner.of(List.of("fence-it-group"))).doesNotContain(later.pid());     // not looked at yet
                scanner.update("fence-it-node", "8803");
                assertThat(scanner.of(List.of("fence-it-group"))).containsExactlyInAnyOrder(mine.pid(), later.pid());
            } finally {
                later.destroyForcibly();
                later.waitFor();
            }
            mine.destroyForcibly();
            mine.waitFor();
            scanner.update("fence-it-node", "8803");
            assertThat(scanner.of(List.of("fence-it-group"))).isEmpty();     // gone: forgotten
        } finally {
            mine.destroyForcibly();
            other.destroyForcibly();
        }
    }

    private static Process marked(String host) throws java.io.IOException {
        ProcessBuilder pb = new ProcessBuilder("sleep", "60");
        pb.environment().putAll(Map.of("CLUSWORKER_NODE", "fence-it-node", "CLUSWORKER_GROUP", "fence-it-group", "CLUSWORKER_HOST", host));
        return pb.start();
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException gone) {
            return true;
        }
    }
}
