package org.clusworker.cluster.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The lease math of CLUSTER.md §3.5, with fake nanosecond times. */
class LeaseClockTest {

    private static final long MS = 1_000_000L;
    /** The test profile: T 3 s, F_u 200 ms, ρ 1 %, G 300 ms, ε 50 ms, P 200 ms. */
    private static final LeaseTerms TEST = new LeaseTerms(Duration.ofSeconds(3), Duration.ofMillis(200), 0.01,
            Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(200));

    @Test
    void fenceAt_fromTheSecondToLastProbe_matchesTheTestProfile() {
        LeaseClock c = new LeaseClock(TEST);
        assertThat(c.established()).isFalse();
        assertThat(c.valid(0)).isFalse();
        c.probeSucceeded(1_000 * MS);
        assertThat(c.established()).isFalse();        // one probe is not a lease
        c.probeSucceeded(1_200 * MS);
        // s2 = 1000 ms; (3000 + 200) x 0.99 = 3168 ms; minus G 300 and ε 50
        assertThat(c.earliestTakeover()).isEqualTo(1_000 * MS + 3_168 * MS);
        assertThat(c.fenceAt()).isEqualTo(1_000 * MS + 2_818 * MS);
        assertThat(c.stopAt(Duration.ofMillis(500))).isEqualTo(1_000 * MS + 2_318 * MS);   // t_stop - s2 = 2.32 s, as in §3.5
        assertThat(c.valid(c.fenceAt() - 1)).isTrue();
        assertThat(c.valid(c.fenceAt())).isFalse();
    }

    @Test
    void probeSucceeded_olderThanTheLast_ignored() {
        LeaseClock c = new LeaseClock(TEST);
        c.probeSucceeded(1_000 * MS);
        c.probeSucceeded(1_200 * MS);
        long fence = c.fenceAt();
        c.probeSucceeded(1_100 * MS);
        assertThat(c.fenceAt()).isEqualTo(fence);
    }

    @Test
    void reset_newSession_noLease() {
        LeaseClock c = new LeaseClock(TEST);
        c.probeSucceeded(1);
        c.probeSucceeded(2);
        c.reset();
        assertThat(c.established()).isFalse();
        assertThat(c.remaining(3)).isZero();
    }

    /**
     * Property: over random probe histories, the fence time is never later than the earliest takeover
     * minus the pause allowance, measured from the second-to-last success, and never earlier than it
     * would be from any older success (the lease only grows as probes succeed).
     */
    @Test
    void fenceAt_randomHistories_neverPastTheEarliestTakeoverMinusThePauseAllowance() {
        SplittableRandom random = new SplittableRandom(42);
        for (int run = 0; run < 1_000; run++) {
            LeaseClock c = new LeaseClock(TEST);
            long t = random.nextLong(1, 1L << 40);
            long previousFence = Long.MIN_VALUE;
            long s2 = Long.MIN_VALUE;
            long s1 = Long.MIN_VALUE;
            for (int i = 0; i < 50; i++) {
                t += random.nextLong(1, 2_000 * MS);
                if (random.nextInt(4) == 0) {
                    continue;     // a probe that failed: not recorded
                }
                c.probeSucceeded(t);
                s2 = s1;
                s1 = t;
                if (c.established()) {
                    long eMin = s2 + (long) ((3_000 + 200) * MS * 0.99);
                    assertThat(c.fenceAt()).isLessThanOrEqualTo(eMin - 300 * MS);
                    assertThat(c.fenceAt()).isGreaterThanOrEqualTo(previousFence);
                    previousFence = c.fenceAt();
                }
            }
        }
    }

    @Test
    void steadyStateProblems_tooShortASession_namesWhatToChange() {
        LeaseTerms tight = new LeaseTerms(Duration.ofSeconds(1), Duration.ZERO, 0.01, Duration.ofMillis(300),
                Duration.ofMillis(50), Duration.ofMillis(200));
        assertThat(tight.steadyStateProblems("web", Duration.ofMillis(500), Duration.ofMillis(10))).singleElement().asString()
                .contains("group web: a healthy node would stop it").contains("raise zookeeper.sessionTimeout");
        assertThat(TEST.steadyStateProblems("web", Duration.ofMillis(500), Duration.ofMillis(50))).isEmpty();
        assertThat(TEST.blipTolerance(Duration.ofMillis(500), Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(1_868));
    }
}
