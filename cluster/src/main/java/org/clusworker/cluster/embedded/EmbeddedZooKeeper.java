package org.clusworker.cluster.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.zookeeper.server.ServerConfig;
import org.apache.zookeeper.server.ZooKeeperServerMain;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.clusworker.worker.Worker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single ZooKeeper server in this JVM, on the loopback address, with its data in a directory of its
 * own: for trying clusworker on one machine and for tests. A single server is no ensemble: when it
 * stops, the cluster stops; production uses an ensemble of 3 or 5 servers.
 *
 * <p>The server runs in a worker ({@code clusworker-zookeeper-<n>}); {@link #close()} stops it and waits.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedZooKeeper.class);

    private final Server server = new Server();
    private final InetSocketAddress address;
    private final Worker worker;
    /** Removes old snapshots and transaction logs every hour, keeping the last 3 (ZooKeeper's autopurge). */
    private volatile org.apache.zookeeper.server.DatadirCleanupManager purge;

    /** {@link ZooKeeperServerMain} with its shutdown reachable. */
    private static final class Server extends ZooKeeperServerMain {
        void stop() {
            shutdown();
        }
    }

    private EmbeddedZooKeeper(InetSocketAddress address, ServerConfig config) {
        this.address = address;
        this.worker = Worker.builder("zookeeper").start(ctx -> {
            try {
                server.runFromConfig(config);
                return 0;
            } catch (IOException | org.apache.zookeeper.server.admin.AdminServer.AdminServerException e) {
                LOG.error("ZooKeeper server on {} failed: {}", address, e.toString());
                throw new IllegalStateException("ZooKeeper server on " + address + " failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Starts a server on {@code 127.0.0.1:port} (0: any free port) with its data in {@code dataDirectory},
     * and waits (real time, up to 30 s) until it answers.
     *
     * @param tickTime ZooKeeper's tick: sessions may last 2 to 20 ticks
     * @throws IllegalStateException naming the address, if it does not answer in time (the port may be in use)
     */
    public static EmbeddedZooKeeper start(int port, Path dataDirectory, Duration tickTime) {
        int p = port == 0 ? freePort() : port;
        Properties props = new Properties();
        props.setProperty("dataDir", dataDirectory.toAbsolutePath().toString());
        props.setProperty("clientPort", Integer.toString(p));
        props.setProperty("clientPortAddress", "127.0.0.1");
        props.setProperty("tickTime", Long.toString(tickTime.toMillis()));
        props.setProperty("admin.enableServer", "false");
        props.setProperty("4lw.commands.whitelist", "ruok,srvr,stat,mntr");
        props.setProperty("maxClientCnxns", "200");
        ServerConfig config = new ServerConfig();
        try {
            Files.createDirectories(dataDirectory);
            QuorumPeerConfig q = new QuorumPeerConfig();
            q.parseProperties(props);
            config.readFrom(q);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the ZooKeeper data directory " + dataDirectory + ": " + e.getMessage(), e);
        } catch (QuorumPeerConfig.ConfigException e) {
            throw new IllegalArgumentException("ZooKeeper configuration: " + e.getMessage(), e);
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", p);
        EmbeddedZooKeeper zk = new EmbeddedZooKeeper(address, config);
        zk.purge = new org.apache.zookeeper.server.DatadirCleanupManager(config.getDataDir(), config.getDataLogDir(), 3, 1);
        zk.purge.start();
        if (!zk.awaitServing(Duration.ofSeconds(30))) {
            zk.close();
            String why = zk.worker.exit().map(e -> e.failure()).filter(java.util.Objects::nonNull).map(t -> ": " + t).orElse(" within 30s (is the port in use?)");
            throw new IllegalStateException("the ZooKeeper server on " + address + " did not start" + why);
        }
        return zk;
    }

    private static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    /** Whether the server answers {@code ruok} with {@code imok} within {@code timeout} (real time). */
    boolean awaitServing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0 && worker.exit().isEmpty()) {
            if ("imok".equals(fourLetterWord("ruok"))) {
                return true;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Sends a four-letter word and returns the answer ({@code null} if the server does not answer). */
    public String fourLetterWord(String word) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(address, 1_000);
            s.setSoTimeout(1_000);
            s.getOutputStream().write(word.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code 127.0.0.1:port}, the connect string of this server. */
    public String connectString() {
        return "127.0.0.1:" + address.getPort();
    }

    /** Stops the server and waits (up to 10 s) for it. Idempotent. */
    @Override
    public void close() {
        org.apache.zookeeper.server.DatadirCleanupManager p = purge;
        if (p != null) {
            p.shutdown();
        }
        server.stop();
        worker.terminate(Duration.ofSeconds(10));
    }
}
