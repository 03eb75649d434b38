package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.Optional;

/**
 * The gates of an automatic placement (CLUSTER.md §1.4, §1.11): a Failed group waits for
 * RetryPeriodOnFailure, then gets one more attempt; a failover past FailoverThreshold unplanned failovers
 * within FailoverPeriod leaves the group Failed.
 *
 * <p>The window is sliding and open at its start: a failover exactly {@code period} ago no longer counts.
 * After a retry it counts afresh: failovers up to the moment the group went Failed no longer count.
 */
final class FailoverGate {

    private FailoverGate() {
    }

    /**
     * @param failover whether this placement is a failover (only a failover counts toward the threshold)
     * @return when the group may be tried again, if it must stay offline now; empty if it may be placed
     */
    static Optional<Instant> check(PlacementSnapshot s, GroupView g, boolean failover, Trace t) {
        FailoverPolicy p = g.policy();
        String retry = "RetryPeriodOnFailure " + Checks.format(p.retryPeriodOnFailure());
        if (g.failed()) {
            Instant since = g.failedSince().orElseThrow();
            Instant retryAt = since.plus(p.retryPeriodOnFailure());
            if (s.now().isBefore(retryAt)) {
                t.note("failed-phase", "Failed since " + since + " (failover threshold reached); retry at " + retryAt + " (" + retry + ")");
                return Optional.of(retryAt);
            }
            t.note("failed-phase", "Failed since " + since + "; " + retry + " has passed: one more attempt"
                    + " (the failover window counts afresh from " + since + ")");
            return Optional.empty();
        }
        if (!failover) {
            return Optional.empty();
        }
        Instant windowStart = s.now().minus(p.period());
        String afresh = "";
        if (g.failedSince().isPresent() && g.failedSince().get().isAfter(windowStart)) {
            windowStart = g.failedSince().get();
            afresh = ", counting afresh from when it went Failed";
        }
        Instant from = windowStart;
        long count = g.history().stream().filter(f -> f.countsTowardThreshold() && f.time().isAfter(from)).count();
        String window = "failover threshold " + p.threshold() + " in " + Checks.format(p.period());
        String counted = count + " unplanned failover" + (count == 1 ? "" : "s") + " after " + from + afresh;
        if (count >= p.threshold()) {
            Instant retryAt = s.now().plus(p.retryPeriodOnFailure());
            t.note("failover-threshold", window + " reached (" + counted + "); retry at " + retryAt + " (" + retry + ")");
            return Optional.of(retryAt);
        }
        t.note("failover-threshold", window + " not reached (" + counted + ")");
        return Optional.empty();
    }
}
