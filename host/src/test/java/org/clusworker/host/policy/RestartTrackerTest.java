package org.clusworker.host.policy;

import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.RestartAction;


import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.clusworker.host.policy.RestartTracker.Decision;
import org.clusworker.host.policy.RestartTracker.Verdict;
import org.junit.jupiter.api.Test;

class RestartTrackerTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static RestartTracker tracker(ResourcePolicy policy) {
        return new RestartTracker(policy, new RestartBackoff(policy.restartDelay(), policy.backoff(), new SplittableRandom(1)));
    }

    private static ResourcePolicy policy(RestartAction action, ResourcePolicy.Backoff backoff) {
        ResourcePolicy d = ResourcePolicy.DEFAULTS;
        return new ResourcePolicy(d.pendingTimeout(), null, d.deadlockTimeout(), d.looksAliveInterval(), d.isAliveInterval(),
                action, 3, Duration.ofMinutes(15), Duration.ofMillis(500), Duration.ofHours(1), backoff);
    }

    @Test
    void onFailure_upToThreshold_restartsAfterRestartDelay() {
        RestartTracker t = tracker(ResourcePolicy.DEFAULTS);
        for (int i = 1; i <= 3; i++) {
            Instant now = T0.plusSeconds(i);
            Decision d = t.onFailure(now, Duration.ZERO);
            assertThat(d).isEqualTo(new Decision(Verdict.RESTART, now.plusMillis(500), i));
            assertThat(t.restarts(now)).isEqualTo(i);
        }
    }

    @Test
    void onFailure_pastThreshold_givesUpUntilRetryPeriod() {
        RestartTracker t = tracker(ResourcePolicy.DEFAULTS);
        for (int i = 1; i <= 3; i++) {
            t.onFailure(T0.plusSeconds(i), Duration.ZERO);
        }
        Decision d = t.onFailure(T0.plusSeconds(4), Duration.ZERO);
        assertThat(d).isEqualTo(new Decision(Verdict.GIVE_UP, T0.plusSeconds(4).plus(Duration.ofHours(1)), 4));
        assertThat(t.restarts(T0.plusSeconds(4))).isEqualTo(3);
    }

    @Test
    void onFailure_failuresOlderThanPeriod_slideOutOfTheWindow() {
        RestartTracker t = tracker(ResourcePolicy.DEFAULTS);
        t.onFailure(T0, Duration.ZERO);
        t.onFailure(T0.plus(Duration.ofMinutes(5)), Duration.ZERO);
        t.onFailure(T0.plus(Duration.ofMinutes(10)), Duration.ZERO);
        // at 15 min the first has left the window (counted while now - t < 15 min)
        Decision d = t.onFailure(T0.plus(Duration.ofMinutes(15)), Duration.ZERO);
        assertThat(d.verdict()).isEqualTo(Verdict.RESTART);
        assertThat(d.failures()).isEqualTo(3);
        assertThat(t.failures(T0.plus(Duration.ofMinutes(26)))).isEqualTo(1);
    }

    @Test
    void onFailure_justInsideThePeriod_stillCounts() {
        RestartTracker t = tracker(ResourcePolicy.DEFAULTS);
        t.onFailure(T0, Duration.ZERO);
        t.onFailure(T0.plusSeconds(1), Duration.ZERO);
        t.onFailure(T0.plusSeconds(2), Duration.ZERO);
        Decision d = t.onFailure(T0.plus(Duration.ofMinutes(15)).minusNanos(1), Duration.ZERO);
        assertThat(d.verdict()).isEqualTo(Verdict.GIVE_UP);
    }

    @Test
    void onFailure_actionNone_staysFailedWithoutAttempt() {
        RestartTracker t = tracker(policy(RestartAction.NONE, null));
        Decision d = t.onFailure(T0, Duration.ZERO);
        assertThat(d.verdict()).isEqualTo(Verdict.STAY_FAILED);
        assertThat(d.nextAttempt()).isNull();
        assertThat(t.restarts(T0)).isZero();
    }

    @Test
    void onFailure_restartThenFailoverPastThreshold_asksForFailover() {
        RestartTracker t = tracker(policy(RestartAction.RESTART_THEN_FAILOVER, null));
        for (int i = 0; i < 3; i++) {
            assertThat(t.onFailure(T0.plusSeconds(i), Duration.ZERO).verdict()).isEqualTo(Verdict.RESTART);
        }
        Decision d = t.onFailure(T0.plusSeconds(3), Duration.ZERO);
        assertThat(d.verdict()).isEqualTo(Verdict.FAILOVER);
        assertThat(d.nextAttempt()).isEqualTo(T0.plusSeconds(3).plus(Duration.ofHours(1)));
    }

    @Test
    void reset_forgetsFailures() {
        RestartTracker t = tracker(ResourcePolicy.DEFAULTS);
        for (int i = 0; i < 4; i++) {
            t.onFailure(T0.plusSeconds(i), Duration.ZERO);
        }
        t.reset();
        assertThat(t.failures(T0.plusSeconds(5))).isZero();
        assertThat(t.onFailure(T0.plusSeconds(5), Duration.ZERO).verdict()).isEqualTo(Verdict.RESTART);
    }

    @Test
    void onFailure_withBackoff_delaysGrowAndResetAfterAHealthyPeriod() {
        ResourcePolicy.Backoff backoff = new ResourcePolicy.Backoff(2.0, Duration.ofSeconds(10), 0.0, Duration.ofMinutes(5));
        ResourcePolicy p = new ResourcePolicy(Duration.ofSeconds(180), null, Duration.ofSeconds(300), Duration.ofSeconds(5),
                Duration.ofSeconds(60), RestartAction.RESTART, 100, Duration.ofMinutes(15), Duration.ofSeconds(1),
                Duration.ofHours(1), backoff);
        RestartTracker t = tracker(p);
        long[] expected = {1, 2, 4, 8, 10, 10};
        for (int i = 0; i < expected.length; i++) {
            Decision d = t.onFailure(T0.plusSeconds(i), Duration.ofSeconds(1));
            assertThat(Duration.between(T0.plusSeconds(i), d.nextAttempt())).isEqualTo(Duration.ofSeconds(expected[i]));
        }
        Decision afterHealthy = t.onFailure(T0.plusSeconds(100), Duration.ofMinutes(5));
        assertThat(Duration.between(T0.plusSeconds(100), afterHealthy.nextAttempt())).isEqualTo(Duration.ofSeconds(1));
    }
}
