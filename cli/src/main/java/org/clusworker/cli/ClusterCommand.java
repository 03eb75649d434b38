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
            CommandLine.HelpCommand.class})
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
            out.printf("%-12s %-6s %s%n", "NODE", "STATE", "PID");
            for (ClusterAdmin.NodeStatus n : s.nodes()) {
                out.printf("%-12s %-6s %s%n", n.name(), n.up() ? "up" : "down", n.member().map(m -> Long.toString(m.pid())).orElse("-"));
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

        private static String phase(org.clusworker.cluster.zk.Records.Phase p) {
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
}
