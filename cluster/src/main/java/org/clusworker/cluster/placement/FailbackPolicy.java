package org.clusworker.cluster.placement;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether and when a group goes back to its most preferred node (CLUSTER.md §1.5, §6.5; Windows'
 * AutoFailbackType, FailbackWindowStart, FailbackWindowEnd).
 *
 * @param allowed   Windows' ClusterGroupAllowFailback; off by default (ClusterGroupPreventFailback). Has no
 *                  effect on a group without preferred owners
 * @param stableFor how long the preferred node must have been up before the group goes back to it
 * @param window    the hours in which it may go back, in the cluster's local time; empty: at any time
 */
public record FailbackPolicy(boolean allowed, Duration stableFor, Optional<FailbackWindow> window) {

    /** Windows' default: no failback. */
    public static final FailbackPolicy PREVENT = new FailbackPolicy(false, Duration.ZERO, Optional.empty());

    public FailbackPolicy {
        Checks.notNegative("failback stableFor", stableFor);
        Objects.requireNonNull(window, "window");
    }

    /** Failback allowed, once the preferred node has been up {@code stableFor}, at any time of day. */
    public static FailbackPolicy allowed(Duration stableFor) {
        return new FailbackPolicy(true, stableFor, Optional.empty());
    }

    /** The same policy, failing back only inside {@code window}. */
    public FailbackPolicy within(FailbackWindow window) {
        return new FailbackPolicy(allowed, stableFor, Optional.of(window));
    }

    @Override
    public String toString() {
        return (allowed ? "allowed" : "prevented") + ", stableFor " + Checks.format(stableFor)
                + window.map(w -> ", window " + w).orElse(", any time");
    }
}
