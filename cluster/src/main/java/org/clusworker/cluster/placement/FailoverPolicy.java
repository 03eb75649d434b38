package org.clusworker.cluster.placement;

import java.time.Duration;

/**
 * A group's FailoverThreshold per FailoverPeriod and its RetryPeriodOnFailure (CLUSTER.md §1.4, §1.11).
 *
 * @param threshold            unplanned failovers allowed within {@code period}; one more leaves the group Failed
 * @param period               the sliding window: a failover exactly {@code period} ago no longer counts
 * @param retryPeriodOnFailure how long a Failed group waits before one more attempt
 */
public record FailoverPolicy(int threshold, Duration period, Duration retryPeriodOnFailure) {

    /** Windows' FailoverPeriod default. */
    public static final Duration DEFAULT_PERIOD = Duration.ofHours(6);
    /** Windows' RetryPeriodOnFailure default. */
    public static final Duration DEFAULT_RETRY_PERIOD_ON_FAILURE = Duration.ofHours(1);

    public FailoverPolicy {
        if (threshold < 0) {
            throw new IllegalArgumentException("failover threshold: " + threshold + " (expected: >= 0)");
        }
        Checks.notNegative("failover period", period);
        Checks.notNegative("retryPeriodOnFailure", retryPeriodOnFailure);
    }

    /** Windows' defaults in a cluster of {@code nodes} nodes: threshold nodes − 1, period 6h, retry after 1h. */
    public static FailoverPolicy defaults(int nodes) {
        return new FailoverPolicy(defaultThreshold(nodes), DEFAULT_PERIOD, DEFAULT_RETRY_PERIOD_ON_FAILURE);
    }

    /** Windows' default threshold (0xFFFFFFFF, meaning nodes − 1): every other node gets one try. */
    public static int defaultThreshold(int nodes) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes: " + nodes + " (expected: >= 1)");
        }
        return nodes - 1;
    }

    /** The same policy with another threshold. */
    public FailoverPolicy withThreshold(int threshold) {
        return new FailoverPolicy(threshold, period, retryPeriodOnFailure);
    }

    @Override
    public String toString() {
        return "threshold " + threshold + " in " + Checks.format(period) + ", retry after " + Checks.format(retryPeriodOnFailure);
    }
}
