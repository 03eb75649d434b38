/**
 * Groups failing over between nodes on ZooKeeper. Its API: {@code org.clusworker.cluster} (the node, its
 * configuration and the cluster's records as the command line reads them), {@code
 * org.clusworker.cluster.placement} (the pure placement function and its simulator) and {@code
 * org.clusworker.cluster.embedded} (a ZooKeeper server run by {@code clusworker zookeeper}). The
 * machinery is not exported, except to the command line: {@code zk} (the records stored in ZooKeeper, which
 * {@code ClusterAdmin} returns, and the store) and {@code watchdog} (the command line starts a node's
 * watchdog process beside its host). {@code lease} is this module's alone.
 */
module org.clusworker.cluster {
    requires transitive org.clusworker.agents;
    requires curator.framework;
    requires curator.client;
    requires curator.recipes;
    requires zookeeper;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;
    requires static com.google.errorprone.annotations;

    exports org.clusworker.cluster;
    exports org.clusworker.cluster.placement;
    exports org.clusworker.cluster.embedded;
    exports org.clusworker.cluster.zk to org.clusworker.cli;
    exports org.clusworker.cluster.watchdog to org.clusworker.cli;

    opens org.clusworker.cluster to com.fasterxml.jackson.databind;
    opens org.clusworker.cluster.zk to com.fasterxml.jackson.databind;
}
