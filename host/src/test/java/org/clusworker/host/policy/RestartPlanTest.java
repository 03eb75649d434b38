package org.clusworker.host.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.RestartAction;
import org.clusworker.host.testing.FakeClock;
import org.junit.jupiter.api.Test;

/** The restart plan alone, on a fake clock: what each failure plans, and when an attempt becomes due. */
class RestartPlanTest {

    private final FakeClock clock = new FakeClock();
    private final List<Long> fired = new ArrayList<>();

    private RestartPlan plan(ResourcePolicy policy) {
        return new RestartPlan(policy, new RestartTracker(policy, new RestartBackoff(policy.restartDelay(), null, () -> 0L)),
                clock, fired::add);
    }

    @Test
    void onFailure_underTheThreshold_plansARestartAfterTheDelayAndFiresOnce() {
        RestartPlan p = plan(ResourcePolicy.DEFAULTS);
        Instant now = clock.now();
        RestartPlan.Outcome o = p.onFailure(now, Duration.ZERO);
        assertThat(o.verdict()).isEqualTo(RestartTracker.Verdict.RESTART);
        assertThat(o.reason()).isEqualTo("restart after failure 1 of 3 allowed within 15m");
        assertThat(p.nextAttempt()).isEqualTo(now.plus(ResourcePolicy.DEFAULTS.restartDelay()));
        assertThat(p.isDue()).isFalse();
        clock.advance(ResourcePolicy.DEFAULTS.restartDelay());
        assertThat(fired).hasSize(1);
        assertThat(p.fired(fired.getFirst())).isTrue();
        assertThat(p.isDue()).isTrue();
        p.beginAttempt();
        assertThat(p.isDue()).isFalse();
        assertThat(p.nextAttempt()).isNull();
    }

    @Test
    void onFailure_pastTheThreshold_givesUpUntilTheRetryPeriodWithAMessageOfItsOwn() {
        RestartPlan p = plan(ResourcePolicy.DEFAULTS);
        for (int i = 0; i < 3; i++) {
            p.onFailure(clock.now(), Duration.ZERO);
            p.beginAttempt();
        }
        RestartPlan.Outcome o = p.onFailure(clock.now(), Duration.ZERO);
        assertThat(o.verdict()).isEqualTo(RestartTracker.Verdict.GIVE_UP);
        assertThat(o.reason()).isEqualTo("restart threshold 3 in 15m reached; retry after 1h (RetryPeriodOnFailure)");
        assertThat(o.nextAttempt()).isEqualTo(clock.now().plus(Duration.ofHours(1)));
        assertThat(o.failover()).isFalse();
    }

    @Test
    void cancel_makesAFiredTimerStale() {
        RestartPlan p = plan(ResourcePolicy.DEFAULTS);
        p.onFailure(clock.now(), Duration.ZERO);
        p.cancel();
        clock.advance(ResourcePolicy.DEFAULTS.restartDelay());
        assertThat(fired).isEmpty();                 // the cancelled timer does not run
        assertThat(p.fired(0)).isFalse();            // and one already on its way is stale
        assertThat(p.isDue()).isFalse();
        assertThat(p.nextAttempt()).isNull();
        clock.advance(Duration.ofMinutes(1));
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void retryNow_isDueAtOnceWithAFreshWindow() {
        RestartPlan p = plan(ResourcePolicy.DEFAULTS);
        for (int i = 0; i < 4; i++) {
            p.onFailure(clock.now(), Duration.ZERO);
        }
        p.retryNow("online requested");
        assertThat(p.isDue()).isTrue();
        assertThat(p.reason()).isEqualTo("online requested");
        assertThat(p.restarts(clock.now())).isZero();
    }

    @Test
    void onFailure_restartActionNone_plansNothing() {
        RestartPlan p = plan(new ResourcePolicy(Duration.ofSeconds(180), null, Duration.ofSeconds(300), Duration.ofSeconds(5),
                Duration.ofSeconds(60), RestartAction.NONE, 3, Duration.ofMinutes(15), Duration.ofMillis(500), Duration.ofHours(1), null));
        RestartPlan.Outcome o = p.onFailure(clock.now(), Duration.ZERO);
        assertThat(o.verdict()).isEqualTo(RestartTracker.Verdict.STAY_FAILED);
        assertThat(o.reason()).isNull();
        assertThat(p.restartsAutomatically()).isFalse();
    }
}
