/**
 * Randomized multi-process fault runs of a cluster and their history checker ({@code stress/cluster-chaos}).
 * It depends on no clusworker module: the checker shares no code with what it checks. Exported for the
 * cluster module's tests, which cut a node off from ZooKeeper with its {@code TcpProxy}.
 */
module org.clusworker.chaos {
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires static com.google.errorprone.annotations;

    exports org.clusworker.chaos;
}
