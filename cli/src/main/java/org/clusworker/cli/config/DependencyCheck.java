package org.clusworker.cli.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusworker.host.config.Dependencies;


/**
 * Reports the problems of every resource's {@code dependsOn} at their lines; the rules themselves are
 * {@link Dependencies}, which the host applies too.
 */
final class DependencyCheck {

    /** One resource's dependencies, with their places. */
    record Declared(String name, String field, List<String> dependsOn, List<Node.Location> locations, Node.Location keyLocation) {
    }

    private DependencyCheck() {
    }

    static void check(Map<String, Declared> resources, Problems problems) {
        LinkedHashMap<String, List<String>> graph = new LinkedHashMap<>();
        resources.forEach((name, d) -> graph.put(name, d.dependsOn()));
        for (Dependencies.Problem p : Dependencies.problems(graph)) {
            Declared d = resources.get(p.resource());
            switch (p) {
                case Dependencies.SelfDependency s ->
                        problems.add(d.locations().get(s.index()), d.field() + ".dependsOn[" + s.index() + "]", p.message());
                case Dependencies.UnknownDependency u ->
                        problems.add(d.locations().get(u.index()), d.field() + ".dependsOn[" + u.index() + "]",
                                p.message() + Problems.suggestion(u.dependency(), resources.keySet()));
                case Dependencies.Cycle c -> problems.add(d.keyLocation(), d.field() + ".dependsOn", p.message());
            }
        }
    }
}
