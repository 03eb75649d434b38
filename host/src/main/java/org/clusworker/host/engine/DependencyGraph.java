package org.clusworker.host.engine;

import org.clusworker.host.ResourceSpec;
import org.clusworker.host.config.Dependencies;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The resources' dependencies: checked (unknown names, self-dependencies, cycles), then wired into the
 * controllers, with a dependency order (dependencies first; ties in configuration order). Immutable
 * once built.
 */
public final class DependencyGraph {

    private final List<ResourceController> order;
    private final Map<ResourceController, Integer> rank = new HashMap<>();

    private DependencyGraph(List<ResourceController> order) {
        this.order = List.copyOf(order);
        for (int i = 0; i < order.size(); i++) {
            rank.put(order.get(i), i);
        }
    }

    /**
     * Every problem with the dependencies of {@code specs}, one message each; empty if there is none.
     * Names are taken to be unique (duplicates are reported elsewhere).
     */
    public static List<String> problems(List<ResourceSpec> specs) {
        List<String> problems = new ArrayList<>();
        for (Dependencies.Problem p : Dependencies.problems(specs, ResourceSpec::name, ResourceSpec::dependsOn)) {
            String field = switch (p) {
                case Dependencies.SelfDependency d -> "dependsOn[" + d.index() + "]";
                case Dependencies.UnknownDependency d -> "dependsOn[" + d.index() + "]";
                case Dependencies.Cycle c -> "dependsOn";
            };
            problems.add("resource " + p.resource() + ": " + field + ": " + p.message());
        }
        return problems;
    }

    /** Wires the controllers (whose specs have no {@link #problems}) and computes the dependency order. */
    public static DependencyGraph wire(List<ResourceController> controllers, Map<String, ResourceSpec> specs) {
        Map<String, ResourceController> byName = new HashMap<>();
        for (ResourceController c : controllers) {
            byName.put(c.name(), c);
        }
        Map<ResourceController, List<ResourceController>> deps = new HashMap<>();
        Map<ResourceController, List<ResourceController>> dependents = new HashMap<>();
        for (ResourceController c : controllers) {
            dependents.put(c, new ArrayList<>());
        }
        for (ResourceController c : controllers) {
            List<ResourceController> list = new ArrayList<>();
            for (String d : new LinkedHashSet<>(specs.get(c.name()).dependsOn())) {
                ResourceController dc = byName.get(d);
                list.add(dc);
                dependents.get(dc).add(c);
            }
            deps.put(c, list);
        }
        DependencyGraph graph = new DependencyGraph(topologicalOrder(controllers, deps, dependents));
        for (ResourceController c : controllers) {
            List<ResourceController> around = new ArrayList<>(deps.get(c));
            around.add(c);
            around.addAll(graph.sorted(graph.closure(c, dependents)));
            c.wire(deps.get(c), dependents.get(c), around);
        }
        return graph;
    }

    private static List<ResourceController> topologicalOrder(List<ResourceController> controllers,
            Map<ResourceController, List<ResourceController>> deps, Map<ResourceController, List<ResourceController>> dependents) {
        Map<ResourceController, Integer> position = new HashMap<>();
        Map<ResourceController, Integer> missing = new HashMap<>();
        for (int i = 0; i < controllers.size(); i++) {
            position.put(controllers.get(i), i);
            missing.put(controllers.get(i), deps.get(controllers.get(i)).size());
        }
        PriorityQueue<ResourceController> ready = new PriorityQueue<>(Comparator.comparing(position::get));
        for (ResourceController c : controllers) {
            if (missing.get(c) == 0) {
                ready.add(c);
            }
        }
        List<ResourceController> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            ResourceController c = ready.poll();
            order.add(c);
            for (ResourceController d : dependents.get(c)) {
                if (missing.merge(d, -1, Integer::sum) == 0) {
                    ready.add(d);
                }
            }
        }
        if (order.size() != controllers.size()) {
            throw new IllegalStateException("Expected the dependencies to be acyclic, but " + (controllers.size() - order.size()) + " resources are on cycles");
        }
        return order;
    }

    /** Everything that depends on {@code c}, directly or not (not {@code c} itself). */
    private Set<ResourceController> closure(ResourceController c, Map<ResourceController, List<ResourceController>> edges) {
        Set<ResourceController> seen = new HashSet<>();
        List<ResourceController> todo = new ArrayList<>(edges.get(c));
        while (!todo.isEmpty()) {
            ResourceController x = todo.remove(todo.size() - 1);
            if (seen.add(x)) {
                todo.addAll(edges.get(x));
            }
        }
        return seen;
    }

    /** {@code c} and everything it depends on, directly or not, dependencies first. */
    public List<ResourceController> withDependencies(ResourceController c) {
        Set<ResourceController> seen = new HashSet<>();
        List<ResourceController> todo = new ArrayList<>(List.of(c));
        while (!todo.isEmpty()) {
            ResourceController x = todo.remove(todo.size() - 1);
            if (seen.add(x)) {
                todo.addAll(x.dependencies());
            }
        }
        return sorted(seen);
    }

    private List<ResourceController> sorted(Set<ResourceController> set) {
        List<ResourceController> list = new ArrayList<>(set);
        list.sort(Comparator.comparing(rank::get));
        return list;
    }

    /** Every resource, dependencies first. */
    public List<ResourceController> order() {
        return order;
    }

    /** Every resource, dependents first. */
    public List<ResourceController> reverseOrder() {
        return order.reversed();
    }
}
