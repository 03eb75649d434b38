package org.clusworker.cli.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks the {@code dependsOn} of all resources: unknown names, self-dependencies, cycles. */
final class DependencyCheck {

    /** One resource's dependencies, with their places. */
    record Declared(String name, String field, List<String> dependsOn, List<Node.Location> locations, Node.Location keyLocation) {
    }

    private DependencyCheck() {
    }

    static void check(Map<String, Declared> resources, Problems problems) {
        for (Declared d : resources.values()) {
            for (int i = 0; i < d.dependsOn().size(); i++) {
                String dep = d.dependsOn().get(i);
                String field = d.field() + ".dependsOn[" + i + "]";
                if (dep.equals(d.name())) {
                    problems.add(d.locations().get(i), field, "'" + dep + "' depends on itself");
                } else if (!resources.containsKey(dep)) {
                    problems.add(d.locations().get(i), field, "unknown resource '" + dep + "'"
                            + Problems.suggestion(dep, resources.keySet()));
                }
            }
        }
        reportCycles(resources, problems);
    }

    /** Depth-first search; each cycle is reported once, at the first of its resources in file order. */
    private static void reportCycles(Map<String, Declared> resources, Problems problems) {
        Map<String, Integer> state = new HashMap<>(); // absent: new, 1: on the path, 2: done
        Set<Set<String>> reported = new HashSet<>();
        for (String start : resources.keySet()) {
            visit(start, new ArrayList<>(), resources, state, reported, problems);
        }
    }

    private static void visit(String name, List<String> path, Map<String, Declared> resources,
                              Map<String, Integer> state, Set<Set<String>> reported, Problems problems) {
        Integer s = state.get(name);
        if (s != null && s == 2) {
            return;
        }
        if (s != null && s == 1) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
            if (cycle.size() > 1 && reported.add(Set.copyOf(cycle))) {
                String first = resources.keySet().stream().filter(cycle::contains).findFirst().orElseThrow();
                int at = cycle.indexOf(first);
                List<String> shown = new ArrayList<>(cycle.subList(at, cycle.size()));
                shown.addAll(cycle.subList(0, at));
                shown.add(first);
                Declared d = resources.get(first);
                problems.add(d.keyLocation(), d.field() + ".dependsOn", "dependency cycle: " + String.join(" -> ", shown));
            }
            return;
        }
        Declared d = resources.get(name);
        if (d == null) {
            return;
        }
        state.put(name, 1);
        path.add(name);
        for (String dep : d.dependsOn()) {
            if (!dep.equals(name)) {
                visit(dep, path, resources, state, reported, problems);
            }
        }
        path.remove(path.size() - 1);
        state.put(name, 2);
    }
}
