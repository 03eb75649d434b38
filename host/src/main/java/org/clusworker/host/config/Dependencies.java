package org.clusworker.host.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.Set;

/**
 * The rules of {@code dependsOn}, in one place for the host, which refuses a bad graph, and the
 * configuration reader, which reports each problem at its line: no resource depends on itself, every
 * dependency names a resource, and there is no cycle. Pure and stateless.
 */
public final class Dependencies {

    private Dependencies() {
    }

    /** One problem of the graph, found at {@code resource}. */
    public sealed interface Problem {

        /** The resource where the problem is reported. */
        String resource();

        /** What is wrong, without the resource's name, e.g. {@code "unknown resource 'dbx'"}. */
        String message();
    }

    /** {@code dependsOn[index]} of {@code resource} names the resource itself. */
    public record SelfDependency(String resource, int index) implements Problem {
        @Override
        public String message() {
            return "'" + resource + "' depends on itself";
        }
    }

    /** {@code dependsOn[index]} of {@code resource} names no resource. */
    public record UnknownDependency(String resource, int index, String dependency) implements Problem {
        @Override
        public String message() {
            return "unknown resource '" + dependency + "'";
        }
    }

    /**
     * A cycle, reported once, at the first of its resources in declaration order ({@code resource}), and
     * written from there: {@code a -> b -> c -> a}.
     */
    public record Cycle(String resource, List<String> path) implements Problem {
        public Cycle {
            path = List.copyOf(path);
        }

        @Override
        public String message() {
            return "dependency cycle: " + String.join(" -> ", path);
        }
    }

    /**
     * Every problem of the graph, in declaration order.
     *
     * @param graph each resource's {@code dependsOn}, in declaration order (names are taken to be unique)
     */
    public static List<Problem> problems(SequencedMap<String, List<String>> graph) {
        List<Problem> problems = new ArrayList<>();
        graph.forEach((name, deps) -> {
            for (int i = 0; i < deps.size(); i++) {
                String d = deps.get(i);
                if (d.equals(name)) {
                    problems.add(new SelfDependency(name, i));
                } else if (!graph.containsKey(d)) {
                    problems.add(new UnknownDependency(name, i, d));
                }
            }
        });
        new CycleFinder(graph, problems).run();
        return problems;
    }

    /** As {@link #problems(SequencedMap)}, for a list of (name, dependsOn) pairs. */
    public static <T> List<Problem> problems(List<T> resources, java.util.function.Function<T, String> name,
                                             java.util.function.Function<T, List<String>> dependsOn) {
        LinkedHashMap<String, List<String>> graph = new LinkedHashMap<>();
        for (T r : resources) {
            graph.putIfAbsent(name.apply(r), dependsOn.apply(r));
        }
        return problems(graph);
    }

    /** Depth-first search in declaration order; each cycle is reported once. */
    private static final class CycleFinder {
        private final SequencedMap<String, List<String>> graph;
        private final List<Problem> problems;
        private final Map<String, Integer> color = new HashMap<>();     // absent: new; 1: on the path; 2: done
        private final List<String> path = new ArrayList<>();
        private final Set<Set<String>> reported = new HashSet<>();

        CycleFinder(SequencedMap<String, List<String>> graph, List<Problem> problems) {
            this.graph = graph;
            this.problems = problems;
        }

        void run() {
            for (String name : graph.keySet()) {
                visit(name);
            }
        }

        private void visit(String name) {
            if (color.containsKey(name)) {
                return;
            }
            color.put(name, 1);
            path.add(name);
            for (String d : graph.get(name)) {
                if (d.equals(name) || !graph.containsKey(d)) {
                    continue;       // reported as a self-dependency or an unknown one
                }
                Integer c = color.get(d);
                if (c == null) {
                    visit(d);
                } else if (c == 1) {
                    report(new ArrayList<>(path.subList(path.indexOf(d), path.size())));
                }
            }
            path.removeLast();
            color.put(name, 2);
        }

        private void report(List<String> cycle) {
            if (!reported.add(Set.copyOf(cycle))) {
                return;
            }
            String first = graph.keySet().stream().filter(cycle::contains).findFirst().orElseThrow();
            int at = cycle.indexOf(first);
            List<String> shown = new ArrayList<>(cycle.subList(at, cycle.size()));
            shown.addAll(cycle.subList(0, at));
            shown.add(first);
            problems.add(new Cycle(first, shown));
        }
    }
}
