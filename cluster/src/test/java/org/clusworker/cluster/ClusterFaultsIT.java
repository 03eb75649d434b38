package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.clusworker.cluster.testing.MemoryType;
import org.clusworker.chaos.TcpProxy;
import org.clusworker.cluster.zk.GroupStore;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults between the nodes and ZooKeeper, on a real 3-server ensemble, nodes in one JVM as in
 * {@link ClusterNodeIT}: each node's ZooKeeper client reaches every server only through its own
 * {@link TcpProxy}s, so that one node can be partitioned from the whole ensemble while the others are not.
 *
 * <p>The ensemble runs the test profile of CLUSTER.md §3.5 (tickTime 200 ms, T = 3 s, P = 200 ms,
 * F_u = 200 ms, G = 300 ms, S_g = 500 ms): the owner's lease stops a group about 2.3 s after its
 * second-to-last good probe, and no other node can start it before about 3.2 s after its last touch; a
 * ZooKeeper outage shorter than about 1.9 s (the blip tolerance) stops nothing.
 */
class ClusterFaultsIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterFaultsIT.class);
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** τ of the test profile (CLUSTER.md §6.7): the lease probe period P must not be shorter (§3.5). */
    private static final int TICK_MILLIS = 200;
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
    private static TestingCluster ensemble;
    private static int namespaces;

    private final MemoryType.History history = new MemoryType.History();
    private final List<Member> members = new ArrayList<>();
    private final String namespace = "f" + (++namespaces);
    /** A client straight to the ensemble (no proxy), to read what the nodes wrote. */
    private CuratorFramework observer;

    /** One node: its cluster node, its host, and its own way to the servers. */
    /** Lease renewals by node, and fences ("node group millis"), as the nodes report them to their observer. */
    private final Map<String, Integer> renewals = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> fences = new java.util.concurrent.CopyOnWriteArrayList<>();

    record Member(String name, ClusterNode node, ResourceHost host, Link link) {
    }

    /** One proxy per ZooKeeper server, for one node: the node's whole network to the ensemble. */
    record Link(List<TcpProxy> proxies) implements AutoCloseable {

        static Link toEnsemble() {
            return new Link(ensemble.getInstances().stream().map(s -> TcpProxy.to(0, "127.0.0.1", s.getPort())).toList());
        }

        String connectString() {
            return proxies.stream().map(TcpProxy::address).collect(Collectors.joining(","));
        }

        /** The realistic partition: every server falls silent (no reset), old connections and new. */
        void freeze() {
            proxies.forEach(TcpProxy::freeze);
        }

        /** Requests still reach the servers; their replies wait. */
        void freezeReplies() {
            proxies.forEach(TcpProxy::freezeReplies);
        }

        /** Resets every connection to every server, and every new one. */
        void cut() {
            proxies.forEach(TcpProxy::cut);
        }

        void heal() {
            proxies.forEach(TcpProxy::heal);
        }

        @Override
        public void close() {
            proxies.forEach(TcpProxy::close);
        }
    }

    @BeforeAll
    static void startEnsemble() throws Exception {
        List<InstanceSpec> specs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            specs.add(new InstanceSpec(null, -1, -1, -1, true, -1, TICK_MILLIS, -1));
        }
        ensemble = new TestingCluster(specs);
        ensemble.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        ensemble.close();
    }

    @BeforeEach
    void ensembleWhole() {
        // a test that killed a server restarted it; every test begins with all three serving
        await("every ZooKeeper server serving", () -> ensemble.getInstances().stream().allMatch(s -> !mode(s).equals("down")
                && !mode(s).equals("not serving")));
        observer = CuratorFrameworkFactory.builder().connectString(ensemble.getConnectString()).namespace(namespace)
                .sessionTimeoutMs((int) SESSION_TIMEOUT.toMillis()).connectionTimeoutMs(2_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
        observer.start();
    }

    @AfterEach
    void stopNodes() {
        for (Member m : members) {
            m.link().heal();        // so that each client's close can say goodbye to its session at once
        }
        for (Member m : members) {
            m.node().close();
            m.host().close();
        }
        for (Member m : members) {
            m.link().close();
        }
        observer.close();
    }

    private ClusterSpec spec(String node, String connect) {
        return new ClusterSpec("test", node, List.of("a", "b", "c"), connect, SESSION_TIMEOUT,
                new ClusterSpec.LeaseSettings(Duration.ofMillis(200), Duration.ofMillis(300), 0.01, Duration.ofMillis(200)),
                List.of(new GroupSpec("web", List.of("app"), List.of("a", "b"), java.util.OptionalInt.empty(), Duration.ofHours(6),
                        Duration.ofMillis(500), GroupSpec.StopFailure.FENCE_SELF)), Map.of());
    }

    /** Starts node {@code name} as {@link ClusterNodeIT} does, but connected through proxies of its own. */
    private Member start(String name) throws Exception {
        Link link = Link.toEnsemble();
        ClusterSpec spec = spec(name, link.connectString());
        // no ensemble tracker: it would read the servers' real addresses from /zookeeper/config and connect past the proxies
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(spec.connect()).namespace(namespace)
                .sessionTimeoutMs((int) spec.sessionTimeout().toMillis()).connectionTimeoutMs(2_000).ensembleTracker(false)
                .retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
        ClusterNode node = new ClusterNode(spec, zk, System::nanoTime, Clock.systemUTC());
        Path state = Files.createTempDirectory("clusworker-faults-" + name);
        node.onFenceSelf(why -> LOG.error("node {} would fence itself: {}", name, why));
        node.observe(new ClusterNode.Observer() {
            @Override
            public void leaseRenewed(Duration roundTrip) {
                renewals.merge(name, 1, Integer::sum);
            }

            @Override
            public void fenced(String group, Duration took) {
                fences.add(name + " " + group + " " + took.toMillis());
            }
        });
        org.clusworker.host.ResourcePolicy quick = new org.clusworker.host.ResourcePolicy(Duration.ofSeconds(1), null,
                Duration.ofSeconds(300), Duration.ofMillis(200), Duration.ofSeconds(60), org.clusworker.host.RestartAction.RESTART, 3,
                Duration.ofMinutes(15), Duration.ofMillis(500), Duration.ofHours(1), null);
        ResourceHost host = ResourceHost.builder().name(name).stateDirectory(state)
                .types(new ResourceTypes().register(new MemoryType(name, history)))
                .resource(new ResourceSpec("app", "memory", Map.of(), List.of(), quick)).heldOffline(ClusterNode.groupedResources(spec))
                .failoverHandler(node::onResourceFailover).build();
        host.start();
        node.start(host);
        Member m = new Member(name, node, host, link);
        members.add(m);
        return m;
    }

    /** Starts a, waits until it runs the group (a node that is up first takes it), then the others, and waits until all are members. */
    private Member startOwnerA(String... others) throws Exception {
        Member a = start("a");
        await("app online on a", () -> aliveOn() != null && aliveOn().node().equals("a"));
        for (String o : others) {
            start(o);
        }
        await("every node a member", () -> memberNames().size() == members.size());
        return a;
    }

    private Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static void await(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    /** That {@code condition} holds all along {@code period} (that nothing happens which should not). */
    private static void holdsDuring(String what, Duration period, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).during(period).atMost(period.plus(PATIENCE)).pollInterval(Duration.ofMillis(20))
                .until(condition::getAsBoolean);
    }

    /** Where app runs, if on exactly one node; null if nowhere or on several. */
    private MemoryType.History.Interval aliveOn() {
        List<MemoryType.History.Interval> alive = history.alive("app");
        return alive.size() == 1 ? alive.getFirst() : null;
    }

    private List<MemoryType.History.Interval> runsOf(String node) {
        return history.intervals().stream().filter(v -> v.node().equals(node)).toList();
    }

    /** Reads with the observer, trying again while ZooKeeper does not answer (a server was killed). */
    private <T> T read(String what, Callable<T> reading) {
        return org.awaitility.Awaitility.await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(reading, v -> true);
    }

    private GroupStore.GroupRecord web() {
        return read("the records of group web", () -> new GroupStore(observer).read("web"));
    }

    private List<String> memberNames() {
        try {
            return observer.getChildren().forPath("/members");
        } catch (Exception e) {
            return List.of();
        }
    }

    private Optional<String> owner() {
        return web().owner().map(o -> o.node());
    }

    private static long millisSince(long nanos, long since) {
        return (nanos - since) / 1_000_000;
    }

    // ------------------------------------------------------------------ the ensemble's servers

    /** The mode a server reports to the four-letter word {@code srvr}: leader, follower, "not serving" or "down". */
    private static String mode(InstanceSpec s) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", s.getPort()), 1_000);
            socket.setSoTimeout(2_000);
            socket.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.lines().filter(l -> l.startsWith("Mode: ")).map(l -> l.substring("Mode: ".length()).strip()).findFirst()
                    .orElse("not serving");
        } catch (IOException e) {
            return "down";
        }
    }

    private static Optional<InstanceSpec> leader() {
        return ensemble.getInstances().stream().filter(s -> mode(s).equals("leader")).findFirst();
    }

    // ------------------------------------------------------------------ tests

    /**
     * The owner falls silent (no reset: its packets are lost both ways). Its lease, not ZooKeeper, must
     * stop the group, and before the new owner starts it; after the partition heals the old owner comes
     * back with a new session and leaves the group where it is.
     */
    @Test
    void partition_ownerCutOffSilently_stopsTheGroupOnItsOwnBeforeAnotherNodeTakesOver_andNeverRunsItAgain() throws Exception {
        Member a = startOwnerA("b", "c");
        assertThat(aliveOn().epoch()).isEqualTo(1);

        long cutAt = System.nanoTime();
        a.link().freeze();
        await("app online on another node", () -> aliveOn() != null && !aliveOn().node().equals("a"));

        MemoryType.History.Interval taken = aliveOn();
        String newOwner = taken.node();
        assertThat(history.overlaps()).isEmpty();
        assertThat(taken.epoch()).isEqualTo(2);
        assertThat(member(newOwner).node().ownedGroups()).containsEntry("web", 2L);
        assertThat(runsOf("a")).singleElement().satisfies(run -> {
            assertThat(run.epoch()).isEqualTo(1);
            assertThat(run.to()).isLessThan(taken.from());       // stopped before the new owner started
        });
        // a has heard nothing since the cut: it still believes it owns the group, so its own lease stopped it
        assertThat(a.node().ownedGroups()).containsEntry("web", 1L);
        assertThat(fences).singleElement().asString().startsWith("a web ");       // reported for the metrics: the time to fence
        assertThat(Long.parseLong(fences.getFirst().split(" ")[2])).isLessThan(1_000);
        assertThat(renewals.getOrDefault("a", 0)).isPositive();
        MemoryType.History.Interval aRun = runsOf("a").getFirst();
        LOG.info("partition: a stopped app {} ms after the cut; {} started it {} ms after the cut ({} ms later)",
                millisSince(aRun.to(), cutAt), newOwner, millisSince(taken.from(), cutAt), millisSince(taken.from(), aRun.to()));

        a.link().heal();
        await("a joined again (a new session)", () -> memberNames().contains("a") && a.node().ownedGroups().isEmpty());
        holdsDuring("the group stays with " + newOwner + " and a never runs it again", Duration.ofSeconds(3),
                () -> runsOf("a").size() == 1 && aliveOn() != null && aliveOn().node().equals(newOwner) && aliveOn().epoch() == 2
                        && a.node().ownedGroups().isEmpty());
        GroupStore.GroupRecord web = web();
        assertThat(web.epoch()).isEqualTo(2);
        assertThat(web.owner()).hasValueSatisfying(o -> assertThat(o.node()).isEqualTo(newOwner));
        assertThat(history.overlaps()).isEmpty();
    }

    /**
     * The part of the partition above that holds today, whatever the old owner did while cut off (whether
     * it stopped in time is the question of the test above): the takeover gets a higher epoch, and after the
     * partition heals the old owner, whose session expired meanwhile, joins again with a new one, forgets
     * the group and never runs it again while the new owner holds it.
     */
    @Test
    void partition_healedAfterTheTakeover_theOldOwnerJoinsWithANewSession_andNeverRunsTheGroupAgain() throws Exception {
        Member a = startOwnerA("b", "c");
        a.link().freeze();
        await("app online on another node only", () -> aliveOn() != null && !aliveOn().node().equals("a"));
        MemoryType.History.Interval taken = aliveOn();
        String newOwner = taken.node();
        assertThat(taken.epoch()).isEqualTo(2);
        assertThat(member(newOwner).node().ownedGroups()).containsEntry("web", 2L);

        a.link().heal();
        await("a joined again (a new session)", () -> memberNames().contains("a") && a.node().ownedGroups().isEmpty());
        holdsDuring("the group stays with " + newOwner + " and a never runs it again", Duration.ofSeconds(3),
                () -> runsOf("a").size() == 1 && aliveOn() != null && aliveOn().node().equals(newOwner) && aliveOn().epoch() == 2
                        && a.node().ownedGroups().isEmpty());
        GroupStore.GroupRecord web = web();
        assertThat(web.epoch()).isEqualTo(2);
        assertThat(web.owner()).hasValueSatisfying(o -> assertThat(o.node()).isEqualTo(newOwner));
        assertThat(runsOf("a")).singleElement().satisfies(run -> assertThat(run.epoch()).isEqualTo(1));
    }

    /**
     * The ZooKeeper leader dies: the two others elect a new one, which keeps every session (with a fresh
     * T). Whatever the nodes see meanwhile, the group never runs on two nodes, ends Online on exactly one,
     * and changes owner at most once.
     */
    @Test
    void zooKeeperLeaderKilled_theGroupNeverRunsTwice_endsOnlineOnExactlyOneNode_changingOwnerAtMostOnce() throws Exception {
        startOwnerA("b", "c");
        InstanceSpec leader = read("the ZooKeeper leader", () -> leader().orElseThrow());
        long killedAt = System.nanoTime();
        assertThat(ensemble.killServer(leader)).isTrue();
        try {
            await("a new ZooKeeper leader", () -> leader().isPresent());
            LOG.info("leader kill: server {} killed; new leader after {} ms", leader.getServerId(), millisSince(System.nanoTime(), killedAt));
            await("app online on one node that owns the group",
                    () -> aliveOn() != null && member(aliveOn().node()).node().ownedGroups().containsKey("web"));
            holdsDuring("app online on one node, and only that node owns the group", Duration.ofSeconds(3), () -> {
                MemoryType.History.Interval alive = aliveOn();
                return alive != null && members.stream().allMatch(m -> m.node().ownedGroups().containsKey("web") == m.name().equals(alive.node()));
            });
        } finally {
            ensemble.restartServer(leader);
        }
        MemoryType.History.Interval alive = aliveOn();
        assertThat(history.overlaps()).isEmpty();
        assertThat(alive.epoch()).isLessThanOrEqualTo(2);              // at most one change of owner
        assertThat(member(alive.node()).node().ownedGroups()).containsEntry("web", alive.epoch());
        assertThat(history.intervals()).allMatch(v -> v.epoch() <= 2);
        GroupStore.GroupRecord web = web();
        assertThat(web.epoch()).isEqualTo(alive.epoch());
        assertThat(web.owner()).hasValueSatisfying(o -> assertThat(o.node()).isEqualTo(alive.node()));
        LOG.info("leader kill: app ran {}", history.intervals().stream().map(v -> v.node() + "@" + v.epoch()).toList());
    }

    /**
     * The owner falls silent for 1 s, inside the blip tolerance (about 1.9 s): nothing stops, nothing moves;
     * the probes that waited go through after the heal and the lease goes on.
     */
    @Test
    void shortPartition_belowTheBlipTolerance_theOwnerKeepsTheGroupRunning_withTheSameEpoch() throws Exception {
        Member a = startOwnerA("b", "c");
        a.link().freeze();
        Thread.sleep(1_000);        // the length of the fault itself, not a wait for something to happen
        a.link().heal();
        holdsDuring("app runs on a without a break, epoch 1, nobody else owns it", Duration.ofSeconds(3),
                () -> history.intervals().size() == 1 && aliveOn() != null && aliveOn().node().equals("a")
                        && a.node().ownedGroups().equals(Map.of("web", 1L)) && member("b").node().ownedGroups().isEmpty()
                        && member("c").node().ownedGroups().isEmpty());
        assertThat(web().epoch()).isEqualTo(1);
        assertThat(owner()).contains("a");
    }

    /**
     * Every connection of the owner is reset and it cannot connect for 300 ms: it reconnects with the same
     * session. If the lease ran out meanwhile it stopped the group and starts it again; either way with
     * epoch 1, and no other node starts it.
     *
     * <p>Why so short: after a reset the ZooKeeper client waits up to 1 s (random) before each attempt, and
     * 1 s more after a round of every server, so it may reconnect up to about 2 s after the heal; Curator
     * declares the session lost (a new one, client-side) T = 3 s after SUSPENDED. A cut of 1 s loses that
     * race now and then, and the group then moves, rightly: not what this test is about.
     */
    /**
     * A lease probe's version-checked write is applied but its reply is lost, then the connection breaks
     * (what a ZooKeeper leader that dies between commit and reply does): the node reconnects with the same
     * session and Curator's retry of the write fails with BadVersion. The session never changed, so the
     * owner must keep (or restart) the group with epoch 1.
     */
    @Test
    void lostProbeReply_thenReconnectWithTheSameSession_theOwnerKeepsTheGroup_withTheSameEpoch() throws Exception {
        Member a = startOwnerA("b", "c");
        a.link().freezeReplies();
        Thread.sleep(500);          // the length of the fault: the next probe (every 200 ms) is applied, its reply waits
        a.link().cut();             // the reply is lost with the connection
        a.link().heal();
        await("app online on a again", () -> aliveOn() != null && aliveOn().node().equals("a"));
        holdsDuring("app runs only on a, epoch 1, nobody else owns it", Duration.ofSeconds(3),
                () -> aliveOn() != null && aliveOn().node().equals("a") && aliveOn().epoch() == 1
                        && a.node().ownedGroups().equals(Map.of("web", 1L)) && member("b").node().ownedGroups().isEmpty()
                        && member("c").node().ownedGroups().isEmpty());
        assertThat(history.intervals()).allMatch(v -> v.node().equals("a") && v.epoch() == 1);
        assertThat(web().epoch()).isEqualTo(1);
        assertThat(owner()).contains("a");
    }

    @Test
    void shortCut_connectionsReset_belowTheSessionTimeout_theOwnerKeepsOrRestartsTheGroup_withTheSameEpoch() throws Exception {
        Member a = startOwnerA("b", "c");
        a.link().cut();
        Thread.sleep(300);          // the length of the fault itself
        a.link().heal();
        await("app online on a again", () -> aliveOn() != null && aliveOn().node().equals("a"));
        holdsDuring("app runs only on a, epoch 1, nobody else owns it", Duration.ofSeconds(3),
                () -> aliveOn() != null && aliveOn().node().equals("a") && aliveOn().epoch() == 1
                        && a.node().ownedGroups().equals(Map.of("web", 1L)) && member("b").node().ownedGroups().isEmpty()
                        && member("c").node().ownedGroups().isEmpty());
        assertThat(history.intervals()).allMatch(v -> v.node().equals("a") && v.epoch() == 1);
        assertThat(web().epoch()).isEqualTo(1);
        assertThat(owner()).contains("a");
        LOG.info("short cut: app ran {} time(s) on a", history.intervals().size());
    }
}
