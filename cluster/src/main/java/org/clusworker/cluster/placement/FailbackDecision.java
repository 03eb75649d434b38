package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a group goes back to its most preferred node now ({@link Placer#explainFailback}), and why.
 *
 * @param group     the group
 * @param move      the failback, a planned move to the target, if one is due now
 * @param reasons   the explanation: each check in order; the last line is the one that decided
 * @param recheckAt when no failback is due only because the target has not been up {@code stableFor} yet
 *                  or the failback window is closed: when both will hold (to decide again then)
 */
public record FailbackDecision(String group, Optional<Placement> move, List<Reason> reasons, Optional<Instant> recheckAt) {

    public FailbackDecision {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(move, "move");
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(recheckAt, "recheckAt");
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("group " + group + ": no reasons (expected: at least the deciding one)");
        }
    }

    static FailbackDecision none(String group, List<Reason> reasons, Optional<Instant> recheckAt) {
        return new FailbackDecision(group, Optional.empty(), reasons, recheckAt);
    }

    /** Whether a failback is due now. */
    public boolean due() {
        return move.isPresent();
    }

    /** The line that decided. */
    public Reason decidedBy() {
        return reasons.getLast();
    }

    /** The explanation as lines, e.g. {@code node-a: up since 2025-06-01T11:00:00Z: for stableFor 5m or more}. */
    public List<String> lines() {
        return reasons.stream().map(Reason::toString).toList();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("group ").append(group).append(": failback ")
                .append(move.flatMap(Placement::chosen).map(n -> "to " + n).orElse("not due"));
        for (Reason r : reasons) {
            b.append("\n  ").append(r);
        }
        recheckAt.ifPresent(t -> b.append("\n  decide again at: ").append(t));
        return b.toString();
    }
}
