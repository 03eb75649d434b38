package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;
import static org.clusworker.host.ResourceState.ONLINE;

import java.time.Duration;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

/** An agent that throws from each entry point: the host keeps its resource's state right and goes on. */
class ThrowingAgentTest {

    @Test
    void open_throws_failsAndRetriesByReopening() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOpen(Scripts.throwing("bad config"));
            f.resource("db").start();
            assertThat(f.events.awaitState("db", FAILED).cause()).isEqualTo("open failed: bad config");
            f.settle();
            f.agent("db").onOpen(Scripts.quick());
            f.advance(ResourcePolicy.DEFAULTS.restartDelay());
            f.events.awaitState("db", ONLINE);
            assertThat(f.agent("db").log()).containsSubsequence("open", "open returned", "open", "open returned", "online");
        }
    }

    @Test
    void online_throwsAnError_failsWithIt() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((a, op) -> {
                throw new StackOverflowError("deep");
            });
            f.resource("db").start();
            assertThat(f.events.awaitState("db", FAILED).cause()).isEqualTo("online failed: java.lang.StackOverflowError: deep");
        }
    }

    @Test
    void offline_throws_failsTerminatesAndDoesNotRestart() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOffline(Scripts.throwing("stuck volume"));
            f.resource("db").startOnline();
            f.host().requestOffline("db");
            ResourceEvent failed = f.events.awaitState("db", FAILED);
            assertThat(failed.from()).isEqualTo(OFFLINE_PENDING);
            assertThat(failed.cause()).isEqualTo("offline failed: stuck volume");
            f.settle();
            assertThat(f.agent("db").entered("terminate")).isEqualTo(1);
            assertThat(f.host().status("db").nextAttempt()).isNull();
        }
    }

    @Test
    void isAlive_throws_fails() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onIsAlive(Scripts.throwing("probe crashed"));
            f.resource("db").startOnline();
            f.advance(ResourcePolicy.DEFAULTS.isAliveInterval());
            assertThat(f.events.awaitState("db", FAILED).cause()).isEqualTo("isAlive failed: probe crashed");
        }
    }

    @Test
    void looksAlive_throws_runsIsAlive() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onLooksAlive(Scripts.throwing("probe crashed")).healthy(true, false);
            f.resource("db").startOnline();
            f.advance(ResourcePolicy.DEFAULTS.looksAliveInterval());
            assertThat(f.events.awaitState("db", FAILED).cause())
                    .isEqualTo("isAlive returned false (checked because looksAlive failed: probe crashed)");
        }
    }

    @Test
    void terminate_throws_hostGoesOn() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onTerminate(Scripts.throwing("cannot kill")).healthy(true, false);
            f.resource("db").startOnline();
            f.advance(ResourcePolicy.DEFAULTS.isAliveInterval());
            f.events.awaitState("db", FAILED);
            f.agent("db").awaitReturned("terminate", 1);
            f.agent("db").healthy(true, true);
            f.advance(ResourcePolicy.DEFAULTS.restartDelay());
            f.events.awaitEntered("db", ONLINE, 2);
        }
    }

    @Test
    void close_throws_hostStillCloses() {
        HostFixture f = new HostFixture();
        f.agent("db").onClose(Scripts.throwing("leak"));
        f.resource("db").startOnline();
        ResourceHost host = f.host();
        f.close();
        assertThat(f.agent("db").entered("close")).isEqualTo(1);
        assertThat(host.status("db").state()).isEqualTo(OFFLINE);
        assertThat(host.workers()).isEmpty();
    }

    @Test
    void eachEntryPointThrowing_otherResourcesUnaffected() {
        try (HostFixture f = new HostFixture()) {
            f.agent("bad").onOnline(Scripts.throwing("no"));
            f.resource("bad").resource("good").start();
            f.events.awaitState("good", ONLINE);
            f.events.awaitState("bad", FAILED);
            f.advance(Duration.ofSeconds(60));
            assertThat(f.host().status("good").state()).isEqualTo(ONLINE);
            assertThat(f.violations()).isEmpty();
        }
    }
}
