package org.clusworker.cluster.placement;

import java.util.List;
import java.util.Optional;

/** The eligibility rules of CLUSTER.md §1.3: a node may take a group if it is up and may run all its resources. */
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
    };

    private final String id;

    StandardRule(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    /** Windows' rules, in order. */
    public static List<CandidateRule> windows() {
        return List.of(UP, POSSIBLE_OWNER);
    }
}
