package org.clusworker.cluster.placement;

import java.util.List;
import java.util.Optional;

/**
 * The eligibility rules of CLUSTER.md §1.3 and §1.7: a node may take a group if it is up and may run all its
 * resources, and it does not host a group anti-affined with it.
 */
public enum StandardRule implements CandidateRule {

    /** The node is a member now. */
    UP("up") {
        @Override
        public Optional<String> exclude(PlacementSnapshot snapshot, GroupView group, String node) {
            return snapshot.up().contains(node) ? Optional.empty() : Optional.of("not up");
        }
    },

    /** The node is a possible owner of every resource of the group. */
    POSSIBLE_OWNER("possible-owners") {
        @Override
        public Optional<String> exclude(PlacementSnapshot snapshot, GroupView group, String node) {
            List<String> not = group.resources().stream().filter(r -> !r.mayRunOn(node)).map(ResourceView::name).toList();
            return switch (not.size()) {
                case 0 -> Optional.empty();
                case 1 -> Optional.of("not a possible owner of resource " + not.getFirst());
                default -> Optional.of("not a possible owner of resources " + String.join(", ", not));
            };
        }
    },

    /**
     * Soft anti-affinity (CLUSTER.md §1.7, Windows' default): a node that hosts a group sharing an
     * anti-affinity class with this one is taken only if no other node is left. Between two groups
     * neither of which is enforced.
     */
    ANTI_AFFINITY("anti-affinity") {
        @Override
        public Optional<String> exclude(PlacementSnapshot snapshot, GroupView group, String node) {
            return conflicts(snapshot, group, node, false);
        }

        @Override
        public boolean soft() {
            return true;
        }
    },

    /**
     * Enforced anti-affinity (Windows' ClusterEnforcedAntiAffinity): a node that hosts a group sharing an
     * anti-affinity class with this one may not take it, if either of the two is enforced.
     */
    ENFORCED_ANTI_AFFINITY("anti-affinity") {
        @Override
        public Optional<String> exclude(PlacementSnapshot snapshot, GroupView group, String node) {
            return conflicts(snapshot, group, node, true);
        }
    };

    /** The text of the reasons of an enforced anti-affinity, and of the verdict it leads to. */
    public static final String CONFLICT = "anti-affinity conflict";

    private static Optional<String> conflicts(PlacementSnapshot snapshot, GroupView group, String node, boolean enforced) {
        AntiAffinity mine = group.antiAffinity();
        if (mine.classes().isEmpty()) {
            return Optional.empty();
        }
        List<String> found = new java.util.ArrayList<>();
        for (GroupView other : snapshot.groups()) {
            if (other.name().equals(group.name()) || !other.currentOwner().equals(Optional.of(node))) {
                continue;
            }
            List<String> shared = mine.shared(other.antiAffinity());
            if (shared.isEmpty() || (mine.enforced() || other.antiAffinity().enforced()) != enforced) {
                continue;
            }
            found.add(other.name() + " (class" + (shared.size() == 1 ? " " : "es ") + String.join(", ", shared) + ")");
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String groups = "group" + (found.size() == 1 ? " " : "s ") + String.join(", ", found);
        return Optional.of(enforced ? CONFLICT + ": hosts " + groups + ", enforced" : "hosts anti-affined " + groups);
    }

    private final String id;

    StandardRule(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** Windows' rules, in order: up, possible owner, enforced anti-affinity (hard), anti-affinity (soft). */
    public static List<CandidateRule> windows() {
        return List.of(UP, POSSIBLE_OWNER, ENFORCED_ANTI_AFFINITY, ANTI_AFFINITY);
    }
}
