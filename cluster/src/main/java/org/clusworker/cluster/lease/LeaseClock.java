package org.clusworker.cluster.lease;

import java.time.Duration;
import java.util.Objects;

/**
 * A node's own lease clock (CLUSTER.md §3.5): from the send times of its lease probes that succeeded
 * on the current ZooKeeper session, the latest moment by which every group of this node must be stopped,
 * so that no other node can start one of them before that.
 *
 * <pre>
 *   E_min   = s₂ + (T + F_u)·(1 − ρ)      the earliest moment another node could start a group
 *   t_fence = E_min − G − ε               every group stopped (the watchdog kills what is left)
 *   t_stop  = t_fence − S_g               begin stopping group g
 * </pre>
 * where s₂ is the send time of the second-to-last probe that succeeded, T the negotiated session
 * timeout, F_u the takeover delay after an unclean loss, ρ the clock-rate bound, G the pause allowance
 * and ε the scheduling slack. Why s₂ and not the last probe: the last probe's own session touch may still
 * be on its way to the ZooKeeper leader; the one before it has arrived when the last write succeeded.
 *
 * <p>All times are nanoseconds of {@link System#nanoTime()} (or a fake), never wall-clock. Pure
 * arithmetic over its inputs, except the two probe times it keeps. Not thread-safe: the owner guards it.
 */
public final class LeaseClock {

    private final LeaseTerms terms;
    private long last = Long.MIN_VALUE;
    private long secondToLast = Long.MIN_VALUE;

    public LeaseClock(LeaseTerms terms) {
        this.terms = Objects.requireNonNull(terms, "terms");
    }

    public LeaseTerms terms() {
        return terms;
    }

    /**
     * A lease probe sent at {@code sentAt} succeeded on the current session. Probes must be recorded in
     * the order they were sent; an older one than the last is ignored.
     */
    public void probeSucceeded(long sentAt) {
        if (last != Long.MIN_VALUE && sentAt - last <= 0) {
            return;
        }
        secondToLast = last;
        last = sentAt;
    }

    /** Forgets every probe: a new session starts with no lease. */
    public void reset() {
        last = Long.MIN_VALUE;
        secondToLast = Long.MIN_VALUE;
    }

    /** Whether two probes have succeeded on this session: before that, the node holds no lease. */
    public boolean established() {
        return secondToLast != Long.MIN_VALUE;
    }

    /** The earliest moment another node could start this node's groups; {@link Long#MIN_VALUE} without a lease. */
    public long earliestTakeover() {
        return established() ? secondToLast + terms.takeoverAfter() : Long.MIN_VALUE;
    }

    /** When every group must have stopped (the watchdog's deadline); {@link Long#MIN_VALUE} without a lease. */
    public long fenceAt() {
        return established() ? earliestTakeover() - terms.pauseAllowance().toNanos() - terms.slack().toNanos() : Long.MIN_VALUE;
    }

    /** When to begin stopping a group whose stop takes up to {@code stopBudget}. */
    public long stopAt(Duration stopBudget) {
        return established() ? fenceAt() - stopBudget.toNanos() : Long.MIN_VALUE;
    }

    /** Whether the lease holds at {@code now}: established, and before the fence time. */
    public boolean valid(long now) {
        return established() && now - fenceAt() < 0;
    }

    /** How long the lease still holds at {@code now} (zero if it does not). */
    public Duration remaining(long now) {
        return valid(now) ? Duration.ofNanos(fenceAt() - now) : Duration.ZERO;
    }
}
