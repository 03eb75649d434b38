package org.clusworker.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.config.Names;

/**
 * A cluster as one node's configuration describes it: the nodes, the ZooKeeper ensemble, the lease
 * parameters, the groups and where each resource may run. Every node of a cluster must have the same
 * one, except {@link #node()}: {@link #digest()} is what they compare when they join.
 *
 * @param name            the cluster's name
 * @param node            this node
 * @param nodes           every node, in the order used after a group's preferred owners
 * @param connect         the ZooKeeper connect string, with an optional chroot ({@code zk1:2181,zk2:2181/clusworker/prod})
 * @param sessionTimeout  the ZooKeeper session timeout asked for (the ensemble clamps it to [2, 20] ticks)
 * @param lease           the lease parameters; the session timeout in it is replaced by the negotiated one
 * @param groups          the groups, in configuration order
 * @param possibleOwners  per resource, the nodes it may run on (a resource not in the map may run on every node)
 * @param ownershipLog    where this node appends its ownership events ({@link OwnershipLog}); null: nowhere. Local
 *                        to the node: not part of {@link #digest()}
 */
public record ClusterSpec(String name, String node, List<String> nodes, String connect, Duration sessionTimeout,
                          LeaseSettings lease, List<GroupSpec> groups, Map<String, List<String>> possibleOwners,
                          java.nio.file.Path ownershipLog) {

    /**
     * The lease parameters of CLUSTER.md §3.5 that a configuration sets.
     *
     * @param probeInterval  P
     * @param pauseAllowance G
     * @param clockDrift     ρ
     * @param takeoverDelay  F_u
     */
    public record LeaseSettings(Duration probeInterval, Duration pauseAllowance, double clockDrift, Duration takeoverDelay) {

        public static final LeaseSettings DEFAULTS = new LeaseSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.01,
                Duration.ofSeconds(1));
    }

    /** The ZooKeeper round trip the timing check allows for. */
    public static final Duration ASSUMED_ROUND_TRIP = Duration.ofMillis(50);

    public ClusterSpec {
        Names.require("cluster.name", name);
        Names.require("cluster.node", node);
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        Objects.requireNonNull(lease, "lease");
        groups = List.copyOf(groups);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        possibleOwners.forEach((r, n) -> copy.put(r, List.copyOf(n)));
        possibleOwners = java.util.Collections.unmodifiableMap(copy);
    }

    /** A cluster whose node keeps no ownership log. */
    public ClusterSpec(String name, String node, List<String> nodes, String connect, Duration sessionTimeout,
                       LeaseSettings lease, List<GroupSpec> groups, Map<String, List<String>> possibleOwners) {
        this(name, node, nodes, connect, sessionTimeout, lease, groups, possibleOwners, null);
    }

    /** The ZooKeeper servers of {@link #connect()}, without its chroot: {@code zk1:2181,zk2:2181}. */
    public String servers() {
        int slash = connect.indexOf('/');
        return slash < 0 ? connect : connect.substring(0, slash);
    }

    /**
     * The chroot of {@link #connect()} as a Curator namespace ({@code clusworker/prod}), created on first
     * use; {@code clusworker/<cluster name>} when the connect string has none, so that clusters sharing an
     * ensemble never meet.
     */
    public String namespace() {
        int slash = connect.indexOf('/');
        String chroot = slash < 0 ? "" : connect.substring(slash + 1);
        return chroot.isEmpty() ? "clusworker/" + name : chroot;
    }

    /** The group of a resource, if it is in one. */
    public Optional<GroupSpec> groupOf(String resource) {
        return groups.stream().filter(g -> g.resources().contains(resource)).findFirst();
    }

    /** The group of that name. */
    public Optional<GroupSpec> group(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** The nodes a resource may run on. */
    public List<String> possibleOwners(String resource) {
        return possibleOwners.getOrDefault(resource, nodes);
    }

    /**
     * One problem of a cluster configuration.
     *
     * @param field where, as the configuration names it: {@code cluster.nodes[1]}, {@code groups[web].preferredOwners[0]},
     *              {@code resources[db].possibleOwners[2]}, {@code groups[web]}
     */
    public record Problem(String field, String message) {
        @Override
        public String toString() {
            return field + ": " + message;
        }
    }

    /**
     * Every problem of this cluster against its resources, each naming its field: unknown nodes, this
     * node not in {@code nodes}, a group not closed under {@code dependsOn}, a resource in two groups, an
     * ungrouped resource that depends on a grouped one, a group that no node may own.
     */
    public List<Problem> problems(List<ResourceSpec> resources) {
        List<Problem> problems = new ArrayList<>();
        Set<String> nodeSet = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            String n = nodes.get(i);
            if (!Names.isValid(n)) {
                problems.add(new Problem("cluster.nodes[" + i + "]", "'" + n + "' (expected: " + Names.EXPECTED + ")"));
            } else if (!nodeSet.add(n)) {
                problems.add(new Problem("cluster.nodes[" + i + "]", "'" + n + "' is listed twice"));
            }
        }
        if (nodes.isEmpty()) {
            problems.add(new Problem("cluster.nodes", "[] (expected: at least one node)"));
        } else if (!nodeSet.contains(node)) {
            problems.add(new Problem("cluster.node", "'" + node + "' is not one of cluster.nodes " + nodes));
        }
        Map<String, ResourceSpec> byName = new LinkedHashMap<>();
        resources.forEach(r -> byName.put(r.name(), r));
        Map<String, String> groupOf = new LinkedHashMap<>();
        Set<String> groupNames = new HashSet<>();
        for (GroupSpec g : groups) {
            String at = "groups[" + g.name() + "]";
            if (!groupNames.add(g.name())) {
                problems.add(new Problem(at + ".name", "duplicate group name '" + g.name() + "'"));
            }
            for (int i = 0; i < g.preferredOwners().size(); i++) {
                String p = g.preferredOwners().get(i);
                if (!nodeSet.contains(p)) {
                    problems.add(new Problem(at + ".preferredOwners[" + i + "]", "unknown node '" + p + "' (nodes: " + nodes + ")"));
                }
            }
            for (int i = 0; i < g.resources().size(); i++) {
                String r = g.resources().get(i);
                String field = at + ".resources[" + i + "]";
                ResourceSpec spec = byName.get(r);
                if (spec == null) {
                    problems.add(new Problem(field, "unknown resource '" + r + "'"));
                    continue;
                }
                String other = groupOf.putIfAbsent(r, g.name());
                if (other != null && !other.equals(g.name())) {
                    problems.add(new Problem(field, "'" + r + "' is in group " + other + " already (a resource is in at most one group)"));
                }
                for (String d : spec.dependsOn()) {
                    if (byName.containsKey(d) && !g.resources().contains(d)) {
                        problems.add(new Problem(field, "'" + r + "' depends on '" + d
                                + "', which is not in the group (a group is closed under dependsOn)"));
                    }
                }
            }
            List<String> owners = new ArrayList<>(nodes);
            for (String r : g.resources()) {
                owners.retainAll(possibleOwners(r));
            }
            if (owners.isEmpty() && !nodes.isEmpty()) {
                problems.add(new Problem(at, "no node may own it: its resources " + g.resources() + " have no possible owner in common"));
            }
        }
        problems.addAll(antiAffinityProblems());
        org.clusworker.cluster.lease.LeaseTerms terms = new org.clusworker.cluster.lease.LeaseTerms(sessionTimeout, lease.takeoverDelay(),
                lease.clockDrift(), lease.pauseAllowance(), Duration.ofMillis(50), lease.probeInterval());
        for (GroupSpec g : groups) {
            for (String p : terms.steadyStateProblems(g.name(), g.stopBudget(), ASSUMED_ROUND_TRIP)) {
                problems.add(new Problem("groups[" + g.name() + "].stopBudget", p));
            }
        }
        possibleOwners.forEach((r, owners) -> {
            for (int i = 0; i < owners.size(); i++) {
                if (!nodeSet.contains(owners.get(i))) {
                    problems.add(new Problem("resources[" + r + "].possibleOwners[" + i + "]", "unknown node '" + owners.get(i)
                            + "' (nodes: " + nodes + ")"));
                }
            }
        });
        for (ResourceSpec r : resources) {
            if (!groupOf.containsKey(r.name())) {
                for (String d : r.dependsOn()) {
                    if (groupOf.containsKey(d)) {
                        problems.add(new Problem("resources[" + r.name() + "].dependsOn", "'" + d + "' is in group " + groupOf.get(d)
                                + ", but " + r.name() + " is in no group (it would wait forever on every node that does not own the group)"));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * Enforced anti-affinity classes that can never all be met: groups of one class that are enforced
     * must each be on a node of their own, so if no assignment of them to distinct nodes among their
     * possible owners exists, some would stay offline with every node up. One problem per such class,
     * at the class in its first enforced group's {@code antiAffinity.classes}, naming the groups.
     */
    List<Problem> antiAffinityProblems() {
        Map<String, List<GroupSpec>> byClass = new LinkedHashMap<>();
        for (GroupSpec g : groups) {
            if (g.policy().antiAffinity().enforced()) {
                for (String c : g.policy().antiAffinity().classes()) {
                    byClass.computeIfAbsent(c, k -> new ArrayList<>()).add(g);
                }
            }
        }
        List<Problem> out = new ArrayList<>();
        byClass.forEach((c, gs) -> {
            List<List<String>> owners = new ArrayList<>();
            Set<String> union = new java.util.LinkedHashSet<>();
            for (GroupSpec g : gs) {
                List<String> o = new ArrayList<>(nodes);
                g.resources().forEach(r -> o.retainAll(possibleOwners(r)));
                owners.add(o);
                union.addAll(o);
            }
            int placeable = maxDistinct(owners);
            if (placeable < gs.size()) {
                GroupSpec first = gs.getFirst();
                List<String> names = gs.stream().map(GroupSpec::name).toList();
                out.add(new Problem("groups[" + first.name() + "].antiAffinity.classes[" + first.policy().antiAffinity().classes().indexOf(c) + "]",
                        "anti-affinity class '" + c + "' is enforced for " + gs.size() + " groups " + names + ", but they need a node each and "
                                + (union.size() < gs.size() ? "only " + union.size() + " node" + (union.size() == 1 ? "" : "s") + " " + union
                                + " may own them" : "their possible owners allow only " + placeable + " on distinct nodes")
                                + ": at most " + placeable + " of them can be online at once, even with every node up"
                                + " (add nodes or possible owners, or set enforced: false)"));
            }
        });
        return out;
    }

    /** The most of the groups that can be given distinct nodes, each among its {@code owners} (a bipartite matching). */
    private static int maxDistinct(List<List<String>> owners) {
        Map<String, Integer> holder = new java.util.HashMap<>();
        int matched = 0;
        for (int g = 0; g < owners.size(); g++) {
            if (augment(g, owners, holder, new HashSet<>())) {
                matched++;
            }
        }
        return matched;
    }

    private static boolean augment(int g, List<List<String>> owners, Map<String, Integer> holder, Set<String> seen) {
        for (String n : owners.get(g)) {
            if (seen.add(n)) {
                Integer other = holder.get(n);
                if (other == null || augment(other, owners, holder, seen)) {
                    holder.put(n, g);
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A digest of everything every node must agree on: the name, the nodes, the groups, the possible
     * owners and the lease parameters (not {@link #node()}, not the connect string). Stable across runs.
     */
    public String digest() {
        StringBuilder sb = new StringBuilder();
        sb.append("name=").append(name).append('\n').append("nodes=").append(nodes).append('\n');
        sb.append("sessionTimeout=").append(sessionTimeout.toMillis()).append('\n').append("lease=").append(lease).append('\n');
        for (GroupSpec g : groups) {
            sb.append("group=").append(g.digestText()).append('\n');
        }
        new TreeMap<>(possibleOwners).forEach((r, n) -> sb.append("possibleOwners.").append(r).append('=').append(n).append('\n'));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
