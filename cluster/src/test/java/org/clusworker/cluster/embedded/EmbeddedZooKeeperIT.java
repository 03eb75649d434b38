package org.clusworker.cluster.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperIT {

    @TempDir
    Path dir;

    @Test
    void start_servesOnLoopback_keepsDataAcrossARestart_andStops() throws Exception {
        int port;
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(0, dir.resolve("zk"), Duration.ofMillis(500))) {
            assertThat(zk.fourLetterWord("ruok")).isEqualTo("imok");
            assertThat(zk.connectString()).startsWith("127.0.0.1:");
            port = Integer.parseInt(zk.connectString().substring("127.0.0.1:".length()));
            try (CuratorFramework c = CuratorFrameworkFactory.newClient(zk.connectString(), new RetryOneTime(100))) {
                c.start();
                assertThat(c.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
                c.create().forPath("/kept", "1".getBytes());
            }
        }
        try (EmbeddedZooKeeper again = EmbeddedZooKeeper.start(port, dir.resolve("zk"), Duration.ofMillis(500));
             CuratorFramework c = CuratorFrameworkFactory.newClient(again.connectString(), new RetryOneTime(100))) {
            c.start();
            assertThat(c.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(c.getData().forPath("/kept"))).isEqualTo("1");
        }
    }
}
