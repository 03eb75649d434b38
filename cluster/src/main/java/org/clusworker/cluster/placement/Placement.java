package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one group goes, and why.
 *
 * @param group      the group
 * @param request    what was asked
 * @param verdict    what was decided
 * @param chosen     the node that takes (or keeps) the group: present exactly when the verdict chooses
 * @param candidates the eligible nodes in the order they should try to acquire it: the first at once, the
 *                   k-th after k fallback steps. Starts with {@code chosen} when there is one; for FAILED,
 *                   the nodes that would have taken it (the first records the Failed phase)
 * @param reasons    the explanation, in the order the rules ran; the last line is the one that decided
 * @param retryAt    for FAILED: when one more attempt is allowed (RetryPeriodOnFailure)
 */
public record Placement(String group, PlacementRequest request, Verdict verdict, Optional<String> chosen,
                        List<String> candidates, List<Reason> reasons, Optional<Instant> retryAt) {

    public Placement {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(verdict, "verdict");
        candidates = List.copyOf(candidates);
        reasons = List.copyOf(reasons);
        Objects.requireNonNull(retryAt, "retryAt");
        if (verdict.chooses() != chosen.isPresent()) {
            throw new IllegalArgumentException("group " + group + ": verdict " + verdict + " with chosen " + chosen
                    + " (expected: a node exactly for PLACE and STAY)");
        }
        if (chosen.isPresent() && (candidates.isEmpty() || !candidates.getFirst().equals(chosen.get()))) {
            throw new IllegalArgumentException("group " + group + ": chosen " + chosen.get() + ", candidates " + candidates
                    + " (expected: the chosen node first)");
        }
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("group " + group + ": no reasons (expected: at least the deciding one)");
        }
    }

    /** The line that decided the verdict. */
    public Reason decidedBy() {
        return reasons.getLast();
    }

    /** The explanation as lines, e.g. {@code node-b: skipped (not up)}. */
    public List<String> lines() {
        return reasons.stream().map(Reason::toString).toList();
    }

    /** The explanation, for {@code cluster simulate} and {@code cluster status}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("group ").append(group).append(": ").append(request).append(" -> ")
                .append(chosen.orElse("nowhere")).append(" (").append(verdict).append(", decided by rule ")
                .append(decidedBy().rule()).append(')');
        for (Reason r : reasons) {
            b.append("\n  ").append(r);
        }
        if (!candidates.isEmpty()) {
            b.append("\n  candidates: ").append(candidates);
        }
        retryAt.ifPresent(t -> b.append("\n  retry at: ").append(t));
        return b.toString();
    }
}
