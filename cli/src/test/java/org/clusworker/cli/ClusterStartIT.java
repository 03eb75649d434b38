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
import org.awaitility.Awaitility;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.cli.testing.HostProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: a node started while its ZooKeeper is not there says so, keeps trying with backoff and
 * starts no group; once a real ZooKeeper server answers on that address, the node joins and starts it.
 */
class ClusterStartIT {

    static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<HostProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(HostProcess::close);
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(dir.toString())).orElse(false))
                .forEach(ProcessTree::killTree);
    }

    @Test
    void zooKeeperUnreachableAtStart_theNodeSaysSo_startsNothing_andJoinsOnceItAnswers() throws Exception {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        int port = freePort();
        Path file = configuration(port);
        Path history = dir.resolve("history");
        HostProcess node = start(Files.createDirectories(dir.resolve("home-a")), "run", file.toString(), "--node", "a", "--view", "plain");

        Awaitility.await().atMost(LONG).until(() -> !node.handle().isAlive()
                || (node.out() + node.err()).contains("cannot reach ZooKeeper at 127.0.0.1:" + port));
        assertThat(node.handle().isAlive()).as(node.toString()).isTrue();
        assertThat(history).as("no group starts without ZooKeeper").doesNotExist();

        HostProcess zk = start(Files.createDirectories(dir.resolve("zk-home")), "zookeeper", "--port", Integer.toString(port),
                "-d", dir.resolve("zk").toString(), "--tick", "200ms");
        zk.awaitOutput("serving on", LONG);
        Awaitility.await().atMost(LONG).until(() -> Files.exists(history) && Files.readString(history).contains("a 1"));
        assertThat(node.out() + node.err()).contains("Node a: joined cluster start", "acquired group web with epoch 1");

        node.signal("TERM");
        assertThat(node.awaitExit(LONG)).as(node.toString()).isEqualTo(ExitCodes.OK);
    }

    private Path configuration(int port) throws IOException {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, """
                host:
                  name: start
                  stateDirectory: %1$s/state
                cluster:
                  name: start
                  nodes: [a, b]
                  zookeeper: {connect: "127.0.0.1:%2$d/clusworker/start", sessionTimeout: 3s}
                  lease: {probeInterval: 200ms, pauseAllowance: 300ms, takeoverDelay: 200ms}
                groups:
                  - name: web
                    resources: [writer]
                    stopBudget: 500ms
                resources:
                  - name: writer
                    type: process
                    parameters:
                      command: [sh, -c, 'while true; do echo "$CLUSWORKER_NODE $CLUSWORKER_EPOCH" >> %1$s/history; sleep 0.1; done']
                """.formatted(dir, port));
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void zooKeeperNeverAnswers_sigterm_endsTheNodePromptly() throws Exception {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        int port = freePort();
        HostProcess node = start(Files.createDirectories(dir.resolve("home-a")), "run", configuration(port).toString(), "--node", "a",
                "--view", "plain");
        Awaitility.await().atMost(LONG).until(() -> !node.handle().isAlive()
                || (node.out() + node.err()).contains("cannot reach ZooKeeper at 127.0.0.1:" + port));
        node.signal("TERM");
        // Curator would retry the removal of its cache's watch for minutes; the node closes without it
        assertThat(node.awaitExit(Duration.ofSeconds(30))).as(node.toString()).isEqualTo(ExitCodes.OK);
        assertThat(dir.resolve("history")).doesNotExist();
    }

    @Test
    void zooKeeperGone_sigterm_theDrainStopsTheGroupsInPlaceSoon_insteadOfWaitingOutItsTimeout() throws Exception {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        int port = freePort();
        Path file = configuration(port);
        HostProcess zk = start(Files.createDirectories(dir.resolve("zk-home")), "zookeeper", "--port", Integer.toString(port),
                "-d", dir.resolve("zk").toString(), "--tick", "200ms");
        zk.awaitOutput("serving on", LONG);
        HostProcess node = start(Files.createDirectories(dir.resolve("home-a")), "run", file.toString(), "--node", "a", "--view", "plain");
        Path history = dir.resolve("history");
        Awaitility.await().atMost(LONG).until(() -> Files.exists(history) && Files.readString(history).contains("a 1"));
        zk.handle().destroyForcibly();                    // the ensemble is gone
        zk.awaitExit(LONG);
        long signalled = System.nanoTime();
        node.signal("TERM");                              // a drain: but no group can be handed over without ZooKeeper
        assertThat(node.awaitExit(Duration.ofSeconds(60))).as(node.toString()).isEqualTo(ExitCodes.OK);
        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(60));    // the drain's limit is 5 min
        assertThat(node.err()).contains("node a cannot reach ZooKeeper at 127.0.0.1:" + port + "/clusworker/start for 5s: "
                + "its groups cannot be moved; stopping them here");
    }

    private HostProcess start(Path home, String... args) throws IOException {
        HostProcess p = HostProcess.start(home, args);
        processes.add(p);
        return p;
    }
}
