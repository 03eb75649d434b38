package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.TestingCluster;
import org.clusworker.cluster.placement.AntiAffinity;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.cluster.placement.Priority;
import org.clusworker.cluster.testing.MemoryType;
import org.clusworker.cluster.zk.Records;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code cluster simulate} predicts is what the cluster does: on randomized configurations
 * (preferred owners, possible owners, priorities, soft anti-affinity), three real nodes on a real
 * ensemble settle; the simulator predicts where every group goes if one owner fails; that node is then
 * stopped, and every group ends where the prediction said. Each trial prints its seed.
 */
class ClusterAgreementIT {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final List<String> NODES = List.of("a", "b", "c");
    private static final int TRIALS = Integer.getInteger("clusworker.test.agreementTrials", 4);
    private static TestingCluster ensemble;
    private static int namespaces;

    private final MemoryType.History history = new MemoryType.History();
    private final Map<String, ClusterNode> nodes = new HashMap<>();
    private final Map<String, ResourceHost> hosts = new HashMap<>();

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
        nodes.values().forEach(ClusterNode::close);
        hosts.values().forEach(ResourceHost::close);
    }

    /** A random configuration whose groups each have at least one possible owner. */
    private static ClusterSpec randomSpec(Random r, String node) {
        List<GroupSpec> groups = new ArrayList<>();
        Map<String, List<String>> possible = new HashMap<>();
        List<Priority> priorities = List.of(Priority.HIGH, Priority.MEDIUM, Priority.LOW);
        for (int i = 1; i <= 3; i++) {
            List<String> preferred = new ArrayList<>(NODES);
            java.util.Collections.shuffle(preferred, r);
            preferred = preferred.subList(0, r.nextInt(NODES.size() + 1));
            if (r.nextInt(3) == 0) {
                List<String> owners = new ArrayList<>(NODES);
                java.util.Collections.shuffle(owners, r);
                possible.put("r" + i, List.copyOf(owners.subList(0, 2)));
            }
            GroupPolicy policy = GroupPolicy.DEFAULTS.withPriority(priorities.get(r.nextInt(priorities.size())))
                    .withAntiAffinity(r.nextBoolean() ? AntiAffinity.soft("tier") : AntiAffinity.NONE);
            groups.add(new GroupSpec("g" + i, List.of("r" + i), preferred, OptionalInt.empty(), Duration.ofHours(6), Duration.ofMillis(500),
                    GroupSpec.StopFailure.FENCE_SELF).withPolicy(policy));
        }
        return new ClusterSpec("agree", node, NODES, ensemble.getConnectString(), Duration.ofSeconds(3),
                new ClusterSpec.LeaseSettings(Duration.ofMillis(200), Duration.ofMillis(300), 0.01, Duration.ofMillis(200)), groups, possible);
    }

    private void start(ClusterSpec spec, String namespace) throws Exception {
        CuratorFramework zk = CuratorFrameworkFactory.builder().connectString(spec.connect()).namespace(namespace)
                .sessionTimeoutMs(3_000).connectionTimeoutMs(2_000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
        ClusterNode node = new ClusterNode(spec, zk, System::nanoTime, Clock.systemUTC());
        org.clusworker.host.ResourcePolicy quick = new org.clusworker.host.ResourcePolicy(Duration.ofSeconds(1), null,
                Duration.ofSeconds(300), Duration.ofMillis(200), Duration.ofSeconds(60), org.clusworker.host.RestartAction.RESTART, 3,
                Duration.ofMinutes(15), Duration.ofMillis(500), Duration.ofHours(1), null);
        ResourceHost.Builder b = ResourceHost.builder().name(spec.node())
                .stateDirectory(Files.createTempDirectory("clusworker-agree-" + spec.node()))
                .types(new ResourceTypes().register(new MemoryType(spec.node(), history)));
        for (String r : ClusterNode.groupedResources(spec)) {
            b.resource(new ResourceSpec(r, "memory", Map.of(), List.of(), quick));
        }
        ResourceHost host = b.heldOffline(ClusterNode.groupedResources(spec)).failoverHandler(node::onResourceFailover).build();
        host.start();
        node.start(host);
        nodes.put(spec.node(), node);
        hosts.put(spec.node(), host);
    }

    /** What the last {@link #settled} check saw (for a failure's message). */
    private String lastSettled = "";

    /**
     * The nodes {@code up} are the ones up (and no other), and every group is Online, or offline where the
     * simulator, asked about no change, says it stays offline. (Without the first part a round before every
     * node had joined passed: with no node up, every group stays offline.)
     */
    private boolean settled(ClusterAdmin admin, Set<String> up) {
        try {
            ClusterAdmin.Status s = admin.status();
            List<Simulator.Outcome> now = new Simulator(org.clusworker.cluster.placement.Placer.windows())
                    .run(s.snapshot(), s.requests(), Simulator.Changes.none());
            lastSettled = "up " + s.snapshot().up() + ", " + s.groups().stream().map(g -> g.name() + " " + g.phase() + " on " + g.owner().orElse("none"))
                    .toList() + ", " + now.stream().map(o -> o.group() + ": " + o.summary()).toList();
            for (ClusterAdmin.GroupStatus g : s.groups()) {
                boolean offlineExpected = now.stream().anyMatch(o -> o.group().equals(g.name()) && o.ownerAfter().isEmpty());
                boolean online = g.owner().isPresent() && g.phase() == Records.Phase.ONLINE;
                if (!(online || offlineExpected && g.owner().isEmpty() && g.phase() != Records.Phase.OFFLINING)) {
                    return false;
                }
            }
            return s.snapshot().up().equals(up);
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<String, Optional<String>> owners(ClusterAdmin admin) throws Exception {
        Map<String, Optional<String>> m = new HashMap<>();
        for (ClusterAdmin.GroupStatus g : admin.status().groups()) {
            m.put(g.name(), g.owner());
        }
        return m;
    }

    @Test
    void simulateAndTheLiveCluster_agree_onRandomConfigurations_whenAnOwnerFails() throws Exception {
        long base = Long.getLong("clusworker.test.seed", System.nanoTime());
        for (int t = 0; t < TRIALS; t++) {
            long seed = base + t;
            Random r = new Random(seed);
            String namespace = "agree" + (++namespaces);
            for (String n : NODES) {
                start(randomSpec(new Random(seed), n), namespace);
            }
            ClusterAdmin admin = new ClusterAdmin(randomSpec(new Random(seed), "a"), nodes.get("a").zk());
            org.awaitility.Awaitility.await("settled (seed " + seed + ")").atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                    .until(() -> settled(admin, Set.copyOf(NODES)));
            String settledOn = lastSettled;
            Set<String> owning = new java.util.TreeSet<>();
            owners(admin).values().forEach(o -> o.ifPresent(owning::add));
            if (owning.isEmpty()) {           // every group offline by its configuration: nothing to fail over
                stopNodes();
                nodes.clear();
                hosts.clear();
                continue;
            }
            String victim = new ArrayList<>(owning).get(r.nextInt(owning.size()));
            String watcher = NODES.stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();
            ClusterAdmin view = new ClusterAdmin(randomSpec(new Random(seed), watcher), nodes.get(watcher).zk());
            Map<String, Optional<String>> predicted = new HashMap<>();
            List<Simulator.Outcome> outcomes = view.simulate(new Simulator.Changes(Set.of(victim), Set.of(), Map.of()));
            for (Simulator.Outcome o : outcomes) {
                predicted.put(o.group(), o.ownerAfter());
            }
            Set<String> survivors = new java.util.TreeSet<>(NODES);
            survivors.remove(victim);
            nodes.remove(victim).close();
            hosts.remove(victim).close();
            try {
                org.awaitility.Awaitility.await("the groups where simulate said (seed " + seed + ", " + victim + " down)")
                        .atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                        .until(() -> settled(view, survivors) && owners(view).equals(predicted));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("seed " + seed + " (-Dclusworker.test.seed=" + seed + "): " + victim + " down; predicted " + predicted
                        + ", the cluster has " + owners(view) + "\nsimulate: " + outcomes.stream().map(o -> o.group() + " on " + o.ownerBefore()
                        .orElse("none") + ": " + o.summary()).toList() + "\nsettled on: " + settledOn + "\n" + view.spec().groups(), e);
            }
            assertThat(history.overlaps()).as("seed %d", seed).isEmpty();
            stopNodes();
            nodes.clear();
            hosts.clear();
        }
    }
}
