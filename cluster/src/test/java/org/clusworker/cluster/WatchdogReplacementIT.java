package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingServer;
import org.clusworker.cluster.testing.MemoryType;
import org.clusworker.cluster.watchdog.WatchdogClient;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceTypes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node never runs a group unguarded: a watchdog exits after it has fenced the node's groups (the host
 * froze or was cut off past its fence time); when the host lives on, it starts a new watchdog before any
 * group of it starts again, and takes nothing while none can be started. Found by the chaos harness
 * (seed 102): a node left without its watchdog took a group, was killed, and its processes ran on beside
 * the new owner's.
 */
class WatchdogReplacementIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final MemoryType.History history = new MemoryType.History();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
    }

    private ClusterNode node(TestingServer zkServer, WatchdogClient first, Supplier<WatchdogClient> replacement) throws Exception {
        ClusterSpec spec = new ClusterSpec("guard", "a", List.of("a", "b"), zkServer.getConnectString(), Duration.ofSeconds(3),
                new ClusterSpec.LeaseSettings(Duration.ofMillis(200), Duration.ofMillis(300), 0.01, Duration.ofMillis(200)),
                List.of(GroupSpec.of("web", List.of("app"), List.of("a"))).stream()
                        .map(g -> new GroupSpec(g.name(), g.resources(), g.preferredOwners(), g.failoverThreshold(), g.failoverPeriod(),
                                Duration.ofMillis(500), g.onStopFailure())).toList(), Map.of());
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(spec.connect()).namespace("guard")
                .sessionTimeoutMs(3_000).connectionTimeoutMs(2_000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
        ClusterNode node = new ClusterNode(spec, zk, System::nanoTime, Clock.systemUTC());
        ResourceHost host = ResourceHost.builder().name("a").stateDirectory(Files.createDirectories(dir.resolve("state")))
                .types(new ResourceTypes().register(new MemoryType("a", history)))
                .resource(new ResourceSpec("app", "memory", Map.of(), List.of(), org.clusworker.host.ResourcePolicy.DEFAULTS))
                .heldOffline(ClusterNode.groupedResources(spec)).build();
        node.guardWith(first, replacement);
        host.start();
        node.start(host);
        closing.add(host);
        closing.add(node);
        return node;
    }

    @Test
    void watchdogEnded_theNodeStartsANewOne_andKeepsItsGroupGuarded() throws Exception {
        TestingServer zk = new TestingServer();
        closing.add(zk);
        WatchdogClient first = WatchdogClient.start(dir.resolve("watchdog-1.log"));
        List<WatchdogClient> started = new ArrayList<>(List.of(first));
        ClusterNode node = node(zk, first, () -> {
            WatchdogClient w = WatchdogClient.start(dir.resolve("watchdog-" + (started.size() + 1) + ".log"));
            started.add(w);
            return w;
        });
        org.awaitility.Awaitility.await("app online on a").atMost(PATIENCE).until(() -> history.alive("app").size() == 1);

        ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();          // as a watchdog ends after its fence
        org.awaitility.Awaitility.await("a new watchdog").atMost(PATIENCE)
                .until(() -> node.watchdog() != first && node.watchdog().isAlive());
        assertThat(started).hasSize(2);
        assertThat(node.ownedGroups()).containsKey("web");
        assertThat(history.alive("app")).hasSize(1);
        // it is renewed like the first: it knows the node and its group
        org.awaitility.Awaitility.await("the new watchdog renewed").atMost(PATIENCE)
                .until(() -> Files.exists(dir.resolve("watchdog-2.log")) && node.watchdog().isAlive());
        started.forEach(WatchdogClient::close);
    }

    @Test
    void watchdogEnded_andNoneCanStart_theNodeTakesNoGroup() throws Exception {
        TestingServer zk = new TestingServer();
        closing.add(zk);
        WatchdogClient first = WatchdogClient.start(dir.resolve("watchdog-1.log"));
        first.close();                                                            // ended before the node took anything
        ClusterNode node = node(zk, first, () -> {
            throw new IllegalStateException("no java here");
        });
        org.awaitility.Awaitility.await("web untouched").during(Duration.ofMillis(1_500)).atMost(PATIENCE)
                .until(() -> node.ownedGroups().isEmpty() && history.intervals().isEmpty());
    }
}
