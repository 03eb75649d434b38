package org.clusworker.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dependsOn rules, as both the host and the configuration reader apply them. */
class DependenciesTest {

    private static LinkedHashMap<String, List<String>> graph(String... pairs) {
        LinkedHashMap<String, List<String>> g = new LinkedHashMap<>();
        for (String p : pairs) {
            String[] kv = p.split(":", -1);
            g.put(kv[0], kv[1].isEmpty() ? List.of() : List.of(kv[1].split(",")));
        }
        return g;
    }

    @Test
    void problems_validGraph_none() {
        assertThat(Dependencies.problems(graph("db:", "app:db", "web:app,db"))).isEmpty();
    }

    @Test
    void problems_selfAndUnknown_reportedWithTheirIndex() {
        assertThat(Dependencies.problems(graph("a:b,a", "b:zz"))).containsExactly(
                new Dependencies.SelfDependency("a", 1), new Dependencies.UnknownDependency("b", 0, "zz"));
    }

    @Test
    void problems_cycle_reportedOnceAtItsFirstResourceInDeclarationOrder() {
        List<Dependencies.Problem> p = Dependencies.problems(graph("x:", "c:a", "a:b", "b:c"));
        assertThat(p).singleElement().satisfies(c -> {
            assertThat(c.resource()).isEqualTo("c");
            assertThat(c.message()).isEqualTo("dependency cycle: c -> a -> b -> c");
        });
    }

    @Test
    void names_syntax() {
        assertThat(Names.isValid("db-1.primary_x")).isTrue();
        assertThat(Names.isValid("-db")).isFalse();
        assertThat(Names.isValid("db/x")).isFalse();
        assertThat(Names.isValid("a".repeat(65))).isFalse();
        assertThat(Names.isValid(null)).isFalse();
    }
}
