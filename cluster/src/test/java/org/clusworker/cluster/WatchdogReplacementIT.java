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
        return node(zkServer, first, replacement, new MemoryType("a", history));
    }

    private ClusterNode node(TestingServer zkServer, WatchdogClient first, Supplier<WatchdogClient> replacement, MemoryType type) throws Exception {
        ClusterSpec spec = new ClusterSpec("guard", "a", List.of("a", "b"), zkServer.getConnectString(), Duration.ofSeconds(3),
                new ClusterSpec.LeaseSettings(Duration.ofMillis(200), Duration.ofMillis(300), 0.01, Duration.ofMillis(200)),
                List.of(GroupSpec.of("web", List.of("app"), List.of("a"))).stream()
                        .map(g -> new GroupSpec(g.name(), g.resources(), g.preferredOwners(), g.failoverThreshold(), g.failoverPeriod(),
                                Duration.ofMillis(500), g.onStopFailure())).toList(), Map.of());
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(spec.connect()).namespace("guard")
                .sessionTimeoutMs(3_000).connectionTimeoutMs(2_000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
        ClusterNode node = new ClusterNode(spec, zk, System::nanoTime, Clock.systemUTC());
        ResourceHost host = ResourceHost.builder().name("a").stateDirectory(Files.createDirectories(dir.resolve("state")))
                .types(new ResourceTypes().register(type))
                .resource(new ResourceSpec("app", "memory", Map.of(), List.of(), org.clusworker.host.ResourcePolicy.DEFAULTS))
                .heldOffline(ClusterNode.groupedResources(spec)).build();
        node.guardWith(first, replacement);
        host.start();
        node.start(host);
        closing.add(host);
        closing.add(node);
        return node;
    }

    /** Starts each replacement watchdog, logging to watchdog-N.log, and adds it to {@code started}. */
    private Supplier<WatchdogClient> replacements(List<WatchdogClient> started) {
        return () -> {
            WatchdogClient w = WatchdogClient.start(dir.resolve("watchdog-" + (started.size() + 1) + ".log"));
            started.add(w);
            return w;
        };
    }

    @Test
    void watchdogEnded_theNodeStartsANewOne_andKeepsItsGroupGuarded() throws Exception {
        TestingServer zk = new TestingServer();
        closing.add(zk);
        WatchdogClient first = WatchdogClient.start(dir.resolve("watchdog-1.log"));
        List<WatchdogClient> started = new ArrayList<>(List.of(first));
        ClusterNode node = node(zk, first, replacements(started));
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

    /**
     * ZooKeeper goes away long enough for the lease to run out (the node stops its group, the watchdog
     * fences and ends); when ZooKeeper is back the group starts again, on this node. The watchdog that replaces the ended one must not be handed the lapsed lease's fence
     * time: it fenced at once and ended too, and the group started while the node believed itself guarded
     * (chaos seed 10109: a kill of the node's JVM then left the group's process running beside the new
     * owner's).
     */
    @Test
    void leaseRunsOutAndHoldsAgain_theReplacingWatchdogGuardsTheRestartedGroup_itDoesNotFenceAtOnce() throws Exception {
        TestingServer zk = new TestingServer();
        closing.add(zk);
        WatchdogClient first = WatchdogClient.start(dir.resolve("watchdog-1.log"));
        List<WatchdogClient> started = new ArrayList<>(List.of(first));
        ClusterNode node = node(zk, first, replacements(started));
        org.awaitility.Awaitility.await("app online on a").atMost(PATIENCE).until(() -> history.alive("app").size() == 1);

        zk.stop();
        org.awaitility.Awaitility.await("the first watchdog fenced and ended").atMost(PATIENCE).until(() -> !first.isAlive());
        zk.restart();
        org.awaitility.Awaitility.await("app online again").atMost(PATIENCE).until(() -> history.alive("app").size() == 1
                && node.watchdog() != first);
        // the watchdog that guards it now has not fenced: it knows the group and its future fence time
        org.awaitility.Awaitility.await("the replacing watchdog stays").during(Duration.ofSeconds(2)).atMost(PATIENCE)
                .until(() -> node.watchdog().isAlive() && history.alive("app").size() == 1);
        // one replacement: the first fenced; the one after it never did (it would have ended and been replaced again)
        assertThat(started).hasSize(2);
        started.forEach(WatchdogClient::close);
    }

    /**
     * The lease runs out, the watchdog fences, and its fence takes long (an OCF agent's stop that hangs until
     * its timeout); the lease holds again while that watchdog still runs. It guards nothing any more (it
     * fenced once, and found the node's processes when it did): the node must start a new one and start
     * nothing until the old one has ended. Chaos seed 180030: the node restarted a group while its fired
     * watchdog was still running a hung stop, then fenced itself for another group; nothing killed the
     * restarted process, and it ran beside the next owner's for 17 s.
     */
    @Test
    void leaseHoldsAgainWhileTheFiredWatchdogStillStops_nothingStartsUntilItEnded() throws Exception {
        TestingServer zk = new TestingServer();
        closing.add(zk);
        MemoryType type = new MemoryType("a", history);
        Path stopped = dir.resolve("fence-stop-done");
        // the fence's stop of app takes 6 s: long enough for ZooKeeper to come back while it runs
        type.fenceStop = new org.clusworker.host.agent.FenceActions.StopCommand(List.of("sh", "-c", "sleep 6; touch " + stopped),
                Map.of(), Duration.ofSeconds(30));
        WatchdogClient first = WatchdogClient.start(dir.resolve("watchdog-1.log"));
        List<WatchdogClient> started = new ArrayList<>(List.of(first));
        ClusterNode node = node(zk, first, replacements(started), type);
        org.awaitility.Awaitility.await("app online on a").atMost(PATIENCE).until(() -> history.alive("app").size() == 1);

        zk.stop();
        org.awaitility.Awaitility.await("the first watchdog fenced").atMost(PATIENCE).until(() ->
                Files.readString(dir.resolve("watchdog-1.log")).contains("did not renew its lease before the fence time"));
        assertThat(first.isAlive()).as("the first watchdog runs its 6 s stop").isTrue();
        zk.restart();
        org.awaitility.Awaitility.await("app online again").atMost(PATIENCE).until(() -> history.alive("app").size() == 1);
        // it started only once the fired watchdog had ended, that is after its stop had run to the end
        assertThat(Files.exists(stopped)).as("the fired watchdog's stop had ended before app started again").isTrue();
        assertThat(first.isAlive()).isFalse();
        assertThat(node.watchdog()).isNotSameAs(first);
        assertThat(node.watchdog().isAlive()).isTrue();
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
