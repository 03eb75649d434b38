package org.clusworker.cluster.placement;

/** What a {@link Placement} decided. */
public enum Verdict {
    /** The group goes to the chosen node. */
    PLACE,
    /** The group stays on its current owner, the chosen node. */
    STAY,
    /** The group is left offline, Failed, until its retry ({@link Placement#retryAt()}). */
    FAILED,
    /** No node may own the group now. */
    NONE_ELIGIBLE,
    /** A move's target may not own the group. */
    INVALID_TARGET;

    /** Whether a node is chosen. */
    public boolean chooses() {
        return this == PLACE || this == STAY;
    }
}
