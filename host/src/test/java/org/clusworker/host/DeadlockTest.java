package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;

import java.time.Duration;
import java.util.List;
import org.clusworker.host.testing.Gate;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Patience;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

class DeadlockTest {

    private static final Duration DEADLOCK = ResourcePolicy.DEFAULTS.deadlockTimeout();
    private static final Duration IS = ResourcePolicy.DEFAULTS.isAliveInterval();

    @Test
    void isAliveHangs_resourceFailsWithTheStuckStack_othersKeepWorking() {
        Gate release = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onIsAlive(Scripts.hangs(release));
            f.resource("db").resource("web").startOnline();
            f.advanceSettling(IS, "web");
            f.agent("db").awaitEntered("isAlive", 1);
            assertThat(f.agent("web").returned("isAlive")).isEqualTo(1);    // not held up by db's hung check

            f.advanceSettling(DEADLOCK.minusMillis(1), "web");
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE);
            f.advanceSettling(Duration.ofMillis(1), "web");
            ResourceEvent failed = f.events.awaitState("db", FAILED);
            assertThat(failed.cause())
                    .startsWith("deadlock: isAlive did not return within 5m; abandoned its worker clusworker-db-is-alive-")
                    .contains("stuck at:")
                    .contains("at org.clusworker.host.testing.Gate.awaitUninterruptibly");
            List<AbandonedCall> abandoned = f.host().abandonedCalls();
            assertThat(abandoned).hasSize(1);
            assertThat(abandoned.get(0).resource()).isEqualTo("db");
            assertThat(abandoned.get(0).entryPoint()).isEqualTo("isAlive");
            assertThat(abandoned.get(0).stillStuck()).isTrue();
            assertThat(abandoned.get(0).stack()).isNotEmpty();
            assertThat(f.host().workers()).extracting(w -> w.name()).contains(abandoned.get(0).worker());
            f.agent("db").awaitReturned("terminate", 1);

            // web is unaffected: its checks go on, requests work
            int webChecks = f.agent("web").entered("looksAlive");
            f.advance(Duration.ofSeconds(5));
            assertThat(f.agent("web").entered("looksAlive")).isEqualTo(webChecks + 1);
            f.host().requestOffline("web");
            f.events.awaitState("web", OFFLINE);

            // db is not restarted while its call is stuck, although its restart delay has passed
            f.advance(Duration.ofMinutes(5));
            assertThat(f.host().status("db").state()).isEqualTo(FAILED);
            assertThat(f.host().why("db")).contains("is stuck").contains("isAlive");
            assertThat(f.agent("db").entered("online")).isEqualTo(1);

            release.open();
            ResourceEvent back = f.events.awaitState("db", ONLINE);
            assertThat(f.events.events("db").get(f.events.events("db").size() - 2).cause())
                    .isEqualTo("restart after failure 1 of 3 allowed within 15m");
            assertThat(back.from()).isEqualTo(ONLINE_PENDING);
            f.settle();
            assertThat(f.host().abandonedCalls().get(0).stillStuck()).isFalse();
            assertThat(f.violations()).isEmpty();
        }
    }

    @Test
    void onlineIgnoresTerminate_failsAtPendingTimeoutThenIsAbandonedAfterTheDeadlockTimeout() {
        Gate release = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.ignoresTerminate(release));
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(ResourcePolicy.DEFAULTS.pendingTimeout());
            assertThat(f.events.awaitState("db", FAILED).cause()).startsWith("pending timeout");
            f.agent("db").awaitReturned("terminate", 1);
            HostFixture.awaitWorkersOf("db-terminate");     // only the online stays in flight
            assertThat(f.host().abandonedCalls()).isEmpty();
            f.clock.advance(DEADLOCK.minusMillis(1));
            assertThat(f.host().abandonedCalls()).isEmpty();
            f.clock.advance(Duration.ofMillis(1));
            f.settle();
            assertThat(f.host().abandonedCalls()).singleElement().extracting(AbandonedCall::entryPoint).isEqualTo("online");
            assertThat(f.host().status("db").lastFailure()).startsWith("deadlock: online did not return within 5m");
            assertThat(f.agent("db").entered("online")).isEqualTo(1);       // no restart while stuck

            f.agent("db").onOnline(Scripts.quick());
            release.open();
            f.events.awaitState("db", ONLINE);
            assertThat(f.agent("db").entered("online")).isEqualTo(2);
        }
    }

    @Test
    void openHangs_resourceFailsAndHostStillStartsTheOthers() {
        Gate release = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOpen(Scripts.hangs(release));
            f.resource("db").resource("web").start();
            f.events.awaitState("web", ONLINE);
            f.clock.advance(DEADLOCK);
            assertThat(f.events.awaitState("db", FAILED).cause()).startsWith("deadlock: open did not return within 5m");
            release.open();
            f.advance(Duration.ofSeconds(1));
            f.events.awaitState("db", ONLINE);
        }
    }

    @Test
    void close_withACallStuckInNonInterruptibleCode_isBoundedAndReportsIt() throws InterruptedException {
        Gate release = new Gate();
        HostFixture f = new HostFixture();
        f.builder().shutdownTimeout(Duration.ofMillis(200));
        f.agent("db").onIsAlive(Scripts.hangs(release));
        f.resource("db").resource("web").startOnline();
        f.advanceSettling(IS, "web");
        f.agent("db").awaitEntered("isAlive", 1);
        f.advanceSettling(DEADLOCK, "web");
        f.events.awaitState("db", FAILED);
        ResourceHost host = f.host();

        f.close();      // takes web offline; cannot close db's agent while its call is stuck

        assertThat(host.status("web").state()).isEqualTo(OFFLINE);
        assertThat(f.agent("web").isClosed()).isTrue();
        assertThat(f.agent("db").isClosed()).isFalse();
        assertThat(host.workers()).singleElement().extracting(w -> w.name()).isEqualTo(host.abandonedCalls().get(0).worker());
        String stuck = host.abandonedCalls().get(0).worker();
        Thread thread = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(stuck)).findFirst().orElseThrow();
        release.open();
        assertThat(thread.join(Patience.PATIENCE)).isTrue();
        assertThat(host.workers()).isEmpty();
    }
}
