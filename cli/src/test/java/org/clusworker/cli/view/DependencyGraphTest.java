package org.clusworker.cli.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;
import org.junit.jupiter.api.Test;

/** {@code status --graph}: the DOT and the tree of a diamond (web -> app -> db, web -> cache -> db) and a loner. */
class DependencyGraphTest {

    private static final Instant T = Instant.parse("2025-01-01T10:00:00Z");

    private static ResourceStatus r(String name, ResourceState state, String... dependsOn) {
        return new ResourceStatus(name, "process", state, T, 0, null, 0, null, null, List.of(dependsOn));
    }

    private static final List<ResourceStatus> DIAMOND = List.of(
            r("db", ResourceState.ONLINE),
            r("cache", ResourceState.FAILED, "db"),
            r("app", ResourceState.ONLINE_PENDING, "db"),
            r("web", ResourceState.OFFLINE, "app", "cache"),
            r("cron", ResourceState.ONLINE));

    @Test
    void tree_topsAreWhatNothingDependsOn_sharedDependenciesExpandedOnce() {
        assertThat(DependencyGraph.tree(DIAMOND)).containsExactly(
                "web (Offline)",
                "├── app (OnlinePending)",
                "│   └── db (Online)",
                "└── cache (Failed)",
                "    └── db (Online)",
                "cron (Online)");
    }

    @Test
    void tree_aRepeatedSubtree_isNotExpandedAgain() {
        List<ResourceStatus> twoTops = List.of(r("db", ResourceState.ONLINE), r("app", ResourceState.ONLINE, "db"),
                r("web", ResourceState.ONLINE, "app"), r("api", ResourceState.ONLINE, "app"));
        assertThat(DependencyGraph.tree(twoTops)).containsExactly(
                "web (Online)",
                "└── app (Online)",
                "    └── db (Online)",
                "api (Online)",
                "└── app (Online) ...see above");
    }

    @Test
    void dot_nodesWithStateAndColour_edgesFromDependentToDependency() {
        assertThat(DependencyGraph.dot("h1", DIAMOND)).containsExactly(
                "digraph \"h1\" {",
                "  label=\"host h1\";",
                "  node [shape=box, style=\"rounded,filled\", fillcolor=white];",
                "  \"db\" [label=\"db\\nOnline\", color=green];",
                "  \"cache\" [label=\"cache\\nFailed\", color=red];",
                "  \"app\" [label=\"app\\nOnlinePending\", color=orange];",
                "  \"web\" [label=\"web\\nOffline\", color=gray];",
                "  \"cron\" [label=\"cron\\nOnline\", color=green];",
                "  \"cache\" -> \"db\";",
                "  \"app\" -> \"db\";",
                "  \"web\" -> \"app\";",
                "  \"web\" -> \"cache\";",
                "}");
    }
}
