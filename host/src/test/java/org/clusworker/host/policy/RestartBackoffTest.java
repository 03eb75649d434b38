package org.clusworker.host.policy;

import org.clusworker.host.ResourcePolicy;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void delay_withoutBackoff_isTheRestartDelay() {
        RestartBackoff b = new RestartBackoff(Duration.ofMillis(500), null, new SplittableRandom(1));
        assertThat(b.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.delay(50)).isEqualTo(Duration.ofMillis(500));
        assertThat(b.resets(Duration.ofDays(1))).isFalse();
    }

    @Test
    void delay_exponential_isCappedAtMaxDelay() {
        ResourcePolicy.Backoff backoff = new ResourcePolicy.Backoff(3.0, Duration.ofSeconds(60), 0.0, Duration.ofMinutes(1));
        RestartBackoff b = new RestartBackoff(Duration.ofSeconds(1), backoff, new SplittableRandom(1));
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(27));
        assertThat(b.delay(5)).isEqualTo(Duration.ofSeconds(60));
        assertThat(b.delay(10_000)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void delay_withJitter_staysWithinTheBandAndVaries() {
        ResourcePolicy.Backoff backoff = new ResourcePolicy.Backoff(2.0, Duration.ofSeconds(100), 0.25, Duration.ofMinutes(1));
        RestartBackoff b = new RestartBackoff(Duration.ofSeconds(8), backoff, new SplittableRandom(42));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long ms = b.delay(1).toMillis();
            min = Math.min(min, ms);
            max = Math.max(max, ms);
        }
        assertThat(min).isGreaterThanOrEqualTo(6_000);
        assertThat(max).isLessThanOrEqualTo(10_000);
        assertThat(max - min).isGreaterThan(3_000);
    }

    @Test
    void delay_sameSeed_sameDelays() {
        ResourcePolicy.Backoff backoff = new ResourcePolicy.Backoff(2.0, Duration.ofSeconds(100), 0.5, Duration.ofMinutes(1));
        RestartBackoff a = new RestartBackoff(Duration.ofSeconds(1), backoff, new SplittableRandom(7));
        RestartBackoff b = new RestartBackoff(Duration.ofSeconds(1), backoff, new SplittableRandom(7));
        for (int n = 1; n < 10; n++) {
            assertThat(a.delay(n)).isEqualTo(b.delay(n));
        }
    }

    @Test
    void resets_afterResetAfterOnline() {
        ResourcePolicy.Backoff backoff = new ResourcePolicy.Backoff(2.0, Duration.ofSeconds(100), 0.0, Duration.ofMinutes(10));
        RestartBackoff b = new RestartBackoff(Duration.ofSeconds(1), backoff, new SplittableRandom(7));
        assertThat(b.resets(Duration.ofMinutes(10))).isTrue();
        assertThat(b.resets(Duration.ofMinutes(10).minusNanos(1))).isFalse();
    }

    @Test
    void delay_zerothRestart_isRejected() {
        RestartBackoff b = new RestartBackoff(Duration.ofSeconds(1), null, new SplittableRandom(7));
        assertThatThrownBy(() -> b.delay(0)).hasMessage("n: 0 (expected: >= 1)");
    }
}
