package org.clusworker.cluster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a group goes, as Windows decides it (CLUSTER.md §1.2-1.3): the group's node list is its
 * preferred owners, then every other node in configured order; a failover takes the next eligible node
 * after the last owner, cyclically; a start takes the first eligible node; a move takes its target, or
 * the most preferred eligible node. Eligible: up, and a possible owner of every resource of the group.
 * Pure.
 */
final class Placement {

    enum Kind { START, FAILOVER, MOVE }

    private Placement() {
    }

    /**
     * The eligible nodes in the order they should try to acquire the group: the first acquires at once,
     * the k-th after k fallback steps.
     *
     * @param up         the nodes that are members now
     * @param lastOwner  the node that held the group last ({@code null} if none ever did)
     * @param target     a move's target ({@code null}: best possible)
     */
    static List<String> candidates(ClusterSpec spec, GroupSpec g, Set<String> up, Kind kind, String lastOwner, String target) {
        List<String> list = nodeList(spec, g);
        List<String> eligible = new ArrayList<>();
        for (String n : list) {
            if (up.contains(n) && g.resources().stream().allMatch(r -> spec.possibleOwners(r).contains(n))) {
                eligible.add(n);
            }
        }
        return switch (kind) {
            case START -> eligible;
            case FAILOVER -> afterOwner(list, eligible, lastOwner);
            case MOVE -> {
                if (target != null) {
                    yield eligible.contains(target) ? List.of(target) : List.of();
                }
                List<String> best = new ArrayList<>(eligible);
                if (!g.preferredOwners().isEmpty()) {
                    best.removeIf(n -> !g.preferredOwners().contains(n));
                }
                best.remove(lastOwner);
                yield best;
            }
        };
    }

    /** The preferred owners in order, then every other node in configured order. */
    static List<String> nodeList(ClusterSpec spec, GroupSpec g) {
        Set<String> list = new LinkedHashSet<>(g.preferredOwners());
        list.addAll(spec.nodes());
        return List.copyOf(list);
    }

    private static List<String> afterOwner(List<String> list, List<String> eligible, String lastOwner) {
        int at = list.indexOf(lastOwner);
        if (at < 0) {
            return eligible;
        }
        List<String> order = new ArrayList<>();
        for (int i = 1; i <= list.size(); i++) {
            String n = list.get((at + i) % list.size());
            if (eligible.contains(n)) {
                order.add(n);
            }
        }
        return order;
    }
}
