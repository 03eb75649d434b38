package org.clusworker.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.clusworker.cluster.placement.Placement;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.Placer;
import org.clusworker.cluster.zk.GroupStore;
import org.clusworker.cluster.zk.Records;

/**
 * What an operator sees and does of a cluster from outside it: the nodes and the groups as ZooKeeper
 * holds them, planned moves and confirm-offline. It is not a node: it owns nothing, and its session
 * is its own. Thread-safe.
 */
public final class ClusterAdmin {

    private static final Placer PLACER = Placer.windows();
    private final ClusterSpec spec;
    private final CuratorFramework zk;
    private final GroupStore store;

    /** @param zk a started client whose namespace is the cluster's chroot */
    public ClusterAdmin(ClusterSpec spec, CuratorFramework zk) {
        this.spec = spec;
        this.zk = zk;
        this.store = new GroupStore(zk);
    }

    /**
     * An admin of the cluster whose nodes keep their configuration in {@code zk} (under its namespace):
     * for commands given only {@code --zookeeper CONNECT}.
     *
     * @throws IllegalStateException if no node of a cluster ever joined there
     */
    public static ClusterAdmin fromZooKeeper(CuratorFramework zk, String connect) throws Exception {
        byte[] data;
        try {
            data = zk.getData().forPath("/config");
        } catch (KeeperException.NoNodeException none) {
            throw new IllegalStateException("no clusworker cluster at " + connect + " (no node ever joined there; check the chroot)");
        }
        org.clusworker.cluster.zk.ConfigRecord c = Records.decode(data, org.clusworker.cluster.zk.ConfigRecord.class, "/config");
        return new ClusterAdmin(c.toSpec(c.nodes().getFirst(), connect), zk);
    }

    /** The cluster's configuration this admin works with. */
    public ClusterSpec spec() {
        return spec;
    }

    /**
     * One node as the cluster sees it.
     *
     * @param maintenance an operator paused or drains it
     */
    public record NodeStatus(String name, boolean up, Optional<Records.Member> member, Optional<Records.NodeMaintenance> maintenance) {

        /** {@code up}, {@code down}, {@code paused}, {@code draining} (an operator's drain or its own orderly stop). */
        public String state() {
            if (maintenance.isPresent()) {
                return maintenance.get().state().name().toLowerCase(java.util.Locale.ROOT) + (up ? "" : " (down)");
            }
            if (!up) {
                return "down";
            }
            return member.map(Records.Member::draining).orElse(false) ? "draining" : "up";
        }
    }

    /**
     * One group as the cluster sees it.
     *
     * @param failoversInPeriod unplanned changes of owner within the group's failover period
     * @param ifOwnerFails      where the group would go if its owner failed now
     */
    public record GroupStatus(String name, Optional<String> owner, long epoch, Records.Phase phase, boolean clean, String reason,
                              Instant since, int failoversInPeriod, int failoverThreshold, Optional<String> target,
                              Optional<String> ifOwnerFails, List<Records.Failover> history) {
    }

    /**
     * The whole cluster at one moment.
     *
     * @param snapshot what the placement function sees of it (nodes that may take groups: up and not in maintenance)
     * @param requests for each group without an owner, what placing it means now
     */
    public record Status(String cluster, List<NodeStatus> nodes, List<GroupStatus> groups, PlacementSnapshot snapshot,
                         Map<String, org.clusworker.cluster.placement.PlacementRequest> requests) {
    }

    public Status status() throws Exception {
        Map<String, Records.Member> members = new TreeMap<>();
        Map<String, Instant> upSince = new TreeMap<>();
        for (String n : children("/members")) {
            try {
                org.apache.zookeeper.data.Stat stat = new org.apache.zookeeper.data.Stat();
                members.put(n, Records.decode(zk.getData().storingStatIn(stat).forPath("/members/" + n), Records.Member.class, "/members/" + n));
                upSince.put(n, Instant.ofEpochMilli(stat.getCtime()));
            } catch (KeeperException.NoNodeException gone) {
                // left while we read
            }
        }
        Map<String, Records.NodeMaintenance> maintenance = store.maintenance();
        List<NodeStatus> nodes = new ArrayList<>();
        for (String n : spec.nodes()) {
            nodes.add(new NodeStatus(n, members.containsKey(n), Optional.ofNullable(members.get(n)), Optional.ofNullable(maintenance.get(n))));
        }
        Set<String> up = new TreeSet<>(members.keySet());
        up.removeIf(n -> members.get(n).draining() || maintenance.containsKey(n));
        List<GroupStatus> groups = new ArrayList<>();
        long now = System.currentTimeMillis();
        Map<String, GroupStore.GroupRecord> records = new TreeMap<>();
        for (GroupSpec g : spec.groups()) {
            try {
                records.put(g.name(), store.read(g.name()));
            } catch (KeeperException.NoNodeException never) {
                store.ensure(g.name());         // no node has made its records yet
                records.put(g.name(), store.read(g.name()));
            }
        }
        PlacementSnapshot snapshot = Snapshots.of(spec, up, records, Instant.ofEpochMilli(now), upSince, java.time.ZoneId.systemDefault());
        Map<String, org.clusworker.cluster.placement.PlacementRequest> requests = new TreeMap<>();
        records.forEach((g, r) -> {
            if (r.owner().isEmpty()) {
                requests.put(g, Snapshots.request(r));
            }
        });
        for (GroupSpec g : spec.groups()) {
            GroupStore.GroupRecord r = records.get(g.name());
            Optional<String> owner = r.owner().map(Records.Owner::node);
            long windowStart = now - g.failoverPeriod().toMillis();
            int failovers = (int) r.history().entries().stream().filter(f -> !f.planned() && f.from() != null && f.to() != null && f.time() > windowStart).count();
            Optional<String> next = PLACER.ifOwnerFails(snapshot, g.name()).flatMap(Placement::chosen);
            groups.add(new GroupStatus(g.name(), owner, r.epoch(), r.state().phase(), r.state().clean(), r.state().reason(),
                    Instant.ofEpochMilli(r.state().since()), failovers, g.failoverThreshold(spec.nodes().size()),
                    r.target().map(t -> t.node() == null ? "(best possible)" : t.node()), next, r.history().entries()));
        }
        return new Status(spec.name(), nodes, groups, snapshot, requests);
    }

    private List<String> children(String path) throws Exception {
        try {
            return zk.getChildren().forPath(path);
        } catch (KeeperException.NoNodeException none) {
            return List.of();
        }
    }

    /**
     * Asks for a planned move of {@code group} to {@code node} (empty: the most preferred eligible node).
     *
     * @return the request's id
     * @throws IllegalArgumentException naming the group or node, if there is no such group, the node is
     *         not in the cluster, or cannot own the group
     */
    public String requestMove(String group, Optional<String> node) throws Exception {
        GroupSpec g = spec.group(group).orElseThrow(() -> new IllegalArgumentException("no group '" + group + "' (groups: "
                + spec.groups().stream().map(GroupSpec::name).toList() + ")"));
        if (node.isPresent()) {
            String n = node.get();
            if (!spec.nodes().contains(n)) {
                throw new IllegalArgumentException("no node '" + n + "' in cluster " + spec.name() + " (nodes: " + spec.nodes() + ")");
            }
            for (String r : g.resources()) {
                if (!spec.possibleOwners(r).contains(n)) {
                    throw new IllegalArgumentException("node " + n + " may not own group " + group + ": it is not a possible owner of resource " + r);
                }
            }
        }
        if (node.isPresent()) {
            Optional<Records.Member> m = status().nodes().stream().filter(x -> x.name().equals(node.get())).findFirst()
                    .flatMap(NodeStatus::member);
            if (m.isEmpty()) {
                throw new IllegalArgumentException("node " + node.get() + " is not up: it cannot take group " + group);
            }
            if (m.get().draining()) {
                throw new IllegalArgumentException("node " + node.get() + " is draining: it cannot take group " + group);
            }
        }
        store.ensure(group);
        GroupStore.GroupRecord now = store.read(group);
        if (node.isPresent() && now.owner().map(Records.Owner::node).filter(node.get()::equals).isPresent()) {
            throw new IllegalArgumentException("group " + group + " is on " + node.get() + " already (epoch " + now.epoch() + "); nothing to move");
        }
        String id = UUID.randomUUID().toString();
        store.requestMove(group, node.orElse(null), "move requested", id, System.currentTimeMillis());
        return id;
    }

    /**
     * Waits (real time) until the group is Online on a node other than {@code from} (or on {@code to}).
     *
     * @return the final status of the group, or empty on timeout
     */
    public Optional<GroupStatus> awaitOnline(String group, Optional<String> to, String from, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            GroupStatus s = status().groups().stream().filter(x -> x.name().equals(group)).findFirst().orElseThrow();
            boolean there = s.owner().isPresent() && (to.isPresent() ? s.owner().get().equals(to.get()) : !s.owner().get().equals(from));
            if (there && s.phase() == Records.Phase.ONLINE) {
                return Optional.of(s);
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    /**
     * Pauses {@code node}: it hosts nothing new and keeps what it has, until {@link #resume}. Lasts across
     * the node's restarts.
     */
    public void pause(String node) throws Exception {
        requireNode(node);
        store.setMaintenance(new Records.NodeMaintenance(node, Records.Maintenance.PAUSED, System.currentTimeMillis(), "paused by an operator"));
    }

    /**
     * Drains {@code node}: pauses it, and it moves every group it owns to other nodes by planned moves, one
     * at a time; then it stays paused until {@link #resume}.
     */
    public void drain(String node) throws Exception {
        requireNode(node);
        store.setMaintenance(new Records.NodeMaintenance(node, Records.Maintenance.DRAINING, System.currentTimeMillis(), "drained by an operator"));
    }

    /**
     * Resumes {@code node}: it hosts groups again. With {@code failback}, every group whose most preferred
     * eligible node it now is moves back to it (planned moves, one-shot).
     *
     * @return the groups asked to move back to it
     * @throws IllegalStateException if the node was not paused or draining
     */
    public List<String> resume(String node, boolean failback) throws Exception {
        requireNode(node);
        if (!store.clearMaintenance(node)) {
            throw new IllegalStateException("node " + node + " is not paused or draining; nothing changed");
        }
        List<String> back = new ArrayList<>();
        if (!failback) {
            return back;
        }
        Status s = status();
        for (GroupStatus g : s.groups()) {
            if (g.owner().isEmpty() || g.owner().get().equals(node)) {
                continue;
            }
            Placement p = PLACER.place(s.snapshot(), g.name(), org.clusworker.cluster.placement.PlacementRequest.moveToBestPossible());
            if (p.verdict() == org.clusworker.cluster.placement.Verdict.PLACE && p.chosen().orElseThrow().equals(node)) {
                store.requestMove(g.name(), node, "failback to " + node + " (resumed)", UUID.randomUUID().toString(), System.currentTimeMillis());
                back.add(g.name());
            }
        }
        return back;
    }

    private void requireNode(String node) {
        if (!spec.nodes().contains(node)) {
            throw new IllegalArgumentException("no node '" + node + "' in cluster " + spec.name() + " (nodes: " + spec.nodes() + ")");
        }
    }

    /** What the cluster would do on {@code changes}, by the placement function the nodes run. Changes nothing. */
    public List<Simulator.Outcome> simulate(Simulator.Changes changes) throws Exception {
        Status s = status();
        return new Simulator(PLACER).run(s.snapshot(), s.requests(), changes);
    }

    /** The group's ownership record, oldest first: epochs, owners, reasons, times (bounded: the last 100). */
    public List<Records.Failover> history(String group) throws Exception {
        spec.group(group).orElseThrow(() -> new IllegalArgumentException("no group '" + group + "' (groups: "
                + spec.groups().stream().map(GroupSpec::name).toList() + ")"));
        store.ensure(group);
        return store.read(group).history().entries();
    }

    /**
     * An operator confirms that the group is stopped on {@code node} (Pacemaker's {@code stonith_admin
     * --confirm}): clears a Stuck group so that another node may start it.
     *
     * @throws IllegalStateException naming what it found, if the group is not Stuck on that node
     */
    public void confirmOffline(String group, String node) throws Exception {
        spec.group(group).orElseThrow(() -> new IllegalArgumentException("no group '" + group + "'"));
        GroupStore.GroupRecord r = store.read(group);
        if (r.state().phase() != Records.Phase.STUCK || !node.equals(r.state().node())) {
            throw new IllegalStateException("Expected group " + group + " to be Stuck on " + node + ", but it is "
                    + r.state().phase() + (r.state().node() == null ? "" : " on " + r.state().node()) + "; nothing changed");
        }
        if (!store.confirmOffline(group, r.epoch(), r.epochVersion(), node, System.currentTimeMillis())) {
            throw new IllegalStateException("group " + group + " changed while confirming (epoch " + r.epoch() + "); nothing changed: look again");
        }
    }
}
