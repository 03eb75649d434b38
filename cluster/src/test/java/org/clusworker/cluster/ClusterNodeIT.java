package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingCluster;
import org.clusworker.cluster.testing.MemoryType;
import org.clusworker.cluster.zk.GroupStore;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nodes of one cluster in one JVM, each with its own ZooKeeper session and host, on a real 3-server ensemble. */
class ClusterNodeIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static TestingCluster ensemble;
    private static int namespaces;

    private final MemoryType.History history = new MemoryType.History();
    private final List<Member> members = new ArrayList<>();
    private String namespace;

    record Member(String name, ClusterNode node, ResourceHost host) {
    }

    @BeforeAll
    static void startEnsemble() throws Exception {
        ensemble = new TestingCluster(3);
        ensemble.start();
    }

    @AfterAll
    static void stopEnsemble() throws Exception {
        ensemble.close();
    }

    @AfterEach
    void stopNodes() {
        types.values().forEach(t -> t.hangOffline.set(false));     // a test that failed must not hang the closing
        for (Member m : members) {
            stop(m);
        }
    }

    private static void stop(Member m) {
        m.node().close();
        m.host().close();
    }

    private java.util.OptionalInt threshold = java.util.OptionalInt.empty();
    private GroupSpec.StopFailure onStopFailure = GroupSpec.StopFailure.FENCE_SELF;
    private org.clusworker.host.RestartAction restartAction = org.clusworker.host.RestartAction.RESTART;
    private final Map<String, MemoryType> types = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> fenced = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Each group's policies (failback, anti-affinity, priority), by name; the defaults for the others. */
    private final Map<String, org.clusworker.cluster.placement.GroupPolicy> policies = new java.util.HashMap<>();
    /** How many groups: web (resource app), then web2 (app2), web3 (app3)... */
    private int groupCount = 1;
    /** Where every node appends its ownership events; none by default. */
    private Path ownershipLog;
    /** The resources' pending timeout: how long a hung offline takes to fail. */
    private Duration pendingTimeout = Duration.ofSeconds(1);
    /** How far each node's monotonic clock has been moved ahead (what a paused JVM sees when it runs again). */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> clockAhead = new java.util.concurrent.ConcurrentHashMap<>();

    private ClusterSpec spec(String node) {
        List<GroupSpec> groups = new ArrayList<>();
        for (int i = 1; i <= groupCount; i++) {
            String suffix = i == 1 ? "" : Integer.toString(i);
            groups.add(new GroupSpec("web" + suffix, List.of("app" + suffix), List.of("a", "b"), threshold, Duration.ofHours(6),
                    Duration.ofMillis(500), onStopFailure).withPolicy(policies.getOrDefault("web" + suffix,
                    org.clusworker.cluster.placement.GroupPolicy.DEFAULTS)));
        }
        return new ClusterSpec("test", node, List.of("a", "b", "c"), ensemble.getConnectString(), Duration.ofSeconds(3),
                new ClusterSpec.LeaseSettings(Duration.ofMillis(200), Duration.ofMillis(300), 0.01, Duration.ofMillis(200)),
                groups, Map.of(), ownershipLog);
    }

    private Member start(String name) throws Exception {
        if (namespace == null) {
            namespace = "t" + (++namespaces);
        }
        ClusterSpec spec = spec(name);
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(spec.connect()).namespace(namespace)
                .sessionTimeoutMs((int) spec.sessionTimeout().toMillis()).connectionTimeoutMs(2_000)
                .retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
        java.util.concurrent.atomic.AtomicLong ahead = clockAhead.computeIfAbsent(name, n -> new java.util.concurrent.atomic.AtomicLong());
        ClusterNode node = new ClusterNode(spec, zk, () -> System.nanoTime() + ahead.get(), Clock.systemUTC());
        Path state = Files.createTempDirectory("clusworker-cluster-" + name);
        MemoryType type = new MemoryType(name, history);
        types.put(name, type);
        node.onFenceSelf(why -> fenced.add(name + ": " + why));
        org.clusworker.host.ResourcePolicy quick = new org.clusworker.host.ResourcePolicy(pendingTimeout, null,
                Duration.ofSeconds(300), Duration.ofMillis(200), Duration.ofSeconds(60), restartAction, restartAction
                == org.clusworker.host.RestartAction.RESTART_THEN_FAILOVER ? 0 : 3, Duration.ofMinutes(15), Duration.ofMillis(500),
                Duration.ofHours(1), null);
        ResourceHost.Builder builder = ResourceHost.builder().name(name).stateDirectory(state)
                .types(new ResourceTypes().register(type));
        for (String r : ClusterNode.groupedResources(spec)) {
            builder.resource(new ResourceSpec(r, "memory", Map.of(), List.of(), quick));
        }
        ResourceHost host = builder.heldOffline(ClusterNode.groupedResources(spec)).failoverHandler(node::onResourceFailover).build();
        host.start();
        node.start(host);
        Member m = new Member(name, node, host);
        members.add(m);
        return m;
    }

    private static void await(String what, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    /** That {@code condition} holds all along {@code period} (that nothing happens which should not). */
    private static void holdsDuring(String what, Duration period, BooleanSupplier condition) {
        org.awaitility.Awaitility.await(what).during(period).atMost(period.plus(PATIENCE)).until(condition::getAsBoolean);
    }

    private MemoryType.History.Interval aliveOn() {
        List<MemoryType.History.Interval> alive = history.alive("app");
        return alive.size() == 1 ? alive.getFirst() : null;
    }

    /** Starts a, waits until it runs the group (a node that is up first takes it: a must be first), then the others. */
    private Member startOwnerA(String... others) throws Exception {
        Member a = start("a");
        await("app online on a", () -> aliveOn() != null && aliveOn().node().equals("a"));
        for (String o : others) {
            start(o);
        }
        await("every node a member", () -> {
            try {
                return a.node().zk().getChildren().forPath("/members").size() == members.size();
            } catch (Exception e) {
                return false;
            }
        });
        return a;
    }

    private Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void start_threeNodesAtOnce_exactlyOneRunsTheGroup_withEpochOne() throws Exception {
        start("a");
        start("b");
        start("c");
        await("app online somewhere", () -> aliveOn() != null);
        String owner = aliveOn().node();
        assertThat(aliveOn().epoch()).isEqualTo(1);
        assertThat(member(owner).node().ownedGroups()).containsEntry("web", 1L);
        assertThat(members.stream().filter(m -> !m.name().equals(owner))).allMatch(m -> m.node().ownedGroups().isEmpty());
        assertThat(history.overlaps()).isEmpty();
    }

    @Test
    void start_thePreferredOwnerUpFirst_runsTheGroupAlone() throws Exception {
        Member a = startOwnerA("b", "c");
        assertThat(aliveOn().epoch()).isEqualTo(1);
        assertThat(a.node().ownedGroups()).containsEntry("web", 1L);
        assertThat(history.overlaps()).isEmpty();
    }

    @Test
    void ownerLeaves_theNextNodeTakesOverWithTheNextEpoch_neverTwoAtOnce() throws Exception {
        Member a = startOwnerA("b", "c");
        await("b and c members", () -> members.size() == 3);
        members.remove(a);
        a.node().close();         // its session ends: the owner znode vanishes; its resource keeps running until the host stops it
        a.host().close();
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        assertThat(aliveOn().epoch()).isEqualTo(2);
        assertThat(history.overlaps()).isEmpty();
    }

    @Test
    void ownershipLog_recordsJoinAcquireOnlineLeasesAndThePlannedMove_inTheOrderTheyHappened() throws Exception {
        ownershipLog = Files.createTempDirectory("clusworker-ownership").resolve("ownership.log");
        Member a = startOwnerA("b");
        new GroupStore(a.node().zk()).requestMove("web", "b", "move", "r1", System.currentTimeMillis());
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        await("b's online logged", () -> {
            try {
                return Files.readString(ownershipLog).contains(" ~ b online web 2 ");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        List<String[]> lines = Files.readAllLines(ownershipLog).stream().map(l -> l.split(" ")).toList();
        assertThat(lines).allSatisfy(w -> {
            assertThat(w[0]).matches("\\d+");
            assertThat(w[1]).isEqualTo("~");
        });
        java.util.function.Function<String, Integer> at = prefix -> {
            for (int i = 0; i < lines.size(); i++) {
                if (String.join(" ", lines.get(i)).substring(lines.get(i)[0].length() + 1).startsWith(prefix)) {
                    return i;
                }
            }
            throw new AssertionError("no line '" + prefix + "' in " + ownershipLog);
        };
        assertThat(at.apply("~ a join - -")).isLessThan(at.apply("~ a maintenance - -")).isLessThan(at.apply("~ a acquire web 1"));
        assertThat(lines.get(at.apply("~ a maintenance - -"))[7]).isEqualTo("none");     // its state, once after each join
        assertThat(String.join(" ", lines.get(at.apply("~ a acquire web 1")))).contains(" start");
        assertThat(at.apply("~ a acquire web 1")).isLessThan(at.apply("~ a placement web 1")).isLessThan(at.apply("~ a online web 1"));
        // the placement line: the node's index among the candidates, then the snapshot it decided on, as JSON
        String placed = Files.readAllLines(ownershipLog).get(at.apply("~ a placement web 1"));
        assertThat(placed.split(" ")).satisfies(w -> assertThat(List.of(w[7], w[8])).containsExactly("index", "0"));
        SnapshotJson snapshot = new com.fasterxml.jackson.databind.ObjectMapper().readValue(placed.substring(placed.indexOf('{')), SnapshotJson.class);
        assertThat(snapshot.requests()).containsExactly(Map.entry("web", "START"));
        assertThat(snapshot.nodes()).containsExactly("a", "b", "c");
        assertThat(snapshot.up()).containsExactly("a");
        assertThat(org.clusworker.cluster.placement.Placer.windows().place(snapshot.toSnapshot(), "web",
                snapshot.toRequests().get("web")).candidates()).containsExactly("a");
        assertThat(at.apply("~ a online web 1")).isLessThan(at.apply("~ a offlining web 1"));
        assertThat(String.join(" ", lines.get(at.apply("~ a offlining web 1")))).contains(" planned move");
        assertThat(at.apply("~ a offlining web 1")).isLessThan(at.apply("~ a release web 1"));
        assertThat(at.apply("~ a release web 1")).isLessThan(at.apply("~ b acquire web 2"));
        assertThat(String.join(" ", lines.get(at.apply("~ b acquire web 2")))).contains(" move");
        // each lease line: the fence time comes before the earliest takeover, both after the line was written
        List<String[]> leases = lines.stream().filter(w -> w[3].equals("lease")).toList();
        assertThat(leases).hasSizeGreaterThan(2);
        assertThat(leases).allSatisfy(w -> {
            long written = Long.parseLong(w[0]);
            long fenceAt = Long.parseLong(w[7]);
            long takeoverAt = Long.parseLong(w[8]);
            assertThat(fenceAt).isGreaterThan(written).isLessThan(takeoverAt);
        });
        // the session of every event is the node's session when it joined
        String sessionA = lines.get(at.apply("~ a join - -"))[6];
        assertThat(lines.get(at.apply("~ a acquire web 1"))[6]).isEqualTo(sessionA);
    }

    @Test
    void plannedMove_toATarget_goesThereAndOnlyThere() throws Exception {
        Member a = startOwnerA("b", "c");
        Member b = member("b");
        Member c = member("c");
        new GroupStore(b.node().zk()).requestMove("web", "c", "move", "r1", System.currentTimeMillis());
        await("app online on c", () -> aliveOn() != null && aliveOn().node().equals("c"));
        assertThat(aliveOn().epoch()).isEqualTo(2);
        assertThat(c.node().ownedGroups()).containsEntry("web", 2L);
        assertThat(a.node().ownedGroups()).isEmpty();
        assertThat(history.overlaps()).isEmpty();
        assertThat(new GroupStore(b.node().zk()).read("web").target()).isEmpty();     // one-shot: cleared by the acquirer
    }

    @Test
    void admin_statusAndMoveWithWait_seeWhatTheNodesDo() throws Exception {
        Member a = startOwnerA("b", "c");
        ClusterAdmin admin = new ClusterAdmin(spec("a"), a.node().zk());
        await("every node up", () -> {
            try {
                return admin.status().nodes().stream().allMatch(ClusterAdmin.NodeStatus::up);
            } catch (Exception e) {
                return false;
            }
        });
        ClusterAdmin.GroupStatus web = admin.status().groups().getFirst();
        assertThat(web.owner()).contains("a");
        assertThat(web.ifOwnerFails()).contains("b");
        assertThat(admin.status().nodes()).allMatch(ClusterAdmin.NodeStatus::up);
        admin.requestMove("web", java.util.Optional.of("c"));
        assertThat(admin.awaitOnline("web", java.util.Optional.of("c"), "a", PATIENCE)).hasValueSatisfying(s -> {
            assertThat(s.epoch()).isEqualTo(2);
            assertThat(s.failoversInPeriod()).isZero();       // a planned move is not a failover
            assertThat(s.ifOwnerFails()).contains("a");       // next after c, cyclically: a
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.requestMove("web", java.util.Optional.of("x")))
                .hasMessageContaining("no node 'x' in cluster test");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.confirmOffline("web", "c"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Expected group web to be Stuck on c, but it is ONLINE on c");
        assertThat(history.overlaps()).isEmpty();
    }

    @Test
    void drain_movesTheGroupOffTheNode() throws Exception {
        Member a = startOwnerA("b");
        a.node().drain();
        assertThat(a.node().awaitNoGroups(PATIENCE)).isTrue();
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        assertThat(history.overlaps()).isEmpty();
        assertThat(new GroupStore(a.node().zk()).read("web").history().entries()).extracting(r -> r.planned())
                .containsExactly(false, true);     // the start, then the drain: a planned move, not a failover
    }

    @Test
    void drain_ofSeveralGroups_movesThemOneAtATime_eachOnlineElsewhereBeforeTheNextStops() throws Exception {
        groupCount = 3;
        Member a = start("a");
        await("every group online on a", () -> java.util.stream.Stream.of("app", "app2", "app3")
                .allMatch(r -> history.alive(r).size() == 1 && history.alive(r).getFirst().node().equals("a")));
        start("b");
        await("b a member", () -> {
            try {
                return a.node().zk().getChildren().forPath("/members").size() == 2;
            } catch (Exception e) {
                return false;
            }
        });
        a.node().drain();
        assertThat(a.node().awaitNoGroups(PATIENCE)).isTrue();
        await("every group online on b", () -> java.util.stream.Stream.of("app", "app2", "app3")
                .allMatch(r -> history.alive(r).size() == 1 && history.alive(r).getFirst().node().equals("b")));
        List<String> order = List.of("app", "app2", "app3");      // the configured order
        for (int i = 0; i + 1 < order.size(); i++) {
            MemoryType.History.Interval movedOn = interval(order.get(i), "b");
            // its last run on a: a lease that ran out meanwhile (a starved machine) stops and restarts it there first
            String next = order.get(i + 1);
            MemoryType.History.Interval nextOnA = history.intervals().stream()
                    .filter(v -> v.resource().equals(next) && v.node().equals("a")).reduce((x, y) -> y).orElseThrow();
            assertThat(nextOnA.to()).as("%s stops on a after %s started on b", order.get(i + 1), order.get(i))
                    .isGreaterThanOrEqualTo(movedOn.from());
        }
        assertThat(history.overlaps()).isEmpty();
    }

    private MemoryType.History.Interval interval(String resource, String node) {
        return history.intervals().stream().filter(v -> v.resource().equals(resource) && v.node().equals(node)).findFirst().orElseThrow();
    }

    @Test
    void move_toANodeThatIsDown_isWithdrawn_theGroupStaysAndFailsOverNormallyLater() throws Exception {
        Member a = startOwnerA("b");               // c is configured, but down
        ClusterAdmin admin = new ClusterAdmin(spec("b"), member("b").node().zk());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.requestMove("web", java.util.Optional.of("c")))
                .hasMessage("node c is not up: it cannot take group web");
        GroupStore store = new GroupStore(member("b").node().zk());
        store.requestMove("web", "c", "move", "r1", System.currentTimeMillis());       // as if c had left after the request
        await("the move withdrawn", () -> {
            try {
                return store.read("web").target().isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
        assertThat(aliveOn().node()).isEqualTo("a");
        assertThat(aliveOn().epoch()).isEqualTo(1);
        members.remove(a);
        stop(a);                                   // the stale move does not send the failover to c (down): b takes it
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        assertThat(history.overlaps()).isEmpty();
    }

    private static String stateOf(ClusterAdmin admin, String node) {
        try {
            return admin.status().nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().state();
        } catch (Exception e) {
            return "unknown: " + e;
        }
    }

    @Test
    void pause_theOwnerKeepsItsGroup_aPausedNodeIsSkippedByTheFailover_resumeTakesItBack() throws Exception {
        Member a = startOwnerA("b", "c");
        ClusterAdmin admin = new ClusterAdmin(spec("c"), member("c").node().zk());
        admin.pause("a");
        admin.pause("b");
        await("a and b shown paused", () -> stateOf(admin, "a").equals("paused") && stateOf(admin, "b").equals("paused"));
        holdsDuring("a keeps its group", Duration.ofMillis(1_000), () -> aliveOn() != null && aliveOn().node().equals("a"));
        members.remove(a);
        stop(a);                                   // the next after a is b, but b is paused: c takes it
        await("app online on c", () -> aliveOn() != null && aliveOn().node().equals("c"));
        assertThat(member("b").node().ownedGroups()).isEmpty();
        assertThat(admin.resume("b", false)).isEmpty();
        await("b shown up", () -> stateOf(admin, "b").equals("up"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.resume("b", false))
                .hasMessage("node b is not paused or draining; nothing changed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> admin.pause("x"))
                .hasMessageContaining("no node 'x' in cluster test");
        assertThat(history.overlaps()).isEmpty();
    }

    @Test
    void operatorDrain_movesEveryGroupOff_thenTheNodeStaysPaused_resumeWithFailbackBringsThemBack() throws Exception {
        groupCount = 2;
        Member a = start("a");
        await("both groups online on a", () -> java.util.stream.Stream.of("app", "app2")
                .allMatch(r -> history.alive(r).size() == 1 && history.alive(r).getFirst().node().equals("a")));
        start("b");
        ClusterAdmin admin = new ClusterAdmin(spec("b"), member("b").node().zk());
        await("b up", () -> stateOf(admin, "b").equals("up"));
        admin.drain("a");
        await("both groups online on b", () -> java.util.stream.Stream.of("app", "app2")
                .allMatch(r -> history.alive(r).size() == 1 && history.alive(r).getFirst().node().equals("b")));
        await("a drained, then paused", () -> stateOf(admin, "a").equals("paused"));
        assertThat(admin.status().nodes().getFirst().maintenance().orElseThrow().reason()).isEqualTo("drain completed");
        assertThat(a.node().ownedGroups()).isEmpty();
        assertThat(admin.history("web")).extracting(f -> f.to() + (f.planned() ? " planned" : "")).containsExactly("a", "b planned");

        assertThat(admin.resume("a", true)).containsExactly("web", "web2");        // a is their most preferred node
        await("both groups back on a", () -> java.util.stream.Stream.of("app", "app2")
                .allMatch(r -> history.alive(r).size() == 1 && history.alive(r).getFirst().node().equals("a")));
        assertThat(admin.status().groups()).allMatch(g -> g.failoversInPeriod() == 0 && g.target().isEmpty());   // planned, one-shot
        assertThat(history.overlaps()).isEmpty();
    }

    @Test
    void failback_allowed_theGroupGoesBackToItsPreferredOwner_onceItHasBeenUpForStableFor() throws Exception {
        policies.put("web", org.clusworker.cluster.placement.GroupPolicy.DEFAULTS
                .withFailback(org.clusworker.cluster.placement.FailbackPolicy.allowed(Duration.ofSeconds(1))));
        Member a = startOwnerA("b");
        members.remove(a);
        stop(a);
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        long back = System.nanoTime();
        start("a");                                           // the preferred owner returns
        await("app back on a", () -> aliveOn() != null && aliveOn().node().equals("a"));
        assertThat(Duration.ofNanos(System.nanoTime() - back)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));   // stableFor
        ClusterAdmin admin = new ClusterAdmin(spec("b"), member("b").node().zk());
        assertThat(admin.history("web")).extracting(f -> f.to() + (f.planned() ? " planned: " + f.reason() : ""))
                .containsExactly("a", "b", "a planned: failback to a");
        assertThat(admin.status().groups().getFirst().target()).isEmpty();       // one-shot
        assertThat(history.overlaps()).isEmpty();
    }

    @Test
    void failback_prevented_theDefault_theGroupStaysWhereItFailedOver() throws Exception {
        Member a = startOwnerA("b");
        members.remove(a);
        stop(a);
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        start("a");
        holdsDuring("app stays on b", Duration.ofMillis(1_500), () -> aliveOn() != null && aliveOn().node().equals("b"));
    }

    @Test
    void noAutoStart_theGroupStaysOfflineUntilAnOperatorMovesIt() throws Exception {
        policies.put("web", org.clusworker.cluster.placement.GroupPolicy.DEFAULTS
                .withPriority(org.clusworker.cluster.placement.Priority.NO_AUTO_START));
        start("a");
        start("b");
        holdsDuring("web never started", Duration.ofMillis(1_500), () -> history.intervals().isEmpty());
        ClusterAdmin admin = new ClusterAdmin(spec("b"), member("b").node().zk());
        admin.requestMove("web", java.util.Optional.of("b"));
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
    }

    /**
     * What a retried acquisition leaves when Curator carried it out again on a new session of the node after the
     * session that asked for it expired (seen in a chaos run): an owner znode held by the node's live session,
     * with a record naming the ended one, of a group the node does not know it owns. The node withdraws it; the
     * group is not left offline until that session ends.
     */
    @Test
    void anAcquisitionCarriedOutOnALaterSession_theNodeWithdrawsIt_theGroupComesOnlineOnce() throws Exception {
        policies.put("web", org.clusworker.cluster.placement.GroupPolicy.DEFAULTS
                .withPriority(org.clusworker.cluster.placement.Priority.NO_AUTO_START));
        ownershipLog = Files.createTempDirectory("clusworker-ownership").resolve("ownership.log");
        Member a = start("a");
        GroupStore store = new GroupStore(a.node().zk());
        await("a joined and made web's records", () -> read(ownershipLog).contains(" ~ a join ") && a.node().groupsSeen().containsKey("web"));
        GroupStore.GroupRecord before = store.read("web");
        long endedSession = 0x1234_5678L;
        long orphan = before.epoch() + 1;
        // made with a's own client: the owner znode is held by a's live session (the node may withdraw it at once)
        assertThat(store.acquire(before, "a", endedSession, "move requested", true, System.currentTimeMillis())).contains(orphan);
        await("a withdrew it", () -> read(ownershipLog).contains(" ~ a withdraw web " + orphan + " "));
        assertThat(a.node().ownedGroups()).doesNotContainKey("web");
        assertThat(history.intervals()).isEmpty();

        new ClusterAdmin(spec("a"), a.node().zk()).requestMove("web", java.util.Optional.of("a"));
        await("app online on a", () -> aliveOn() != null && aliveOn().node().equals("a"));
        assertThat(aliveOn().epoch()).isEqualTo(orphan + 1);
        assertThat(a.node().ownedGroups()).containsEntry("web", orphan + 1);
        assertThat(history.intervals()).hasSize(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void enforcedAntiAffinity_twoGroupsNeverShareANode_theSecondStaysOfflineWhenOnlyOneNodeIsUp() throws Exception {
        groupCount = 2;
        org.clusworker.cluster.placement.GroupPolicy apart = org.clusworker.cluster.placement.GroupPolicy.DEFAULTS
                .withAntiAffinity(org.clusworker.cluster.placement.AntiAffinity.enforced("db"));
        policies.put("web", apart);
        policies.put("web2", apart);
        start("a");
        await("app online on a", () -> history.alive("app").size() == 1);
        holdsDuring("app2 not started beside it", Duration.ofMillis(1_500), () -> history.alive("app2").isEmpty());
        start("b");
        await("app2 online on b", () -> history.alive("app2").size() == 1 && history.alive("app2").getFirst().node().equals("b"));
        assertThat(history.alive("app").getFirst().node()).isEqualTo("a");
    }

    @Test
    void failoverThreshold_reached_theGroupIsLeftOfflineFailed_notFailedOverAgain() throws Exception {
        threshold = java.util.OptionalInt.of(1);
        Member a = startOwnerA("b", "c");
        members.remove(a);
        stop(a);                                                       // failover 1: allowed
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        Member b = member("b");
        members.remove(b);
        stop(b);                                                       // failover 2: past the threshold of 1
        Member c = member("c");
        ClusterAdmin admin = new ClusterAdmin(spec("c"), c.node().zk());
        await("web Failed", () -> {
            try {
                return admin.status().groups().getFirst().phase() == org.clusworker.cluster.zk.Records.Phase.FAILED;
            } catch (Exception e) {
                return false;
            }
        });
        holdsDuring("web left offline", Duration.ofMillis(1_500), () -> history.alive("app").isEmpty());   // past every delay
        assertThat(c.node().ownedGroups()).isEmpty();
        assertThat(admin.status().groups().getFirst().reason()).startsWith("failover threshold 1 in 6h reached (1 unplanned failover after ")
                .endsWith("(RetryPeriodOnFailure 1h): left offline");
        assertThat(new GroupStore(c.node().zk()).read("web").history().lastFailedAt()).isPositive();    // the window counts afresh after the retry
    }

    @Test
    void hungOfflineDuringAMove_stuck_notStartedElsewhere_untilAnOperatorConfirmsItOffline() throws Exception {
        onStopFailure = GroupSpec.StopFailure.BLOCK;
        Member a = startOwnerA("b");
        types.get("a").hangOffline.set(true);
        ClusterAdmin admin = new ClusterAdmin(spec("b"), member("b").node().zk());
        admin.requestMove("web", java.util.Optional.of("b"));
        await("web Stuck on a", () -> {
            try {
                ClusterAdmin.GroupStatus s = admin.status().groups().getFirst();
                return s.phase() == org.clusworker.cluster.zk.Records.Phase.STUCK && s.owner().equals(java.util.Optional.of("a"));
            } catch (Exception e) {
                return false;
            }
        });
        holdsDuring("b never starts it", Duration.ofMillis(1_500),      // longer than every takeover delay
                () -> history.intervals().stream().noneMatch(v -> v.node().equals("b")));
        assertThat(fenced).isEmpty();                       // block: the node does not fence itself
        admin.confirmOffline("web", "a");
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        assertThat(history.overlaps()).isEmpty();
        types.get("a").hangOffline.set(false);
    }

    @Test
    void aStopFailsOutsideARelease_theResourceDiedAndItsStopHangs_theGroupIsStuck_andTheNodeFencesItself() throws Exception {
        Member a = startOwnerA("b");
        types.get("a").hangOffline.set(true);
        types.get("a").dead.set(true);          // a failed health check: the host stops it before anything else; the stop hangs
        await("node a fenced itself", () -> !fenced.isEmpty());
        assertThat(fenced).singleElement().asString().startsWith("a: group web is Stuck: [app] could not be confirmed stopped");
        assertThat(new GroupStore(member("b").node().zk()).read("web").state().phase()).isEqualTo(org.clusworker.cluster.zk.Records.Phase.STUCK);
        assertThat(history.intervals()).noneMatch(v -> v.node().equals("b"));     // nobody else started it
        types.get("a").hangOffline.set(false);
    }

    @Test
    void hungOffline_fenceSelfPolicy_theNodeFencesItself() throws Exception {
        Member a = startOwnerA("b");
        types.get("a").hangOffline.set(true);
        new ClusterAdmin(spec("b"), member("b").node().zk()).requestMove("web", java.util.Optional.of("b"));
        await("node a fenced itself", () -> !fenced.isEmpty());
        assertThat(fenced).singleElement().asString().startsWith("a: group web is Stuck: [app] could not be confirmed stopped");
        types.get("a").hangOffline.set(false);
    }

    @Test
    void restartThenFailover_pastTheRestartThreshold_theGroupMovesToTheNextNode() throws Exception {
        restartAction = org.clusworker.host.RestartAction.RESTART_THEN_FAILOVER;      // threshold 0: the first failure moves it
        startOwnerA("b", "c");
        types.get("a").dead.set(true);
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        assertThat(aliveOn().epoch()).isEqualTo(2);
        ClusterAdmin admin = new ClusterAdmin(spec("b"), member("b").node().zk());
        assertThat(admin.status().groups().getFirst().failoversInPeriod()).isEqualTo(1);     // unplanned: it counts
        assertThat(history.overlaps()).isEmpty();
    }

    /** The phase of group web as ZooKeeper holds it, read through node {@code by}'s session. */
    private org.clusworker.cluster.zk.Records.Phase phaseOfWeb(String by) {
        try {
            return new GroupStore(member(by).node().zk()).read("web").state().phase();
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * Seed 10206 of the chaos campaign: the owner's stop hung during a planned move, its lease ran out while the
     * stop ran (the lease's stop is that same stop), then the stop failed. The group must become Stuck and the
     * node fence itself: it waited for a lease restart that never comes, owned and offline for good.
     */
    @Test
    void leaseRunsOutWhileAMovesStopHangs_thenTheStopFails_theGroupIsStuck_andTheNodeFencesItself() throws Exception {
        pendingTimeout = Duration.ofSeconds(5);
        Member a = leaseRunsOutWhileAMovesStopHangs();
        assertThat(fenced).isEmpty();
        await("node a fenced itself", () -> !fenced.isEmpty());
        assertThat(fenced).singleElement().asString().startsWith("a: group web is Stuck: [app] could not be confirmed stopped");
        assertThat(phaseOfWeb("b")).isEqualTo(org.clusworker.cluster.zk.Records.Phase.STUCK);
        assertThat(history.intervals()).noneMatch(v -> v.node().equals("b"));     // nobody else started it
        types.get("a").hangOffline.set(false);
    }

    /**
     * The owner's lease runs out while a planned move's stop hangs; the stop then completes and the lease
     * holds again. The move goes on: the group is released and started on the target, never started again on
     * its old owner (which would leave it running there, its release waiting for a stop nobody asks for).
     */
    @Test
    void leaseRunsOutWhileAMovesStopHangs_thenTheStopCompletes_theMoveGoesOn_notARestartOnTheOldOwner() throws Exception {
        pendingTimeout = Duration.ofSeconds(30);
        Member a = leaseRunsOutWhileAMovesStopHangs();
        types.get("a").hangOffline.set(false);
        await("app online on b", () -> aliveOn() != null && aliveOn().node().equals("b"));
        assertThat(runsOf("a")).singleElement().satisfies(run -> assertThat(run.epoch()).isEqualTo(1));
        assertThat(history.overlaps()).isEmpty();
        assertThat(fenced).isEmpty();
        assertThat(a.node().ownedGroups()).isEmpty();
    }

    /**
     * a owns web and b is up; a move to b begins, a's stop of app hangs, and a's lease runs out at once (its
     * monotonic clock jumps 10 s, as a paused JVM sees it): returns once a logged the lease's stop of web.
     */
    private Member leaseRunsOutWhileAMovesStopHangs() throws Exception {
        ownershipLog = Files.createTempDirectory("clusworker-ownership").resolve("ownership.log");
        Member a = startOwnerA("b");
        types.get("a").hangOffline.set(true);
        new ClusterAdmin(spec("b"), member("b").node().zk()).requestMove("web", java.util.Optional.of("b"));
        await("web offlining on a", () -> phaseOfWeb("b") == org.clusworker.cluster.zk.Records.Phase.OFFLINING);
        clockAhead.get("a").addAndGet(Duration.ofSeconds(10).toNanos());
        await("a's lease stopped web while the move's stop hangs", () -> logged(" ~ a lease-stop web 1 "));
        return a;
    }

    private boolean logged(String text) {
        try {
            return Files.readString(ownershipLog).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private List<MemoryType.History.Interval> runsOf(String node) {
        return history.intervals().stream().filter(v -> v.node().equals(node)).toList();
    }
}
