package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final Duration IS = ResourcePolicy.DEFAULTS.isAliveInterval();
    private static final Duration DELAY = ResourcePolicy.DEFAULTS.restartDelay();

    private static ResourcePolicy policy(RestartAction action, ResourcePolicy.Backoff backoff) {
        ResourcePolicy d = ResourcePolicy.DEFAULTS;
        return new ResourcePolicy(d.pendingTimeout(), null, d.deadlockTimeout(), d.looksAliveInterval(), d.isAliveInterval(),
                action, d.restartThreshold(), d.restartPeriod(), d.restartDelay(), d.retryPeriodOnFailure(), backoff);
    }

    /** A flapping agent: comes online fine, then fails its first IsAlive. */
    private static void flap(HostFixture f, String name) {
        f.agent(name).healthy(true, false);
    }

    @Test
    void flapping_restartsThreeTimesThenStaysFailedUntilTheRetryPeriod() {
        try (HostFixture f = new HostFixture()) {
            flap(f, "db");
            f.resource("db").startOnline();
            for (int failure = 1; failure <= 3; failure++) {
                f.advance(IS);
                ResourceEvent failed = f.events.awaitEntered("db", FAILED, failure);
                f.settle();
                assertThat(f.host().status("db").nextAttempt()).isEqualTo(failed.time().plus(DELAY));
                assertThat(f.host().status("db").restarts()).isEqualTo(failure);
                f.advance(DELAY.minusMillis(1));
                assertThat(f.host().status("db").state()).isEqualTo(FAILED);
                f.advance(Duration.ofMillis(1));
                f.events.awaitEntered("db", ONLINE, failure + 1);
                f.settle();
            }
            f.advance(IS);      // the 4th failure within 15 min: past the threshold
            ResourceEvent fourth = f.events.awaitEntered("db", FAILED, 4);
            f.settle();
            ResourceStatus s = f.host().status("db");
            assertThat(s.nextAttempt()).isEqualTo(fourth.time().plus(Duration.ofHours(1)));
            assertThat(s.lastFailure()).isEqualTo("isAlive returned false");
            assertThat(f.host().why("db"))
                    .contains("db is Failed since " + fourth.time() + ": isAlive returned false.")
                    .contains("Next attempt at " + fourth.time().plus(Duration.ofHours(1)) + " (restart threshold 3 in 15m reached; retry after 1h (RetryPeriodOnFailure))");

            f.advance(Duration.ofMinutes(59));
            assertThat(f.host().status("db").state()).isEqualTo(FAILED);
            f.agent("db").healthy(true, true);
            f.advance(Duration.ofMinutes(1));
            f.events.awaitEntered("db", ONLINE, 5);
            f.settle();
            assertThat(f.host().status("db").restarts()).isZero();     // a fresh window after the retry
        }
    }

    @Test
    void failuresFurtherApartThanThePeriod_restartForever() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").startOnline();
            for (int failure = 1; failure <= 6; failure++) {
                f.agent("db").healthy(true, false);
                f.advance(IS);
                ResourceEvent failed = f.events.awaitEntered("db", FAILED, failure);
                f.settle();
                assertThat(f.host().status("db").nextAttempt()).isEqualTo(failed.time().plus(DELAY));
                assertThat(f.host().status("db").restarts()).isEqualTo(1);
                f.agent("db").healthy(true, true);
                f.advance(DELAY);
                f.events.awaitEntered("db", ONLINE, failure + 1);
                f.advance(Duration.ofMinutes(15));
            }
        }
    }

    @Test
    void restartActionNone_staysFailedWithNoAttempt() {
        try (HostFixture f = new HostFixture()) {
            flap(f, "db");
            f.resource("db", policy(RestartAction.NONE, null)).startOnline();
            f.advance(IS);
            f.events.awaitState("db", FAILED);
            f.advance(Duration.ofHours(2));
            assertThat(f.host().status("db").state()).isEqualTo(FAILED);
            assertThat(f.host().status("db").nextAttempt()).isNull();
            assertThat(f.host().why("db")).contains("RestartAction is none: no automatic attempt; request online to try again");
            f.agent("db").healthy(true, true);
            f.host().requestOnline("db");
            f.events.awaitEntered("db", ONLINE, 2);
        }
    }

    @Test
    void restartThenFailover_pastTheThreshold_asksTheFailoverHandlerOnce() {
        List<String> asked = new CopyOnWriteArrayList<>();
        try (HostFixture f = new HostFixture()) {
            f.builder().failoverHandler((resource, reason) -> asked.add(resource + ": " + reason));
            flap(f, "db");
            f.resource("db", policy(RestartAction.RESTART_THEN_FAILOVER, null)).startOnline();
            for (int failure = 1; failure <= 3; failure++) {
                f.advance(IS);
                f.events.awaitEntered("db", FAILED, failure);
                f.advance(DELAY);
                f.events.awaitEntered("db", ONLINE, failure + 1);
                f.settle();
            }
            assertThat(asked).isEmpty();
            f.advance(IS);
            f.events.awaitEntered("db", FAILED, 4);
            f.settle();
            assertThat(asked).containsExactly("db: isAlive returned false");
            assertThat(f.host().why("db")).contains("failover requested");
        }
    }

    @Test
    void backoff_delaysGrowThenResetAfterAHealthyPeriod() {
        ResourcePolicy.Backoff backoff = new ResourcePolicy.Backoff(2.0, Duration.ofSeconds(30), 0.0, Duration.ofMinutes(10));
        ResourcePolicy d = ResourcePolicy.DEFAULTS;
        ResourcePolicy p = new ResourcePolicy(d.pendingTimeout(), null, d.deadlockTimeout(), d.looksAliveInterval(),
                d.isAliveInterval(), RestartAction.RESTART, 10, Duration.ofHours(1), Duration.ofSeconds(1),
                d.retryPeriodOnFailure(), backoff);
        try (HostFixture f = new HostFixture()) {
            f.builder().random(new SplittableRandom(3));
            f.agent("db").onOnline(Scripts.throwing("port in use"));
            f.resource("db", p).start();
            long[] delays = {1, 2, 4, 8, 16, 30};
            for (int i = 0; i < delays.length; i++) {
                ResourceEvent failed = f.events.awaitEntered("db", FAILED, i + 1);
                f.settle();
                assertThat(Duration.between(failed.time(), f.host().status("db").nextAttempt())).isEqualTo(Duration.ofSeconds(delays[i]));
                f.advance(Duration.ofSeconds(delays[i]));
            }
            f.agent("db").onOnline(Scripts.quick());
            f.events.awaitEntered("db", FAILED, 7);
            f.advance(Duration.ofSeconds(30));
            f.events.awaitState("db", ONLINE);
            f.settle();
            f.advance(Duration.ofMinutes(10));     // healthy for resetAfter
            f.agent("db").healthy(true, false);
            f.advance(IS);
            ResourceEvent failed = f.events.awaitEntered("db", FAILED, 8);
            f.settle();
            assertThat(Duration.between(failed.time(), f.host().status("db").nextAttempt())).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void onlineThrows_failsWithTheAgentsMessageAndRestarts() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.throwing("disk full"));
            f.resource("db").start();
            ResourceEvent failed = f.events.awaitEntered("db", FAILED, 1);
            assertThat(failed.from()).isEqualTo(ONLINE_PENDING);
            assertThat(failed.cause()).isEqualTo("online failed: disk full");
            f.settle();
            Instant next = f.host().status("db").nextAttempt();
            assertThat(next).isEqualTo(failed.time().plus(DELAY));
            f.agent("db").onOnline(Scripts.quick());
            f.advance(DELAY);
            f.events.awaitState("db", ONLINE);
            assertThat(f.host().status("db").lastFailure()).isEqualTo("online failed: disk full");
            assertThat(f.host().why("db")).contains("Last failure: online failed: disk full");
        }
    }
}
