package org.clusworker.cli;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.clusworker.cluster.ClusterNode;
import org.clusworker.cluster.ClusterSpec;
import org.clusworker.host.ResourceHost;

/**
 * The cluster side of {@code clusworker run} for a configuration with a {@code cluster:} section: the
 * node's ZooKeeper client and {@link ClusterNode}, the host's grouped resources held offline until the
 * node owns their group, and the drain of an orderly shutdown.
 */
final class ClusterSession implements AutoCloseable {

    /** How often to retry ZooKeeper, at most: an unreachable ensemble is retried with backoff up to this. */
    private static final int MAX_RETRY_MS = 5_000;
    /** Retries of one operation (the decisions retry on their own after that); more would overflow Curator's backoff. */
    private static final int MAX_RETRIES = 15;

    /** How long a drain waits for ZooKeeper to come back before it stops the groups in place. */
    private static final Duration DRAIN_WITHOUT_ZOOKEEPER = Duration.ofSeconds(5);

    private final ClusterSpec spec;
    private final ClusterNode node;

    ClusterSession(ClusterSpec spec) {
        this.spec = spec;
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(spec.servers()).namespace(spec.namespace())
                .sessionTimeoutMs((int) spec.sessionTimeout().toMillis())
                .connectionTimeoutMs((int) Math.min(spec.sessionTimeout().toMillis(), 15_000))
                .retryPolicy(new BoundedExponentialBackoffRetry(100, MAX_RETRY_MS, MAX_RETRIES)).build();
        this.node = new ClusterNode(spec, zk, System::nanoTime, Clock.systemUTC());
        node.onFenceSelf(why -> {
            // fence-self: end this JVM now; the watchdog sees its pipe close, kills what is left of the
            // node's groups and ends the session, and another node takes the group over
            System.err.println("clusworker: node " + spec.node() + " fences itself: " + why + "; exiting at once (exit "
                    + ExitCodes.FENCED + ")");
            System.err.flush();
            Runtime.getRuntime().halt(ExitCodes.FENCED);
        });
    }

    /**
     * The cluster as the admin API shows it (its web page and {@code GET /v1/cluster}): read through this
     * node's own ZooKeeper session, so it sees what this node sees.
     */
    org.clusworker.cli.admin.HostControl.ClusterView view() {
        org.clusworker.cluster.ClusterAdmin admin = new org.clusworker.cluster.ClusterAdmin(spec, node.zk());
        return new org.clusworker.cli.admin.HostControl.ClusterView() {
            @Override
            public Object status() throws Exception {
                if (!node.zk().getZookeeperClient().isConnected()) {
                    throw new IllegalStateException("node " + spec.node() + " is not connected to ZooKeeper at " + spec.connect());
                }
                return ClusterCommand.Status.toJson(admin.status());
            }

            @Override
            public void move(String group, java.util.Optional<String> to) throws Exception {
                admin.requestMove(group, to);
            }
        };
    }

    /** Holds the grouped resources offline and routes resource failovers to the node (counted in {@code meters}). */
    ResourceHost.Builder configure(ResourceHost.Builder b, org.clusworker.cli.metrics.ClusterMeters meters) {
        java.util.List<String> groups = spec.groups().stream().map(org.clusworker.cluster.GroupSpec::name).toList();
        meters.groups(groups, node::ownedGroups);
        meters.cluster(groups, spec.nodes(), node::groupsSeen);
        node.observe(meters.observer());
        return b.heldOffline(ClusterNode.groupedResources(spec)).failoverHandler(meters.counting(node::onResourceFailover));
    }

    /**
     * Starts this node's watchdog (a separate process; its log is {@code watchdog.log} in the state
     * directory), then joins the cluster (connecting in the background: an unreachable ZooKeeper starts no group).
     */
    void start(ResourceHost host, java.nio.file.Path stateDirectory) {
        java.nio.file.Path log = stateDirectory.resolve("watchdog.log");
        node.guardWith(org.clusworker.cluster.watchdog.WatchdogClient.start(log),
                () -> org.clusworker.cluster.watchdog.WatchdogClient.start(log));
        node.start(host);
    }

    String describe() {
        return "node " + spec.node() + " of cluster " + spec.name() + " (ZooKeeper " + spec.connect() + ", " + spec.groups().size()
                + " group(s))";
    }

    /**
     * Moves every group this node owns to other nodes by planned moves (as Windows does when a node
     * stops), waiting up to {@code timeout} or until {@code stopInPlace} says to stop waiting (a second signal).
     *
     * <p>Interrupts: stops waiting at once (returning {@code false}) with the interrupt status kept.
     *
     * @return whether the node owned nothing at the end
     */
    boolean drain(Duration timeout, BooleanSupplier stopInPlace) {
        node.drain();
        long deadline = System.nanoTime() + timeout.toNanos();
        long cutOffSince = Long.MAX_VALUE;
        while (!node.ownedGroups().isEmpty()) {
            if (stopInPlace.getAsBoolean() || System.nanoTime() - deadline >= 0) {
                return false;
            }
            // without ZooKeeper no group can be handed over: stop them in place (their lease would stop them anyway)
            if (node.connected()) {
                cutOffSince = Long.MAX_VALUE;
            } else if (cutOffSince == Long.MAX_VALUE) {
                cutOffSince = System.nanoTime();
            } else if (System.nanoTime() - cutOffSince >= DRAIN_WITHOUT_ZOOKEEPER.toNanos()) {
                System.err.println("clusworker: node " + spec.node() + " cannot reach ZooKeeper at " + spec.connect() + " for "
                        + DRAIN_WITHOUT_ZOOKEEPER.toSeconds() + "s: its groups cannot be moved; stopping them here");
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The node stops: it acquires nothing more (call before the host stops its resources). */
    void stopAcquiring() {
        node.stopAcquiring();
    }

    ClusterNode node() {
        return node;
    }

    /** Leaves the cluster, then releases the watchdog (call after the host has stopped every resource). */
    @Override
    public void close() {
        node.close();
        org.clusworker.cluster.watchdog.WatchdogClient now = node.watchdog();      // the first one, or the one that replaced it
        if (now != null) {
            now.close();
        }
    }
}
