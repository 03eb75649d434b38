package org.clusworker.cli.config;

import java.time.Duration;
import org.clusworker.host.time.Durations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.clusworker.cluster.ClusterSpec;
import org.clusworker.cluster.GroupSpec;
import org.clusworker.cluster.placement.AntiAffinity;
import org.clusworker.cluster.placement.FailbackPolicy;
import org.clusworker.cluster.placement.FailbackWindow;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.cluster.placement.Priority;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.config.Names;

/**
 * Reads the {@code cluster:} and {@code groups:} sections and each resource's {@code possibleOwners},
 * and places every problem of {@link ClusterSpec#problems} at its line. Without a {@code cluster:}
 * section, a {@code groups:} section or a {@code possibleOwners} is an error (they would mean nothing).
 */
final class ClusterReader {

    static final Set<String> CLUSTER_KEYS = Set.of("name", "node", "nodes", "zookeeper", "lease", "ownershipLog");
    static final Set<String> ZOOKEEPER_KEYS = Set.of("connect", "sessionTimeout", "tickTime");
    static final Set<String> LEASE_KEYS = Set.of("probeInterval", "pauseAllowance", "clockDrift", "takeoverDelay");
    static final Set<String> GROUP_KEYS = Set.of("name", "resources", "preferredOwners", "failover", "stopBudget", "onStopFailure",
            "failback", "antiAffinity", "priority");
    static final Set<String> FAILOVER_KEYS = Set.of("threshold", "period");
    static final Set<String> FAILBACK_KEYS = Set.of("allow", "stableFor", "window");
    static final Set<String> ANTI_AFFINITY_KEYS = Set.of("classes", "enforced");
    /** The session timeout asked for when none is configured (the production profile of CLUSTER.md §3.5). */
    static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(15);

    private final Section top;
    private final Problems problems;
    /** Where each field the cluster's problems may name was read. */
    private final Map<String, Node.Location> places = new HashMap<>();

    /** The configuration file's directory: relative paths are relative to it. */
    private final java.nio.file.Path base;

    ClusterReader(Section top, Problems problems, java.nio.file.Path base) {
        this.base = base;
        this.top = top;
        this.problems = problems;
    }

    /**
     * @param node           {@code --node}: overrides {@code cluster.node}
     * @param possibleOwners per resource, as its {@code possibleOwners} (with the places of its items)
     */
    Optional<ClusterSpec> read(Optional<String> node, List<ResourceSpec> resources, Map<String, List<Node.Scalar>> possibleOwners,
                               Map<String, Node.Location> dependsOnPlaces) {
        Optional<Section> cs = top.section("cluster");
        if (cs.isEmpty()) {
            if (top.has("groups")) {
                top.problem("groups", "groups need a cluster: section (which nodes, which ZooKeeper)");
            }
            possibleOwners.forEach((r, owners) -> problems.add(owners.isEmpty() ? top.location() : owners.getFirst().location(),
                    "resources[" + r + "].possibleOwners", "possibleOwners needs a cluster: section"));
            node.ifPresent(n -> problems.add(top.location(), "cluster.node", "--node " + n + " given, but the file has no cluster: section"));
            return Optional.empty();
        }
        Section c = cs.get();
        c.rejectUnknown(CLUSTER_KEYS);
        Optional<String> name = c.string("name");
        if (name.isEmpty()) {
            c.problem("name", "required, but missing");
        } else if (!Names.isValid(name.get())) {
            c.problem("name", "'" + name.get() + "' (expected: " + Names.EXPECTED + ")");
        }
        boolean any = node.filter(ConfigLoader.ANY_NODE::equals).isPresent();
        Optional<String> self = any ? Optional.empty() : node.or(() -> c.string("node"));
        List<String> nodes = names(c, "nodes", "cluster.nodes");
        if (any) {
            self = c.string("node").or(() -> nodes.stream().findFirst());
        }
        if (self.isEmpty()) {
            c.problem("node", "required, but missing (or give --node NAME)");
        } else if (!Names.isValid(self.get())) {
            c.problem("node", "'" + self.get() + "' (expected: " + Names.EXPECTED + ")");
        }
        places.put("cluster.node", c.where("node"));
        if (!c.has("nodes")) {
            c.problem("nodes", "required, but missing (expected: every node of the cluster, e.g. [node-a, node-b, node-c])");
        }
        Optional<Section> z = c.section("zookeeper");
        Optional<String> connect = z.flatMap(s -> {
            s.rejectUnknown(ZOOKEEPER_KEYS);
            return s.string("connect");
        });
        if (connect.isEmpty()) {
            (z.isPresent() ? z.get() : c).problem(z.isPresent() ? "connect" : "zookeeper",
                    "required, but missing (expected: host:port[,host:port...][/chroot])");
        } else if (!validConnect(connect.get())) {
            z.get().problem("connect", "'" + connect.get() + "' (expected: host:port[,host:port...][/chroot], e.g. zk1:2181,zk2:2181/clusworker/prod)");
        }
        Duration session = z.flatMap(s -> s.duration("sessionTimeout")).orElse(DEFAULT_SESSION_TIMEOUT);
        Optional<Duration> tick = z.flatMap(s -> s.duration("tickTime"));
        if (tick.isPresent()) {
            // the ensemble clamps every session timeout to [2, 20] ticks: the lease math must use what it will give
            Duration min = tick.get().multipliedBy(2);
            Duration max = tick.get().multipliedBy(20);
            if (tick.get().isZero() || tick.get().isNegative()) {
                z.get().problem("tickTime", Durations.format(tick.get()) + " (expected: the ensemble's tickTime, above 0)");
            } else if (session.compareTo(min) < 0 || session.compareTo(max) > 0) {
                z.get().problem(z.get().has("sessionTimeout") ? "sessionTimeout" : "tickTime", Durations.format(session)
                        + " is outside ZooKeeper's bounds for tickTime " + Durations.format(tick.get()) + ": [" + Durations.format(min) + ", "
                        + Durations.format(max) + "] (2 to 20 ticks; the ensemble would give "
                        + Durations.format(session.compareTo(min) < 0 ? min : max) + "); change zookeeper.sessionTimeout, or the ensemble's tickTime");
            }
        }
        ClusterSpec.LeaseSettings lease = c.section("lease").map(this::lease).orElse(ClusterSpec.LeaseSettings.DEFAULTS);
        List<GroupSpec> groups = groups(nodes.size());
        Map<String, List<String>> owners = new HashMap<>();
        possibleOwners.forEach((r, items) -> {
            owners.put(r, items.stream().map(Node.Scalar::text).toList());
            for (int i = 0; i < items.size(); i++) {
                places.put("resources[" + r + "].possibleOwners[" + i + "]", items.get(i).location());
            }
        });
        dependsOnPlaces.forEach((r, at) -> places.put("resources[" + r + "].dependsOn", at));
        if (name.isEmpty() || self.isEmpty() || connect.isEmpty() || !problems.isEmpty()) {
            return Optional.empty();
        }
        ClusterSpec spec;
        try {
            spec = new ClusterSpec(name.get(), self.get(), nodes, connect.get(), session, lease, groups, owners,
                    ConfigLoader.path(c, "ownershipLog", base).orElse(null));
        } catch (IllegalArgumentException e) {
            c.problem("name", e.getMessage());
            return Optional.empty();
        }
        for (ClusterSpec.Problem p : spec.problems(resources)) {
            problems.add(place(p.field()), p.field(), p.message());
        }
        return problems.isEmpty() ? Optional.of(spec) : Optional.empty();
    }

    /** The place of a field, or of its nearest enclosing field that was read. */
    private Node.Location place(String field) {
        String f = field;
        while (true) {
            Node.Location at = places.get(f);
            if (at != null) {
                return at;
            }
            int cut = Math.max(f.lastIndexOf('.'), f.lastIndexOf('['));
            if (cut <= 0) {
                return top.location();
            }
            f = f.substring(0, cut);
        }
    }

    private static boolean validConnect(String connect) {
        String hosts = connect.contains("/") ? connect.substring(0, connect.indexOf('/')) : connect;
        String chroot = connect.contains("/") ? connect.substring(connect.indexOf('/')) : "";
        if (!chroot.isEmpty() && (chroot.endsWith("/") || chroot.contains("//"))) {
            return false;
        }
        for (String h : hosts.split(",")) {
            int colon = h.lastIndexOf(':');
            if (colon <= 0 || colon == h.length() - 1) {
                return false;
            }
            try {
                int port = Integer.parseInt(h.substring(colon + 1));
                if (port < 1 || port > 65535) {
                    return false;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }

    private List<String> names(Section s, String key, String field) {
        List<Node.Scalar> items = s.scalars(key).orElse(List.of());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            places.put(field + "[" + i + "]", items.get(i).location());
            out.add(items.get(i).text());
        }
        places.put(field, s.where(key));
        return out;
    }

    private ClusterSpec.LeaseSettings lease(Section l) {
        l.rejectUnknown(LEASE_KEYS);
        ClusterSpec.LeaseSettings d = ClusterSpec.LeaseSettings.DEFAULTS;
        Duration probe = l.duration("probeInterval").filter(x -> positive(l, "probeInterval", x)).orElse(d.probeInterval());
        Duration pause = l.duration("pauseAllowance").orElse(d.pauseAllowance());
        Duration takeover = l.duration("takeoverDelay").orElse(d.takeoverDelay());
        double drift = l.string("clockDrift").flatMap(t -> percent(l, t)).orElse(d.clockDrift());
        return new ClusterSpec.LeaseSettings(probe, pause, drift, takeover);
    }

    private static Optional<Double> percent(Section l, String text) {
        String t = text.strip();
        try {
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1).strip()) / 100 : Double.parseDouble(t);
            if (v >= 0 && v < 0.5) {
                return Optional.of(v);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        l.problem("clockDrift", "'" + text + "' (expected: a fraction or percentage below 50%, e.g. 1% or 0.01)");
        return Optional.empty();
    }

    private static boolean positive(Section s, String key, Duration d) {
        if (d.isZero()) {
            s.problem(key, "0 (expected: > 0)");
            return false;
        }
        return true;
    }

    private List<GroupSpec> groups(int nodeCount) {
        Optional<Node> node = top.node("groups");
        if (node.isEmpty()) {
            return List.of();
        }
        if (!(node.get() instanceof Node.Sequence list)) {
            top.problemAt(node.get(), "groups", Node.describe(node.get()) + " (expected: a list of groups, each starting with '- name:')");
            return List.of();
        }
        List<GroupSpec> groups = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            Optional<Section> gs = Section.of(list.items().get(i), "groups[" + i + "]", problems);
            gs.flatMap(this::group).ifPresent(groups::add);
        }
        return groups;
    }

    private Optional<GroupSpec> group(Section raw) {
        Optional<String> name = raw.string("name");
        if (name.isEmpty()) {
            raw.problem("name", "required, but missing");
            return Optional.empty();
        }
        if (!Names.isValid(name.get())) {
            raw.problem("name", "'" + name.get() + "' (expected: " + Names.EXPECTED + ")");
            return Optional.empty();
        }
        Section g = raw.withPath("groups[" + name.get() + "]");
        places.put("groups[" + name.get() + "]", g.location());
        places.put("groups[" + name.get() + "].name", g.where("name"));
        g.rejectUnknown(GROUP_KEYS);
        List<String> resources = names(g, "resources", "groups[" + name.get() + "].resources");
        if (resources.isEmpty()) {
            g.problem("resources", g.has("resources") ? "[] (expected: at least one resource)" : "required, but missing");
        }
        List<String> preferred = names(g, "preferredOwners", "groups[" + name.get() + "].preferredOwners");
        OptionalInt threshold = OptionalInt.empty();
        Duration period = GroupSpec.DEFAULT_FAILOVER_PERIOD;
        Optional<Section> f = g.section("failover");
        if (f.isPresent()) {
            f.get().rejectUnknown(FAILOVER_KEYS);
            if (f.get().string("threshold").filter(t -> t.strip().equals("auto")).isEmpty() && f.get().has("threshold")) {
                threshold = f.get().integer("threshold", 0, 1_000_000).map(OptionalInt::of).orElse(OptionalInt.empty());
            }
            period = f.get().duration("period").filter(d -> positive(f.get(), "period", d)).orElse(period);
        }
        Duration budget = g.duration("stopBudget").orElse(GroupSpec.DEFAULT_STOP_BUDGET);
        if (g.has("stopBudget")) {
            places.put("groups[" + name.get() + "].stopBudget", g.where("stopBudget"));
        }
        GroupSpec.StopFailure onStop = g.string("onStopFailure").flatMap(t -> {
            Optional<GroupSpec.StopFailure> v = GroupSpec.StopFailure.of(t.strip());
            if (v.isEmpty()) {
                g.problem("onStopFailure", "'" + t + "' (expected: fence-self or block)");
            }
            return v;
        }).orElse(GroupSpec.StopFailure.FENCE_SELF);
        GroupPolicy policy = new GroupPolicy(g.section("failback").map(this::failback).orElse(FailbackPolicy.PREVENT),
                g.section("antiAffinity").map(a -> antiAffinity(a, "groups[" + name.get() + "].antiAffinity")).orElse(AntiAffinity.NONE),
                g.string("priority").flatMap(t -> {
                    Optional<Priority> v = Priority.of(t.strip());
                    if (v.isEmpty()) {
                        g.problem("priority", "'" + t + "' (expected one of: high, medium, low, no-auto-start)");
                    }
                    return v;
                }).orElse(Priority.DEFAULT));
        if (resources.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new GroupSpec(name.get(), resources, preferred, threshold, period, budget, onStop, policy));
    }

    /** {@code failback: {allow: true, stableFor: 30s, window: "22-6"}}: CLUSTER.md §1.5. */
    private FailbackPolicy failback(Section f) {
        f.rejectUnknown(FAILBACK_KEYS);
        boolean allow = bool(f, "allow").orElse(false);
        Duration stableFor = f.duration("stableFor").orElse(Duration.ZERO);
        Optional<FailbackWindow> window = f.string("window").flatMap(t -> {
            Optional<FailbackWindow> w = FailbackWindow.parse(t);
            if (w.isEmpty()) {
                String[] hours = t.strip().split("-", -1);
                boolean same = hours.length == 2 && hours[0].strip().equals(hours[1].strip()) && !hours[0].isBlank();
                f.problem("window", "'" + t + "' (expected: " + (same ? "two different hours; leave window out to fail back at any time"
                        : FailbackWindow.EXPECTED) + ")");
            }
            return w;
        });
        return new FailbackPolicy(allow, stableFor, window);
    }

    /** {@code antiAffinity: {classes: [db], enforced: false}}: CLUSTER.md §1.7. */
    private AntiAffinity antiAffinity(Section a, String field) {
        a.rejectUnknown(ANTI_AFFINITY_KEYS);
        List<Node.Scalar> items = a.scalars("classes").orElse(List.of());
        places.put(field, a.location());
        List<String> classes = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String c = items.get(i).text();
            places.put(field + ".classes[" + i + "]", items.get(i).location());
            if (!Names.isValid(c)) {
                problems.add(items.get(i).location(), field + ".classes[" + i + "]", "'" + c + "' (expected: " + Names.EXPECTED + ")");
            } else if (classes.contains(c)) {
                problems.add(items.get(i).location(), field + ".classes[" + i + "]", "'" + c + "' is listed twice");
            } else {
                classes.add(c);
            }
        }
        if (!a.has("classes")) {
            a.problem("classes", "required, but missing (expected: the group's anti-affinity classes, e.g. [db])");
        }
        boolean enforced = bool(a, "enforced").orElse(false);
        return new AntiAffinity(classes, enforced);
    }

    private static Optional<Boolean> bool(Section s, String key) {
        return s.node(key).flatMap(n -> {
            if (n instanceof Node.Scalar sc && sc.kind() == Node.Kind.BOOLEAN) {
                return Optional.of(Set.of("true", "yes", "on", "y").contains(sc.text().strip().toLowerCase(java.util.Locale.ROOT)));
            }
            s.problemAt(n, s.field(key), Node.describe(n) + " (expected: true or false)");
            return Optional.empty();
        });
    }
}
