package org.clusworker.cluster.zk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.test.TestingCluster;
import org.clusworker.cluster.zk.Records.Phase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ownership on a real ensemble of three ZooKeeper servers (in-process). */
class GroupStoreIT {

    private static TestingCluster ensemble;

    @BeforeAll
    static void start() throws Exception {
        ensemble = new TestingCluster(3);
        ensemble.start();
    }

    @AfterAll
    static void stop() throws Exception {
        ensemble.close();
    }

    private static CuratorFramework client(String namespace) {
        CuratorFramework c = CuratorFrameworkFactory.builder().connectString(ensemble.getConnectString()).namespace(namespace)
                .sessionTimeoutMs(3_000).connectionTimeoutMs(5_000).retryPolicy(new RetryNTimes(3, 100)).build();
        c.start();
        try {
            if (!c.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("no connection to " + ensemble.getConnectString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return c;
    }

    private static long session(CuratorFramework c) throws Exception {
        return c.getZookeeperClient().getZooKeeper().getSessionId();
    }

    @Test
    void withdraw_deletesTheOwnerZnodeOfTheEpochRead_keepsTheBreadcrumb_andNeverOneOfALaterEpoch() throws Exception {
        CuratorFramework a = client("withdraw");
        CuratorFramework b = client("withdraw");
        try {
            GroupStore store = new GroupStore(a);
            store.ensure("web");
            long epoch = store.acquire(store.read("web"), "a", session(a), "start", false, 1).orElseThrow();
            GroupStore.GroupRecord held = store.read("web");
            assertThat(store.withdraw(held)).isTrue();
            GroupStore.GroupRecord after = store.read("web");
            assertThat(after.owner()).isEmpty();
            assertThat(after.epoch()).isEqualTo(epoch);
            assertThat(after.state().phase()).isEqualTo(Phase.ONLINING);       // as after an owner lost while onlining
            assertThat(after.state().clean()).isFalse();
            assertThat(store.withdraw(held)).isFalse();                          // gone already

            // b acquires the next epoch: a withdrawal of what a read before it changes nothing
            GroupStore other = new GroupStore(b);
            assertThat(other.acquire(after, "b", session(b), "failover", false, 2)).contains(epoch + 1);
            assertThat(store.withdraw(held)).isFalse();
            assertThat(store.read("web").owner()).map(Records.Owner::node).contains("b");
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void acquire_tenNodesRace_exactlyOneWinsWithEpochOne() throws Exception {
        List<CuratorFramework> nodes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            for (int i = 0; i < 10; i++) {
                nodes.add(client("race"));
            }
            GroupStore first = new GroupStore(nodes.getFirst());
            first.ensure("web");
            GroupStore.GroupRecord seen = first.read("web");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Long>>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                CuratorFramework c = nodes.get(i);
                String name = "node-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return new GroupStore(c).acquire(seen, name, session(c), "start", false, 1);
                }));
            }
            go.countDown();
            int winners = 0;
            for (Future<Optional<Long>> f : results) {
                Optional<Long> r = f.get();
                if (r.isPresent()) {
                    winners++;
                    assertThat(r.get()).isEqualTo(1L);
                }
            }
            assertThat(winners).isEqualTo(1);
            GroupStore.GroupRecord after = first.read("web");
            assertThat(after.epoch()).isEqualTo(1);
            assertThat(after.owner()).isPresent();
            assertThat(after.state().phase()).isEqualTo(Phase.ONLINING);
            assertThat(after.history().entries()).singleElement().satisfies(f -> assertThat(f.to()).isEqualTo(after.owner().get().node()));
        } finally {
            pool.shutdownNow();
            nodes.forEach(CuratorFramework::close);
        }
    }

    @Test
    void release_clean_thenTheNextOwnerGetsTheNextEpoch_andTheOldOwnerCanNoLongerWrite() throws Exception {
        try (CuratorFramework a = client("release"); CuratorFramework b = client("release")) {
            GroupStore sa = new GroupStore(a);
            GroupStore sb = new GroupStore(b);
            sa.ensure("db");
            long e1 = sa.acquire(sa.read("db"), "a", session(a), "start", false, 1).orElseThrow();
            int v1 = sa.read("db").epochVersion();
            assertThat(sa.setPhase("db", e1, v1, "a", Phase.ONLINE, false, "online", 2)).isTrue();
            assertThat(sa.release("db", e1, v1, "a", "move", true, 3)).isTrue();
            GroupStore.GroupRecord r = sb.read("db");
            assertThat(r.owner()).isEmpty();
            assertThat(r.state().clean()).isTrue();
            long e2 = sb.acquire(r, "b", session(b), "move", true, 4).orElseThrow();
            assertThat(e2).isEqualTo(e1 + 1);
            // a's epoch version is stale: it cannot touch b's breadcrumb or owner
            assertThat(sa.setPhase("db", e1, v1, "a", Phase.ONLINE, false, "late", 5)).isFalse();
            assertThat(sa.release("db", e1, v1, "a", "late", false, 5)).isFalse();
            assertThat(sb.owns("db", session(b), e2)).isTrue();
        }
    }

    @Test
    void acquire_staleRead_losesToTheOneWhoWroteFirst() throws Exception {
        try (CuratorFramework a = client("stale"); CuratorFramework b = client("stale")) {
            GroupStore sa = new GroupStore(a);
            sa.ensure("g");
            GroupStore.GroupRecord seen = sa.read("g");
            assertThat(sa.acquire(seen, "a", session(a), "start", false, 1)).contains(1L);
            sa.release("g", 1, sa.read("g").epochVersion(), "a", "stop", false, 2);
            // b acquires with what it read before a's acquisition and release: the epoch moved, so it loses
            assertThat(new GroupStore(b).acquire(seen, "b", session(b), "start", false, 3)).isEmpty();
        }
    }

    @Test
    void ownerZnode_vanishesWhenTheSessionEnds() throws Exception {
        try (CuratorFramework b = client("expiry")) {
            CuratorFramework a = client("expiry");
            GroupStore sa = new GroupStore(a);
            sa.ensure("g");
            sa.acquire(sa.read("g"), "a", session(a), "start", false, 1).orElseThrow();
            a.close();      // the session ends at once on a clean close
            GroupStore sb = new GroupStore(b);
            org.awaitility.Awaitility.await("the owner znode of a closed session gone").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(20)).until(() -> sb.read("g").owner().isEmpty());
            GroupStore.GroupRecord r = sb.read("g");
            assertThat(r.owner()).isEmpty();
            assertThat(r.state().clean()).isFalse();      // nobody said it stopped cleanly
        }
    }

    @Test
    void confirmOffline_stuckGroup_clearedOnlyWithTheEpochTheOperatorSaw() throws Exception {
        try (CuratorFramework a = client("stuck"); CuratorFramework op = client("stuck")) {
            GroupStore sa = new GroupStore(a);
            sa.ensure("g");
            long e = sa.acquire(sa.read("g"), "a", session(a), "start", false, 1).orElseThrow();
            int v = sa.read("g").epochVersion();
            sa.setPhase("g", e, v, "a", Phase.STUCK, false, "offline of db hung", 2);
            GroupStore so = new GroupStore(op);
            assertThat(so.confirmOffline("g", e, v + 1, "a", 3)).isFalse();      // a wrong epoch version changes nothing
            assertThat(so.read("g").owner()).isPresent();
            assertThat(so.confirmOffline("g", e, v, "a", 3)).isTrue();
            GroupStore.GroupRecord r = so.read("g");
            assertThat(r.owner()).isEmpty();
            assertThat(r.state().phase()).isEqualTo(Phase.OFFLINE);
            assertThat(r.state().clean()).isTrue();
        }
    }
}
