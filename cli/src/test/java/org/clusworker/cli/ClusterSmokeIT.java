package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.cli.testing.HostProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-process: a real ZooKeeper server process, three 'clusworker run' nodes, one group whose process
 * appends 'node epoch time' to a shared file while it runs. The owner is killed with SIGKILL, or frozen
 * with SIGSTOP past its session timeout; the group comes back on another node with a higher epoch, and
 * the file never shows two incarnations alive at once.
 */
class ClusterSmokeIT {

    static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<HostProcess> processes = new ArrayList<>();
    private final Map<String, HostProcess> nodes = new LinkedHashMap<>();

    @AfterEach
    void stopAll() {
        for (HostProcess p : processes) {
            p.close();
        }
        // the resource processes run in sessions of their own: kill them by the marker in their command line
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .forEach(ProcessTree::killTree);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** One line of the history: which node, which epoch, when (ns). */
    record Line(String node, long epoch, long nanos) {
    }

    private List<Line> history() throws IOException {
        Path h = dir.resolve("history");
        if (!Files.exists(h)) {
            return List.of();
        }
        List<Line> lines = new ArrayList<>();
        for (String l : Files.readAllLines(h)) {
            String[] f = l.strip().split(" ");
            if (f.length == 3 && !f[1].isEmpty()) {
                lines.add(new Line(f[0], Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        return lines;
    }

    /** The node that writes the newest line, with its epoch; null if none writes yet. */
    private Line latest() throws IOException {
        List<Line> h = history();
        return h.isEmpty() ? null : h.getLast();
    }

    /** No line of an older epoch after the first line of a newer one: never two incarnations at once. */
    private void assertNoOverlap() throws IOException {
        List<Line> h = history();
        long newest = 0;
        long newestSince = Long.MIN_VALUE;
        for (Line l : h) {
            if (l.epoch() > newest) {
                newest = l.epoch();
                newestSince = l.nanos();
            }
        }
        Map<Long, Long> firstOf = new LinkedHashMap<>();
        for (Line l : h) {
            firstOf.putIfAbsent(l.epoch(), l.nanos());
        }
        for (Line l : h) {
            for (Map.Entry<Long, Long> e : firstOf.entrySet()) {
                if (e.getKey() > l.epoch()) {
                    assertThat(l.nanos()).as("a line of epoch %d (%s) after epoch %d began", l.epoch(), l.node(), e.getKey())
                            .isLessThan(e.getValue());
                }
            }
        }
        assertThat(newestSince).isNotEqualTo(Long.MIN_VALUE);
    }

    private Line awaitNewOwner(long afterEpoch) throws Exception {
        try {
            return org.awaitility.Awaitility.await().atMost(LONG).pollInterval(Duration.ofMillis(50))
                    .until(this::latest, l -> l != null && l.epoch() > afterEpoch);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no owner with an epoch above " + afterEpoch + " within " + LONG + "; history ends "
                    + history().subList(Math.max(0, history().size() - 3), history().size()) + "\n" + nodes.values(), e);
        }
    }

    private void startCluster() throws Exception {
        int port = freePort();
        HostProcess zk = HostProcess.start(Files.createDirectories(dir.resolve("zk-home")), "zookeeper", "--port", Integer.toString(port), "-d",
                dir.resolve("zk").toString(), "--tick", "200ms");
        processes.add(zk);
        zk.awaitOutput("serving on", LONG);
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, """
                host:
                  name: smoke
                  stateDirectory: %1$s/state
                cluster:
                  name: smoke
                  nodes: [a, b, c]
                  zookeeper: {connect: "127.0.0.1:%2$d/clusworker/smoke", sessionTimeout: 3s}
                  lease: {probeInterval: 200ms, pauseAllowance: 300ms, takeoverDelay: 200ms}
                groups:
                  - name: web
                    resources: [writer]
                    stopBudget: 500ms
                resources:
                  - name: writer
                    type: process
                    parameters:
                      command: [sh, -c, 'while true; do echo "$CLUSWORKER_NODE $CLUSWORKER_EPOCH $(date +%%s%%N)" >> %1$s/history; sleep 0.05; done']
                """.formatted(dir, port));
        for (String n : List.of("a", "b", "c")) {
            Path home = Files.createDirectories(dir.resolve("home-" + n));
            HostProcess p = HostProcess.start(home, "run", file.toString(), "--node", n, "--view", "plain");
            processes.add(p);
            nodes.put(n, p);
        }
    }

    @Test
    void ownerKilled_theGroupComesBackElsewhereWithAHigherEpoch_neverTwoAtOnce() throws Exception {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        startCluster();
        Line first = awaitNewOwner(0);
        nodes.get(first.node()).handle().destroyForcibly();      // kill -9 of the owner's JVM; its watchdog lives
        Line second = awaitNewOwner(first.epoch());
        assertThat(second.node()).isNotEqualTo(first.node());
        // let the new owner write a while: any old incarnation would show meanwhile
        org.awaitility.Awaitility.await().atMost(LONG).until(() -> history().stream().filter(l -> l.epoch() == second.epoch()).count() >= 10);
        assertNoOverlap();
        assertThat(Files.readString(dir.resolve("state/" + first.node() + "/watchdog.log")))
                .contains("the host is gone")
                .contains("group web (epoch " + first.epoch() + ") recorded as stopped cleanly");
        // so the new owner took it over without waiting its takeover delay
        HostProcess next = nodes.get(second.node());
        assertThat(next.out() + next.err()).contains("failover: stopped by the watchdog of " + first.node());
    }

    @Test
    void ownerFrozen_pastItsSessionTimeout_theGroupMoves_andTheOldOwnerDoesNotRunItAgain() throws Exception {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        startCluster();
        Line first = awaitNewOwner(0);
        HostProcess owner = nodes.get(first.node());
        owner.signal("STOP");
        try {
            Line second = awaitNewOwner(first.epoch());
            assertThat(second.node()).isNotEqualTo(first.node());
            // still frozen while the new owner runs a while
            org.awaitility.Awaitility.await().atMost(LONG).until(() -> history().stream().filter(l -> l.epoch() == second.epoch()).count() >= 10);
        } finally {
            owner.signal("CONT");
        }
        // the old owner runs again: it must not start the group
        org.awaitility.Awaitility.await().during(Duration.ofSeconds(3)).atMost(LONG)
                .until(() -> history().stream().noneMatch(l -> l.node().equals(first.node()) && l.epoch() > first.epoch()));
        assertNoOverlap();
        assertThat(history().stream().filter(l -> l.node().equals(first.node()) && l.epoch() > first.epoch())).isEmpty();
        assertThat(latest().node()).isNotEqualTo(first.node());
    }
}
