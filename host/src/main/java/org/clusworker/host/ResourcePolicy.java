package org.clusworker.host;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts, health-check intervals and restart policy of one resource. Defaults are Windows'.
 *
 * @param pendingTimeout       time allowed between two progress reports of a pending online/offline (180 s)
 * @param operationCeiling     optional absolute limit on a whole online/offline; {@code null} for none
 * @param deadlockTimeout      time any entry point may take before the resource is failed as deadlocked (300 s)
 * @param looksAliveInterval   how often LooksAlive runs while Online (5 s)
 * @param isAliveInterval      how often IsAlive runs while Online (60 s)
 * @param restartAction        what to do on failure (restart)
 * @param restartThreshold     failures allowed within {@code restartPeriod} before giving up (3)
 * @param restartPeriod        the sliding window of {@code restartThreshold} (15 min)
 * @param restartDelay         wait before a restart (500 ms)
 * @param retryPeriodOnFailure when a resource past its threshold is tried again (1 h)
 * @param backoff              optional exponential backoff of the restart delay; {@code null} for none
 */
public record ResourcePolicy(
        Duration pendingTimeout,
        Duration operationCeiling,
        Duration deadlockTimeout,
        Duration looksAliveInterval,
        Duration isAliveInterval,
        RestartAction restartAction,
        int restartThreshold,
        Duration restartPeriod,
        Duration restartDelay,
        Duration retryPeriodOnFailure,
        Backoff backoff) {

    /** Windows' defaults. */
    public static final ResourcePolicy DEFAULTS = new ResourcePolicy(
            Duration.ofSeconds(180), null, Duration.ofSeconds(300),
            Duration.ofSeconds(5), Duration.ofSeconds(60),
            RestartAction.RESTART, 3, Duration.ofMinutes(15), Duration.ofMillis(500), Duration.ofHours(1),
            null);

    public ResourcePolicy {
        positive(pendingTimeout, "pendingTimeout");
        if (operationCeiling != null) {
            positive(operationCeiling, "operationCeiling");
        }
        positive(deadlockTimeout, "deadlockTimeout");
        positive(looksAliveInterval, "looksAliveInterval");
        positive(isAliveInterval, "isAliveInterval");
        Objects.requireNonNull(restartAction, "restartAction");
        if (restartThreshold < 0) {
            throw new IllegalArgumentException("restartThreshold: " + restartThreshold + " (expected: >= 0)");
        }
        positive(restartPeriod, "restartPeriod");
        notNegative(restartDelay, "restartDelay");
        positive(retryPeriodOnFailure, "retryPeriodOnFailure");
    }

    static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }

    static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
        }
    }

    /**
     * Exponential backoff of the restart delay, beyond Windows: the n-th consecutive restart waits
     * {@code min(maxDelay, restartDelay * multiplier^(n-1))}, randomised by ±{@code jitter} (a fraction,
     * 0 to 1); the count resets once the resource has stayed Online for {@code resetAfter}.
     */
    public record Backoff(double multiplier, Duration maxDelay, double jitter, Duration resetAfter) {
        public Backoff {
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1)");
            }
            positive(maxDelay, "maxDelay");
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0 to 1)");
            }
            positive(resetAfter, "resetAfter");
        }
    }
}
