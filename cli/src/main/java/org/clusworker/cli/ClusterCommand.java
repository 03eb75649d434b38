package org.clusworker.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.clusworker.cluster.ClusterAdmin;
import org.clusworker.host.time.Durations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code clusworker cluster ...}: the operator's view of a cluster and the commands that change it. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Shows a cluster's nodes and groups, and moves groups between its nodes.",
        subcommands = {ClusterCommand.Status.class, ClusterCommand.Move.class, ClusterCommand.ConfirmOffline.class,
            ClusterCommand.Pause.class, ClusterCommand.Drain.class, ClusterCommand.Resume.class, ClusterCommand.Simulate.class,
            ClusterCommand.History.class, CommandLine.HelpCommand.class})
final class ClusterCommand implements Callable<Integer> {

    @ParentCommand
    ClusworkerCommand top;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** {@code cluster status}. */
    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Shows every node (up or down) and every group: owner, epoch, phase, failovers in the period, "
                    + "and where it would go if its owner failed now."})
    static final class Status implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Option(names = "--json", description = "Print it as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                ClusterAdmin.Status s = c.admin().status();
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(parent.top.json().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(s)));
                } else {
                    print(s, out);
                }
                out.flush();
            }
            return ExitCodes.OK;
        }

        static void print(ClusterAdmin.Status s, PrintWriter out) {
            out.println("cluster " + s.cluster() + ": " + s.nodes().stream().filter(ClusterAdmin.NodeStatus::up).count() + " of "
                    + s.nodes().size() + " nodes up, " + s.groups().size() + " group(s)");
            out.println();
            out.printf("%-12s %-15s %s%n", "NODE", "STATE", "PID");
            for (ClusterAdmin.NodeStatus n : s.nodes()) {
                out.printf("%-12s %-15s %s%n", n.name(), n.state(), n.member().map(m -> Long.toString(m.pid())).orElse("-"));
            }
            out.println();
            out.printf("%-12s %-8s %-6s %-9s %-10s %-15s %s%n", "GROUP", "OWNER", "EPOCH", "PHASE", "FAILOVERS", "IF OWNER FAILS", "SINCE");
            Instant now = Instant.now();
            for (ClusterAdmin.GroupStatus g : s.groups()) {
                out.printf("%-12s %-8s %-6d %-9s %-10s %-15s %s%n", g.name(), g.owner().orElse("-"), g.epoch(), phase(g.phase()),
                        g.failoversInPeriod() + "/" + g.failoverThreshold(), g.owner().isEmpty() ? "-" : g.ifOwnerFails().orElse("(nowhere)"),
                        g.since().toEpochMilli() == 0 ? "-" : Durations.age(Duration.between(g.since(), now)) + " ago");
                if (g.reason() != null && !g.reason().isBlank()) {
                    out.println("  └ " + g.reason() + (g.target().map(t -> "; move requested to " + t).orElse("")));
                }
            }
        }

        static String phase(org.clusworker.cluster.zk.Records.Phase p) {
            String n = p.name().toLowerCase(java.util.Locale.ROOT);
            return Character.toUpperCase(n.charAt(0)) + n.substring(1);
        }

        static Map<String, Object> toJson(ClusterAdmin.Status s) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cluster", s.cluster());
            List<Map<String, Object>> nodes = new ArrayList<>();
            for (ClusterAdmin.NodeStatus n : s.nodes()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("name", n.name());
                x.put("up", n.up());
                x.put("state", n.state());
                n.maintenance().ifPresent(mm -> x.put("maintenance", Map.of("state", mm.state().name(), "since",
                        Instant.ofEpochMilli(mm.since()).toString(), "reason", mm.reason())));
                n.member().ifPresent(mm -> {
                    x.put("pid", mm.pid());
                    x.put("session", mm.sessionId());
                    x.put("configDigest", mm.configDigest());
                });
                nodes.add(x);
            }
            m.put("nodes", nodes);
            List<Map<String, Object>> groups = new ArrayList<>();
            for (ClusterAdmin.GroupStatus g : s.groups()) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("name", g.name());
                x.put("owner", g.owner().orElse(null));
                x.put("epoch", g.epoch());
                x.put("phase", g.phase().name());
                x.put("clean", g.clean());
                x.put("reason", g.reason());
                x.put("since", g.since().toString());
                x.put("failoversInPeriod", g.failoversInPeriod());
                x.put("failoverThreshold", g.failoverThreshold());
                x.put("target", g.target().orElse(null));
                x.put("ifOwnerFails", g.ifOwnerFails().orElse(null));
                x.put("history", g.history());
                groups.add(x);
            }
            m.put("groups", groups);
            // what the placement function sees: 'cluster simulate --snapshot FILE' reads it back
            m.put("snapshot", org.clusworker.cluster.SnapshotJson.of(s.snapshot(), s.requests()));
            return m;
        }
    }

    /** {@code cluster move GROUP [--to NODE] [--wait]}. */
    @Command(name = "move", mixinStandardHelpOptions = true,
            description = {"Moves a group to another node by a planned move: its owner takes it offline cleanly, then the target "
                    + "brings it online. One-shot: nothing stays configured. Without --to, the most preferred eligible node."})
    static final class Move implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--to", paramLabel = "NODE", description = "The node to move it to.")
        String to;

        @Option(names = "--wait", arity = "0..1", fallbackValue = "60s", paramLabel = "TIMEOUT",
                description = "Wait until it is Online on its new node (default ${FALLBACK-VALUE}); exit 1 if not in time.")
        String wait;

        @Override
        public Integer call() throws Exception {
            Optional<Duration> timeout = wait == null ? Optional.empty() : Optional.of(Durations.parse(wait).orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--wait: '" + wait + "' (" + Durations.EXPECTED + ")")));
            try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                String from;
                try {
                    from = c.admin().status().groups().stream().filter(g -> g.name().equals(group)).findFirst()
                            .flatMap(ClusterAdmin.GroupStatus::owner).orElse(null);
                    c.admin().requestMove(group, Optional.ofNullable(to));
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("move of group " + group + (to == null ? " to its most preferred eligible node" : " to " + to) + " requested"
                        + (from == null ? "" : " (owner now: " + from + ")"));
                out.flush();
                if (timeout.isEmpty()) {
                    return ExitCodes.OK;
                }
                Optional<ClusterAdmin.GroupStatus> done = c.admin().awaitOnline(group, Optional.ofNullable(to), from, timeout.get());
                if (done.isEmpty()) {
                    spec.commandLine().getErr().println("clusworker: group " + group + " is not Online on its new node after "
                            + Durations.format(timeout.get()) + "; see 'clusworker cluster status'");
                    return ExitCodes.FAILURE;
                }
                out.println("group " + group + " is Online on " + done.get().owner().orElse("?") + " (epoch " + done.get().epoch() + ")");
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /** {@code cluster confirm-offline GROUP --node NODE}. */
    @Command(name = "confirm-offline", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Confirms that a Stuck group is stopped on NODE (its stop failed there and its policy is 'block'), so "
                    + "that another node may start it. Say so only once you know: the cluster trusts you (Pacemaker's "
                    + "'stonith_admin --confirm')."})
    static final class ConfirmOffline implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--node", paramLabel = "NODE", required = true, description = "The node the group is Stuck on.")
        String stuckOn;

        @Override
        public Integer call() throws Exception {
            try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                try {
                    c.admin().confirmOffline(group, stuckOn);
                } catch (IllegalStateException | IllegalArgumentException e) {
                    spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                    return ExitCodes.FAILURE;
                }
                spec.commandLine().getOut().println("group " + group + " confirmed offline on " + stuckOn + "; another node may start it now");
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }

    /** {@code cluster pause NODE}. */
    @Command(name = "pause", mixinStandardHelpOptions = true,
            description = {"Pauses a node: it hosts nothing new and keeps the groups it has, across restarts, until 'resume'."})
    static final class Pause implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Parameters(paramLabel = "NODE")
        String node;

        @Override
        public Integer call() throws Exception {
            try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                try {
                    c.admin().pause(node);
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
                spec.commandLine().getOut().println("node " + node + " paused: it hosts nothing new and keeps what it has; "
                        + "'clusworker cluster resume " + node + "' ends it");
                spec.commandLine().getOut().flush();
            }
            return ExitCodes.OK;
        }
    }

    /** {@code cluster drain NODE}. */
    @Command(name = "drain", mixinStandardHelpOptions = true,
            description = {"Drains a node: pauses it, then it moves every group it owns to other nodes by planned moves, one at a "
                    + "time; it stays paused until 'resume'. Prints each group as it comes online elsewhere."})
    static final class Drain implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Parameters(paramLabel = "NODE")
        String node;

        @Option(names = "--timeout", paramLabel = "TIMEOUT", defaultValue = "10m",
                description = "How long to wait for the drain (default ${DEFAULT-VALUE}); exit 1 if it is not done by then.")
        String timeout;

        @Option(names = "--no-wait", description = "Return once the drain is asked for.")
        boolean noWait;

        @Override
        public Integer call() throws Exception {
            Duration limit = Durations.parse(timeout).orElseThrow(() ->
                    new CommandLine.ParameterException(spec.commandLine(), "--timeout: '" + timeout + "' (" + Durations.EXPECTED + ")"));
            PrintWriter out = spec.commandLine().getOut();
            try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                List<String> before;
                try {
                    before = c.admin().status().groups().stream().filter(g -> g.owner().equals(Optional.of(node)))
                            .map(ClusterAdmin.GroupStatus::name).toList();
                    c.admin().drain(node);
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
                out.println("node " + node + " draining: " + (before.isEmpty() ? "it owns no group" : "moving " + String.join(", ", before)));
                out.flush();
                if (noWait) {
                    return ExitCodes.OK;
                }
                long deadline = System.nanoTime() + limit.toNanos();
                java.util.Set<String> reported = new java.util.HashSet<>();
                while (true) {
                    ClusterAdmin.Status s = c.admin().status();
                    for (ClusterAdmin.GroupStatus g : s.groups()) {
                        if (!before.contains(g.name()) || reported.contains(g.name())) {
                            continue;
                        }
                        boolean elsewhere = g.owner().isPresent() && !g.owner().get().equals(node)
                                && g.phase() == org.clusworker.cluster.zk.Records.Phase.ONLINE;
                        boolean nowhere = g.owner().isEmpty() && g.phase() != org.clusworker.cluster.zk.Records.Phase.OFFLINING
                                && g.reason() != null && g.reason().contains("no other node may own it");
                        if (elsewhere || nowhere || g.phase() == org.clusworker.cluster.zk.Records.Phase.FAILED
                                || g.phase() == org.clusworker.cluster.zk.Records.Phase.STUCK) {
                            reported.add(g.name());
                            out.println("  " + g.name() + ": " + (elsewhere ? "online on " + g.owner().get() + " (epoch " + g.epoch() + ")"
                                    : Status.phase(g.phase()) + ": " + g.reason()));
                            out.flush();
                        }
                    }
                    boolean owns = s.groups().stream().anyMatch(g -> g.owner().equals(Optional.of(node)));
                    if (!owns && reported.containsAll(before)) {
                        out.println("node " + node + " drained; it stays paused until 'clusworker cluster resume " + node + "'");
                        out.flush();
                        return ExitCodes.OK;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        spec.commandLine().getErr().println("clusworker: node " + node + " is not drained after " + Durations.format(limit)
                                + "; see 'clusworker cluster status'");
                        return ExitCodes.FAILURE;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    /** {@code cluster resume NODE [--failback]}. */
    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = {"Resumes a paused or drained node: it hosts groups again. With --failback, the groups whose most "
                    + "preferred eligible node it is move back to it (planned moves)."})
    static final class Resume implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Parameters(paramLabel = "NODE")
        String node;

        @Option(names = "--failback", description = "Move back the groups that prefer this node.")
        boolean failback;

        @Override
        public Integer call() throws Exception {
            try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                List<String> back;
                try {
                    back = c.admin().resume(node, failback);
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                    return ExitCodes.USAGE;
                } catch (IllegalStateException e) {
                    spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                    return ExitCodes.FAILURE;
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("node " + node + " resumed: it hosts groups again" + (!failback ? ""
                        : back.isEmpty() ? "; no group prefers it now" : "; moving back: " + String.join(", ", back)));
                out.flush();
            }
            return ExitCodes.OK;
        }
    }

    /** {@code cluster simulate}. */
    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Shows where each group would go, and which rule decides, if nodes went down or were paused or a "
                    + "group's resource failed: the placement function the nodes run, on the live cluster. Changes nothing."})
    static final class Simulate implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Option(names = "--down", paramLabel = "NODE", arity = "1..*", description = "A node that fails.")
        List<String> down = new ArrayList<>();

        @Option(names = "--pause", paramLabel = "NODE", arity = "1..*", description = "A node that is paused.")
        List<String> pause = new ArrayList<>();

        @Option(names = "--fail", paramLabel = "GROUP/RESOURCE", arity = "1..*",
                description = "A resource that fails past its restart threshold on its group's owner.")
        List<String> fail = new ArrayList<>();

        @Option(names = "--json", description = "Print it as JSON.")
        boolean json;

        @Option(names = "--snapshot", paramLabel = "FILE",
                description = "Simulate on a moment saved by 'cluster status --json' instead of the live cluster (no ZooKeeper needed).")
        java.nio.file.Path snapshot;

        @Override
        public Integer call() throws Exception {
            Map<String, String> failed = new LinkedHashMap<>();
            for (String f : fail) {
                int slash = f.indexOf('/');
                if (slash <= 0 || slash == f.length() - 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--fail '" + f + "' (expected: GROUP/RESOURCE)");
                }
                failed.put(f.substring(0, slash), f.substring(slash + 1));
            }
            org.clusworker.cluster.Simulator.Changes changes = new org.clusworker.cluster.Simulator.Changes(java.util.Set.copyOf(down),
                    java.util.Set.copyOf(pause), failed);
            List<org.clusworker.cluster.Simulator.Outcome> outcomes;
            try {
                if (snapshot != null) {
                    org.clusworker.cluster.SnapshotJson saved = readSnapshot(snapshot);
                    org.clusworker.cluster.placement.PlacementSnapshot s = saved.toSnapshot();
                    for (String g : failed.keySet()) {
                        if (s.groups().stream().noneMatch(x -> x.name().equals(g))) {
                            throw new IllegalArgumentException("--fail " + g + "/" + failed.get(g) + ": no group '" + g + "' in " + snapshot);
                        }
                    }
                    outcomes = new org.clusworker.cluster.Simulator(org.clusworker.cluster.placement.Placer.windows())
                            .run(s, saved.toRequests(), changes);
                } else {
                    try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                        for (String g : failed.keySet()) {
                            c.admin().spec().group(g).orElseThrow(() -> new IllegalArgumentException("--fail " + g + "/" + failed.get(g)
                                    + ": no group '" + g + "' (groups: " + c.admin().spec().groups().stream().map(x -> x.name()).toList() + ")"));
                        }
                        outcomes = c.admin().simulate(changes);
                    }
                }
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                List<Map<String, Object>> all = new ArrayList<>();
                for (org.clusworker.cluster.Simulator.Outcome o : outcomes) {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("group", o.group());
                    x.put("ownerBefore", o.ownerBefore().orElse(null));
                    x.put("ownerAfter", o.ownerAfter().orElse(null));
                    x.put("verdict", o.placement().map(p -> p.verdict().name()).orElse("UNCHANGED"));
                    x.put("decidedBy", o.placement().map(p -> p.decidedBy().rule()).orElse(null));
                    x.put("candidates", o.placement().map(p -> p.candidates()).orElse(List.of()));
                    x.put("reasons", o.placement().map(p -> p.lines()).orElse(List.of(o.summary())));
                    all.add(x);
                }
                out.println(parent.top.json().writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("groups", all)));
            } else {
                out.println("simulated: " + (down.isEmpty() ? "" : "down " + down + " ") + (pause.isEmpty() ? "" : "paused " + pause + " ")
                        + (fail.isEmpty() ? "" : "failing " + fail + " ") + "(nothing was changed)");
                for (org.clusworker.cluster.Simulator.Outcome o : outcomes) {
                    out.println(o.group() + ": " + o.ownerBefore().orElse("(no owner)") + " " + o.summary());
                    o.placement().ifPresent(p -> p.lines().forEach(l -> out.println("    " + l)));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** A snapshot saved by {@code cluster status --json} (its {@code snapshot} field), or one on its own. */
    static org.clusworker.cluster.SnapshotJson readSnapshot(java.nio.file.Path file) {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try {
            com.fasterxml.jackson.databind.JsonNode root = json.readTree(file.toFile());
            com.fasterxml.jackson.databind.JsonNode node = root != null && root.has("snapshot") ? root.get("snapshot") : root;
            if (node == null || !node.isObject() || !node.has("groups")) {
                throw new IllegalArgumentException(file + ": no snapshot in it (expected the output of 'clusworker cluster status --json')");
            }
            return json.treeToValue(node, org.clusworker.cluster.SnapshotJson.class);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + ": cannot read a snapshot: " + e.getMessage());
        }
    }

    /** {@code cluster history GROUP}. */
    @Command(name = "history", mixinStandardHelpOptions = true,
            description = {"Shows a group's ownership record as the cluster keeps it in ZooKeeper (the last 100 changes): epochs, "
                    + "owners, reasons, times."})
    static final class History implements Callable<Integer> {

        @ParentCommand
        ClusterCommand parent;

        @Spec
        CommandSpec spec;

        @Mixin
        ClusterOptions where;

        @Parameters(paramLabel = "GROUP")
        String group;

        @Option(names = "--json", description = "Print it as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (ClusterOptions.Connected c = where.connect(parent.top, spec.commandLine())) {
                List<org.clusworker.cluster.zk.Records.Failover> entries;
                try {
                    entries = c.admin().history(group);
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("clusworker: " + e.getMessage());
                    return ExitCodes.USAGE;
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(parent.top.json().writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("group", group, "history", entries)));
                } else {
                    out.printf("%-24s %-6s %-8s %-8s %-8s %s%n", "TIME", "EPOCH", "FROM", "TO", "KIND", "REASON");
                    for (org.clusworker.cluster.zk.Records.Failover f : entries) {
                        String kind = f.to() == null ? "failed" : f.from() == null ? "start" : f.planned() ? "planned" : "failover";
                        out.printf("%-24s %-6d %-8s %-8s %-8s %s%n", Instant.ofEpochMilli(f.time()), f.epoch(), f.from() == null ? "-" : f.from(),
                                f.to() == null ? "-" : f.to(), kind, f.reason());
                    }
                }
                out.flush();
            }
            return ExitCodes.OK;
        }
    }
}
