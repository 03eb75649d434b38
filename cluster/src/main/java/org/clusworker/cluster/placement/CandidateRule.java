package org.clusworker.cluster.placement;

import java.util.Optional;

/**
 * A rule on which nodes may take a group, applied in order to each node of the scan (the extension point
 * for pause, drain and anti-affinity). A rule is a pure function of the snapshot.
 */
public interface CandidateRule {

    /** A short name for the explanations, e.g. {@code up}. */
    String id();

    /**
     * Why {@code node} must not take {@code group}, e.g. {@code not up}; empty if this rule lets it.
     */
    Optional<String> exclude(PlacementSnapshot snapshot, GroupView group, String node);

    /**
     * A hard rule (the default) makes a node ineligible. A soft rule only moves it behind every node it
     * lets through, so it applies unless no other node remains (Windows' anti-affinity, CLUSTER.md §1.7).
     */
    default boolean soft() {
        return false;
    }
}
