package org.clusworker.cluster.placement;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Snapshots for the placement tests: a fixed instant, no clock. */
final class Fixtures {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Placer PLACER = Placer.windows();
    /** Threshold 2 in 6h, retry after 1h. */
    static final FailoverPolicy TWO_IN_6H = new FailoverPolicy(2, Duration.ofHours(6), Duration.ofHours(1));

    private Fixtures() {
    }

    static List<String> nodes(String... nodes) {
        return Arrays.asList(nodes);
    }

    static Set<String> up(String... nodes) {
        return Set.of(nodes);
    }

    /** A group with one resource that may run anywhere and Windows' default policy for {@code nodes}. */
    static GroupView group(String name, int nodes) {
        return GroupView.of(name, FailoverPolicy.defaults(nodes), ResourceView.anyNode("app"));
    }

    static PlacementSnapshot snapshot(List<String> nodes, Set<String> up, GroupView... groups) {
        return new PlacementSnapshot(nodes, up, Arrays.asList(groups), NOW);
    }

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    static Duration hours(long h) {
        return Duration.ofHours(h);
    }
}
