package org.clusworker.cli.view;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;

/**
 * The dependency graph of a host's resources ({@code status --graph}), from their statuses'
 * {@code dependsOn}: as Graphviz DOT (an edge from each resource to each resource it depends on), or as
 * a plain-text tree for a terminal (each resource that nothing depends on at the top, its dependencies
 * beneath it; a resource shown already is not expanded again).
 */
public final class DependencyGraph {

    private DependencyGraph() {
    }

    /** Graphviz DOT: {@code dot -Tsvg} draws it. Nodes are labelled with their state and coloured by it. */
    public static List<String> dot(String host, List<ResourceStatus> resources) {
        List<String> lines = new ArrayList<>();
        lines.add("digraph " + quote(host) + " {");
        lines.add("  label=" + quote("host " + host) + ";");
        lines.add("  node [shape=box, style=\"rounded,filled\", fillcolor=white];");
        for (ResourceStatus r : resources) {
            lines.add("  " + quote(r.name()) + " [label=" + quote(r.name() + "\\n" + r.state().displayName())
                    + ", color=" + color(r.state()) + "];");
        }
        for (ResourceStatus r : resources) {
            for (String d : r.dependsOn()) {
                lines.add("  " + quote(r.name()) + " -> " + quote(d) + ";");
            }
        }
        lines.add("}");
        return lines;
    }

    /** A tree per resource that nothing (of those given) depends on, its dependencies as its children. */
    public static List<String> tree(List<ResourceStatus> resources) {
        Map<String, ResourceStatus> byName = new LinkedHashMap<>();
        resources.forEach(r -> byName.put(r.name(), r));
        Set<String> dependedOn = new HashSet<>();
        resources.forEach(r -> dependedOn.addAll(r.dependsOn()));
        List<String> lines = new ArrayList<>();
        Set<String> shown = new HashSet<>();
        for (ResourceStatus r : resources) {
            if (!dependedOn.contains(r.name())) {
                node(r.name(), byName, "", "", shown, lines);
            }
        }
        for (ResourceStatus r : resources) {   // a cycle has no top: show what is left (the host refuses cycles)
            if (!shown.contains(r.name())) {
                node(r.name(), byName, "", "", shown, lines);
            }
        }
        return lines;
    }

    private static void node(String name, Map<String, ResourceStatus> byName, String first, String rest, Set<String> shown,
                             List<String> lines) {
        ResourceStatus r = byName.get(name);
        String label = name + (r == null ? " (not shown)" : " (" + r.state().displayName() + ")");
        if (r != null && !r.dependsOn().isEmpty() && !shown.add(name)) {
            lines.add(first + label + " ...see above");
            return;
        }
        shown.add(name);
        lines.add(first + label);
        if (r == null) {
            return;
        }
        List<String> deps = r.dependsOn();
        for (int i = 0; i < deps.size(); i++) {
            boolean last = i == deps.size() - 1;
            node(deps.get(i), byName, rest + (last ? "└── " : "├── "), rest + (last ? "    " : "│   "), shown, lines);
        }
    }

    private static String color(ResourceState s) {
        return switch (s) {
            case ONLINE -> "green";
            case FAILED -> "red";
            case ONLINE_PENDING, OFFLINE_PENDING -> "orange";
            case OFFLINE, UNKNOWN -> "gray";
        };
    }

    /** A DOT quoted ID: backslashes and quotes escaped (a {@code \n} already in it stays a line break). */
    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }
}
