package org.clusworker.cluster.placement;

import java.util.Objects;
import java.util.Optional;

/** Why a group is being placed (CLUSTER.md §1.6): its start, a failover, or a planned move. */
public sealed interface PlacementRequest {

    /** The group has no owner yet (cluster start): the first eligible node of its list. */
    record Start() implements PlacementRequest {
        @Override
        public String toString() {
            return "START";
        }
    }

    /**
     * Its owner is gone, or failed it: the next eligible node after the last owner, cyclically. Counts
     * toward FailoverThreshold.
     */
    record Failover() implements PlacementRequest {
        @Override
        public String toString() {
            return "FAILOVER";
        }
    }

    /**
     * A planned move: to {@code target}, or (empty) to the best possible node. Never counts toward
     * FailoverThreshold.
     */
    record Move(Optional<String> target) implements PlacementRequest {
        public Move {
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String toString() {
            return target.map(t -> "MOVE to " + t).orElse("MOVE to the best possible node");
        }
    }

    static PlacementRequest start() {
        return new Start();
    }

    static PlacementRequest failover() {
        return new Failover();
    }

    static PlacementRequest moveTo(String target) {
        return new Move(Optional.of(Checks.name("move target", target)));
    }

    static PlacementRequest moveToBestPossible() {
        return new Move(Optional.empty());
    }
}
