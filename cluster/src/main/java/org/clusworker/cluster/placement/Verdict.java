package org.clusworker.cluster.placement;

/** What a {@link Placement} decided. */
public enum Verdict {
    /** The group goes to the chosen node. */
    PLACE,
    /** The group stays on its current owner, the chosen node. */
    STAY,
    /**
     * A {@link Priority#NO_AUTO_START} group on a start or failover: the chosen node acquires it, but it
     * stays offline until an operator moves (or starts) it.
     */
    HELD,
    /** The group is left offline, Failed, until its retry ({@link Placement#retryAt()}). */
    FAILED,
    /** No node may own the group now. */
    NONE_ELIGIBLE,
    /** A move's target may not own the group. */
    INVALID_TARGET;

    /** Whether a node is chosen (PLACE, STAY, HELD). */
    public boolean chooses() {
        return this == PLACE || this == STAY || this == HELD;
    }

    /** Whether the chosen node is to start the group (PLACE, STAY; not HELD). */
    public boolean starts() {
        return this == PLACE || this == STAY;
    }
}
