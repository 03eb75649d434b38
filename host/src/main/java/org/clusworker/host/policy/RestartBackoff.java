package org.clusworker.host.policy;

import org.clusworker.host.ResourcePolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The delay before the n-th consecutive restart, beyond Windows' fixed {@code RestartDelay}: with a
 * {@link ResourcePolicy.Backoff}, {@code min(maxDelay, restartDelay * multiplier^(n-1))}, then moved by a
 * uniformly random fraction in {@code [-jitter, +jitter)} of itself; without one, {@code restartDelay}.
 * Pure: the randomness is injected.
 */
public final class RestartBackoff {

    private final Duration restartDelay;
    private final ResourcePolicy.Backoff backoff;
    private final RandomGenerator random;

    /**
     * @param backoff {@code null} for Windows' fixed delay
     */
    public RestartBackoff(Duration restartDelay, ResourcePolicy.Backoff backoff, RandomGenerator random) {
        this.restartDelay = Objects.requireNonNull(restartDelay, "restartDelay");
        this.backoff = backoff;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Whether a healthy period of {@code onlineFor} resets the count of consecutive restarts. */
    boolean resets(Duration onlineFor) {
        return backoff != null && onlineFor.compareTo(backoff.resetAfter()) >= 0;
    }

    /**
     * @param n the restart's number among consecutive restarts, from 1
     */
    Duration delay(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
        }
        if (backoff == null) {
            return restartDelay;
        }
        double max = backoff.maxDelay().toNanos();
        double raw = Math.min(max, restartDelay.toNanos() * Math.pow(backoff.multiplier(), n - 1));
        double jittered = raw * (1 + backoff.jitter() * (2 * random.nextDouble() - 1));
        return Duration.ofNanos((long) Math.max(0, jittered));
    }
}
