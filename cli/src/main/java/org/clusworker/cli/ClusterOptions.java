package org.clusworker.cli;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.clusworker.cluster.ClusterAdmin;
import org.clusworker.cluster.ClusterSpec;
import org.clusworker.cli.config.HostConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How the {@code cluster} commands find a cluster: its configuration file, or its ZooKeeper connect string. A mixin. */
final class ClusterOptions {

    /** How long a command waits to reach ZooKeeper. */
    static final int CONNECT_SECONDS = 10;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "A node's configuration file (its cluster: section).")
    Path config;

    @Option(names = {"-z", "--zookeeper"}, paramLabel = "CONNECT",
            description = "The cluster's ZooKeeper connect string with its chroot, e.g. zk1:2181,zk2:2181/clusworker/prod.")
    String zookeeper;

    /** A connected admin, and the client to close after use. */
    record Connected(ClusterAdmin admin, CuratorFramework zk) implements AutoCloseable {
        @Override
        public void close() {
            zk.close();
        }
    }

    Connected connect(ClusworkerCommand top, CommandLine cl) throws Exception {
        if ((config == null) == (zookeeper == null)) {
            throw new CommandLine.ParameterException(cl, "give --config FILE or --zookeeper CONNECT (one of them)");
        }
        ClusterSpec spec = null;
        String connect = zookeeper;
        if (config != null) {
            HostConfig hc = top.configLoader().forAnyNode().load(config);
            spec = hc.cluster().orElseThrow(() -> new CommandLine.ParameterException(cl, config + " has no cluster: section"));
            connect = spec.connect();
        }
        int slash = connect.indexOf('/');
        String servers = slash < 0 ? connect : connect.substring(0, slash);
        String namespace = spec != null ? spec.namespace() : slash < 0 ? null : connect.substring(slash + 1);
        if (namespace == null || namespace.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--zookeeper " + connect + ": give the cluster's chroot too, e.g. "
                    + connect + "/clusworker/<cluster name>");
        }
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(servers).namespace(namespace)
                .sessionTimeoutMs(15_000).connectionTimeoutMs(CONNECT_SECONDS * 1_000).retryPolicy(new RetryNTimes(2, 200)).build();
        zk.start();
        if (!zk.blockUntilConnected(CONNECT_SECONDS, TimeUnit.SECONDS)) {
            zk.close();
            throw new IllegalStateException("cannot reach ZooKeeper at " + servers + " within " + CONNECT_SECONDS + "s");
        }
        try {
            return new Connected(spec != null ? new ClusterAdmin(spec, zk) : ClusterAdmin.fromZooKeeper(zk, connect), zk);
        } catch (Exception | Error e) {
            zk.close();
            throw e;
        }
    }
}
