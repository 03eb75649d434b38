package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change of a group's owner, from its history.
 *
 * @param epoch   the epoch the new owner acquired
 * @param from    the previous owner; empty for the group's first acquisition
 * @param to      the new owner
 * @param time    when it happened
 * @param planned a planned move or drain: never counts toward the failover threshold (CLUSTER.md §1.6)
 */
public record FailoverRecord(long epoch, Optional<String> from, String to, Instant time, boolean planned) {

    public FailoverRecord {
        Objects.requireNonNull(from, "from");
        Checks.name("to", to);
        Objects.requireNonNull(time, "time");
    }

    /** An unplanned failover from {@code from} to {@code to}. */
    public static FailoverRecord failover(long epoch, String from, String to, Instant time) {
        return new FailoverRecord(epoch, Optional.of(from), to, time, false);
    }

    /** A planned move from {@code from} to {@code to}. */
    public static FailoverRecord move(long epoch, String from, String to, Instant time) {
        return new FailoverRecord(epoch, Optional.of(from), to, time, true);
    }

    /** Whether it counts toward FailoverThreshold: unplanned, and not the first acquisition. */
    public boolean countsTowardThreshold() {
        return !planned && from.isPresent();
    }
}
