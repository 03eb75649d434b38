package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;

import java.time.Duration;
import org.clusworker.host.testing.Gate;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

    private static final Duration LOOKS = ResourcePolicy.DEFAULTS.looksAliveInterval();
    private static final Duration IS = ResourcePolicy.DEFAULTS.isAliveInterval();

    @Test
    void online_looksAliveEvery5sAndIsAliveEvery60s() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").startOnline();
            f.advance(LOOKS.minusMillis(1));
            assertThat(f.agent("db").entered("looksAlive")).isZero();
            f.advance(Duration.ofMillis(1));
            assertThat(f.agent("db").entered("looksAlive")).isEqualTo(1);
            for (int i = 2; i <= 11; i++) {
                f.advance(LOOKS);
                assertThat(f.agent("db").entered("looksAlive")).isEqualTo(i);
            }
            assertThat(f.agent("db").entered("isAlive")).isZero();
            f.advance(LOOKS);       // 60 s: IsAlive is due, and covers the LooksAlive of the same tick
            assertThat(f.agent("db").entered("isAlive")).isEqualTo(1);
            f.advance(IS);
            assertThat(f.agent("db").entered("isAlive")).isEqualTo(2);
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE);
            assertThat(f.violations()).isEmpty();
        }
    }

    @Test
    void looksAliveFalse_runsIsAliveAtOnce() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").healthy(false, true);
            f.resource("db").startOnline();
            f.advance(LOOKS);
            assertThat(f.agent("db").log()).endsWith("looksAlive", "looksAlive returned", "isAlive", "isAlive returned");
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE);
        }
    }

    @Test
    void isAliveFalse_failsTerminatesAndRestarts() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").healthy(false, false);
            f.resource("db").startOnline();
            f.agent("db").healthy(true, true);
            f.agent("db").onLooksAlive(Scripts.answering(false)).onIsAlive(Scripts.answering(false));
            f.advance(LOOKS);
            ResourceEvent failed = f.events.awaitState("db", FAILED);
            assertThat(failed.from()).isEqualTo(ONLINE);
            assertThat(failed.cause()).isEqualTo("isAlive returned false (checked because looksAlive returned false)");
            assertThat(f.agent("db").entered("terminate")).isEqualTo(1);
            assertThat(f.host().status("db").lastFailure()).isEqualTo(failed.cause());

            f.agent("db").onLooksAlive(Scripts.answering(true)).onIsAlive(Scripts.answering(true));
            f.advance(ResourcePolicy.DEFAULTS.restartDelay());
            assertThat(f.events.awaitState("db", ONLINE).cause()).isEqualTo("online returned");
            assertThat(f.events.awaitEntered("db", ONLINE_PENDING, 2).cause())
                    .isEqualTo("restart after failure 1 of 3 allowed within 15m");
        }
    }

    @Test
    void isAliveOnItsInterval_false_fails() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").healthy(true, false);
            f.resource("db").startOnline();
            f.advance(IS);
            assertThat(f.events.awaitState("db", FAILED).cause()).isEqualTo("isAlive returned false");
        }
    }

    @Test
    void signalFailure_runsIsAliveAtOnceWithoutWaitingForTheInterval() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").startOnline();
            f.agent("db").healthy(true, false);
            f.agent("db").context().signalFailure("connection lost");
            assertThat(f.events.awaitState("db", FAILED).cause())
                    .isEqualTo("isAlive returned false (checked because the agent signalled a failure: connection lost)");
            assertThat(f.agent("db").entered("looksAlive")).isZero();
        }
    }

    @Test
    void signalFailure_isAliveSaysTrue_staysOnline() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").startOnline();
            f.agent("db").context().signalFailure("blip");
            f.agent("db").awaitReturned("isAlive", 1);
            f.settle();
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE);
        }
    }

    @Test
    void noPolling_whilePending() {
        try (HostFixture f = new HostFixture()) {
            Gate onlineDone = new Gate();
            f.agent("db").onOnline(Scripts.waitsFor(onlineDone));
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(Duration.ofSeconds(170));
            assertThat(f.agent("db").entered("looksAlive") + f.agent("db").entered("isAlive")).isZero();
            onlineDone.open();
            f.events.awaitState("db", ONLINE);
        }
    }

    @Test
    void noPolling_whileOfflineOrFailed() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").resource("web").startOnline();
            f.host().requestOffline("db");
            f.events.awaitState("db", OFFLINE);
            f.agent("web").onIsAlive(Scripts.answering(false));
            f.agent("web").onOnline(Scripts.throwing("no"));
            for (int i = 0; i < 12; i++) {
                f.advance(LOOKS);       // step by step: checks of one resource never overlap, so ticks would coalesce
            }
            f.events.awaitState("web", FAILED);
            f.advance(Duration.ofMinutes(10));
            assertThat(f.agent("db").entered("looksAlive") + f.agent("db").entered("isAlive")).isZero();
            assertThat(f.agent("web").entered("isAlive")).isEqualTo(1);
            assertThat(f.agent("web").entered("looksAlive")).isEqualTo(11);   // the 12th tick is covered by isAlive
        }
    }

    @Test
    void looksAliveThrows_treatedAsFalse() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onLooksAlive(Scripts.throwing("probe broke")).onIsAlive(Scripts.answering(true));
            f.resource("db").startOnline();
            f.advance(LOOKS);
            assertThat(f.agent("db").entered("isAlive")).isEqualTo(1);
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE);
        }
    }
}
