package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.cli.testing.HostProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-process: a real ZooKeeper server process, two 'clusworker run' nodes and three groups whose
 * processes append 'node epoch time' to a file of their own. The operator drains the owner with
 * 'clusworker cluster drain', reads 'simulate' and 'history', and resumes it with --failback.
 */
class ClusterMaintenanceIT {

    private static final Duration LONG = Duration.ofSeconds(60);
    private static final List<String> GROUPS = List.of("g1", "g2", "g3");

    @TempDir
    Path dir;

    private final List<HostProcess> processes = new ArrayList<>();
    private Path file;

    @AfterEach
    void stopAll() {
        for (HostProcess p : processes) {
            p.close();
        }
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .forEach(ProcessTree::killTree);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Line(String node, long epoch, long nanos) {
    }

    private List<Line> history(String group) throws IOException {
        Path h = dir.resolve("history-" + group);
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

    /** Whether every group's newest line is {@code node}'s and newer than {@code afterNanos}. */
    private boolean allWrittenBy(String node, long afterNanos) throws IOException {
        for (String g : GROUPS) {
            List<Line> h = history(g);
            if (h.isEmpty() || !h.getLast().node().equals(node) || h.getLast().nanos() < afterNanos) {
                return false;
            }
        }
        return true;
    }

    /** For each group: no line of an older epoch after the first line of a newer one. */
    private void assertNoOverlap() throws IOException {
        for (String g : GROUPS) {
            List<Line> h = history(g);
            for (Line l : h) {
                for (Line m : h) {
                    if (m.epoch() > l.epoch()) {
                        long firstOfNewer = h.stream().filter(x -> x.epoch() == m.epoch()).mapToLong(Line::nanos).min().orElseThrow();
                        assertThat(l.nanos()).as("group %s: a line of epoch %d (%s) after epoch %d began", g, l.epoch(), l.node(), m.epoch())
                                .isLessThan(firstOfNewer);
                    }
                }
            }
        }
    }

    private HostProcess cli(String... args) throws Exception {
        HostProcess p = HostProcess.start(Files.createDirectories(dir.resolve("home-cli")), args);
        processes.add(p);
        return p;
    }

    private String run(String... args) throws Exception {
        HostProcess p = cli(args);
        assertThat(p.awaitExit(LONG)).as(p.toString()).isZero();
        return p.out();
    }

    private void startCluster() throws Exception {
        int port = freePort();
        HostProcess zk = HostProcess.start(Files.createDirectories(dir.resolve("zk-home")), "zookeeper", "--port", Integer.toString(port), "-d",
                dir.resolve("zk").toString(), "--tick", "200ms");
        processes.add(zk);
        zk.awaitOutput("serving on", LONG);
        file = dir.resolve("cluster.yaml");
        StringBuilder yaml = new StringBuilder("""
                host:
                  name: maint
                  stateDirectory: %1$s/state
                cluster:
                  name: maint
                  nodes: [a, b]
                  zookeeper: {connect: "127.0.0.1:%2$d/clusworker/maint", sessionTimeout: 3s}
                  lease: {probeInterval: 200ms, pauseAllowance: 300ms, takeoverDelay: 200ms}
                groups:
                """.formatted(dir, port));
        for (String g : GROUPS) {
            yaml.append("""
                      - name: %1$s
                        resources: [%1$s-writer]
                        preferredOwners: [a]
                        stopBudget: 500ms
                    """.formatted(g));
        }
        yaml.append("resources:\n");
        for (String g : GROUPS) {
            yaml.append("""
                      - name: %1$s-writer
                        type: process
                        parameters:
                          command: [sh, -c, 'while true; do echo "$CLUSWORKER_NODE $CLUSWORKER_EPOCH $(date +%%s%%N)" >> %2$s/history-%1$s; sleep 0.05; done']
                    """.formatted(g, dir));
        }
        Files.writeString(file, yaml.toString());
        for (String n : List.of("a", "b")) {
            processes.add(HostProcess.start(Files.createDirectories(dir.resolve("home-" + n)), "run", file.toString(), "--node", n,
                    "--view", "plain"));
            if (n.equals("a")) {
                org.awaitility.Awaitility.await("every group online on a").atMost(LONG).pollInterval(Duration.ofMillis(50))
                        .until(() -> allWrittenBy("a", 0));
            }
        }
        org.awaitility.Awaitility.await("b up").atMost(LONG).pollInterval(Duration.ofMillis(200))
                .until(() -> run("cluster", "status", "--config", file.toString()).matches("(?s).*\\nb +up .*"));
    }

    @Test
    void drain_movesThreeGroupsOffTheNode_eachOnlineElsewhere_noneTwice_thenResumeFailsThemBack() throws Exception {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        startCluster();

        String simulated = run("cluster", "simulate", "--down", "a", "--config", file.toString());
        for (String g : GROUPS) {
            assertThat(simulated).contains(g + ": a -> b (PLACE: its owner a is down");
        }

        // the same prediction from a saved moment, with no ZooKeeper at hand
        Path saved = dir.resolve("status.json");
        Files.writeString(saved, run("cluster", "status", "--json", "--config", file.toString()));
        String instant = "\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z";         // the moment differs: the decisions do not
        assertThat(run("cluster", "simulate", "--down", "a", "--snapshot", saved.toString()).replaceAll(instant, "T"))
                .isEqualTo(simulated.replaceAll(instant, "T"));

        long drainedAfter = System.nanoTime();
        String drained = run("cluster", "drain", "a", "--config", file.toString());
        assertThat(drained).contains("node a draining: moving g1, g2, g3")
                .contains("g1: online on b (epoch 2)").contains("g2: online on b (epoch 2)").contains("g3: online on b (epoch 2)")
                .contains("node a drained; it stays paused until 'clusworker cluster resume a'");
        org.awaitility.Awaitility.await("every group written by b").atMost(LONG).until(() -> allWrittenBy("b", drainedAfter));
        assertThat(run("cluster", "status", "--config", file.toString())).containsPattern("\\na +paused ");
        assertThat(run("cluster", "history", "g2", "--config", file.toString()))
                .containsPattern("1 +- +a +start +start").containsPattern("2 +a +b +planned +drain of a");

        long resumedAfter = System.nanoTime();
        assertThat(run("cluster", "resume", "a", "--failback", "--config", file.toString()))
                .contains("node a resumed: it hosts groups again; moving back: g1, g2, g3");
        org.awaitility.Awaitility.await("every group back on a").atMost(LONG).until(() -> allWrittenBy("a", resumedAfter));
        assertNoOverlap();
    }
}
