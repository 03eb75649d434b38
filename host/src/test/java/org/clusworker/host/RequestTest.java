package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.time.Duration;
import org.clusworker.host.testing.Gate;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

/** Requests, including those that meet a pending operation. */
class RequestTest {

    @Test
    void requestOffline_online_goesOfflineThenBackOnRequest() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").startOnline();
            f.host().requestOffline("db");
            assertThat(f.events.awaitState("db", OFFLINE).cause()).isEqualTo("offline returned");
            assertThat(f.events.awaitEntered("db", OFFLINE_PENDING, 1).cause()).isEqualTo("offline requested");
            f.advance(Duration.ofHours(1));
            assertThat(f.host().status("db").state()).isEqualTo(OFFLINE);
            assertThat(f.host().why("db")).contains("db is Offline").contains("offline requested");
            f.host().requestOnline("db");
            assertThat(f.events.awaitEntered("db", ONLINE_PENDING, 2).cause()).isEqualTo("online requested");
            f.events.awaitState("db", ONLINE);
        }
    }

    @Test
    void requestOffline_whileOnlinePending_terminatesTheOnlineThenRunsOfflineBeforeOffline() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.neverReports());
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.host().requestOffline("db");
            // Events arrive on the host's event thread, possibly after the online has begun: wait for
            // the second entry into Offline, not for "the latest event", which may still be the first.
            ResourceEvent off = f.events.awaitEntered("db", OFFLINE, 2);
            assertThat(off.cause()).isEqualTo("offline returned");      // what the online began is stopped first
            assertThat(f.events.states("db")).containsExactly(UNKNOWN, OFFLINE, ONLINE_PENDING, OFFLINE_PENDING, OFFLINE);
            assertThat(f.events.awaitEntered("db", OFFLINE_PENDING, 1).cause())
                    .isEqualTo("offline requested; terminating the pending online");
            f.settle();
            assertThat(f.agent("db").entered("terminate")).isEqualTo(1);
            assertThat(f.agent("db").entered("offline")).isEqualTo(1);
            assertThat(f.agent("db").log()).containsSubsequence("online", "terminate", "offline");
            assertThat(f.violations()).isEmpty();
        }
    }

    @Test
    void requestOffline_whileOnlinePendingThatIgnoresTerminate_failsAtThePendingTimeoutThenStopsAndIsOffline() {
        Gate release = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.ignoresTerminate(release));
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.host().requestOffline("db");
            f.events.awaitState("db", OFFLINE_PENDING);
            f.clock.advance(ResourcePolicy.DEFAULTS.pendingTimeout());
            assertThat(f.events.awaitState("db", FAILED).cause())
                    .isEqualTo("pending timeout: online, terminated, reported no progress for 3m (no progress reported since it started)");
            release.open();
            f.settle();
            // the online returned at last: its offline stops what it began, then (offline wanted) Offline, no restart
            assertThat(f.events.awaitState("db", OFFLINE).cause()).isEqualTo("stopped after the failure; offline requested");
            assertThat(f.agent("db").entered("offline")).isEqualTo(1);
            assertThat(f.host().status("db").nextAttempt()).isNull();
        }
    }

    @Test
    void requestOnline_whileOfflinePending_finishesOfflineThenGoesOnline() {
        Gate offlineDone = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOffline(Scripts.waitsFor(offlineDone));
            f.resource("db").startOnline();
            f.host().requestOffline("db");
            f.agent("db").awaitEntered("offline", 1);
            f.host().requestOnline("db");
            assertThat(f.host().status("db").state()).isEqualTo(OFFLINE_PENDING);
            offlineDone.open();
            f.events.awaitEntered("db", ONLINE, 2);
            assertThat(f.events.states("db")).containsExactly(UNKNOWN, OFFLINE, ONLINE_PENDING, ONLINE, OFFLINE_PENDING, OFFLINE, ONLINE_PENDING, ONLINE);
        }
    }

    @Test
    void requestOffline_whileFailed_goesOfflineAndCancelsTheRestart() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.throwing("nope"));
            f.resource("db").start();
            f.events.awaitState("db", FAILED);
            f.settle();
            f.host().requestOffline("db");
            assertThat(f.events.awaitState("db", OFFLINE).cause()).isEqualTo("offline requested");
            assertThat(f.host().status("db").nextAttempt()).isNull();
            f.advance(Duration.ofHours(2));
            assertThat(f.agent("db").entered("online")).isEqualTo(1);
        }
    }

    @Test
    void requestOnline_whileFailedPastTheThreshold_triesAtOnceWithAFreshWindow() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.throwing("nope"));
            f.resource("db").start();
            for (int i = 1; i <= 4; i++) {
                f.events.awaitEntered("db", FAILED, i);
                f.advance(ResourcePolicy.DEFAULTS.restartDelay());
            }
            assertThat(f.host().status("db").nextAttempt()).isNotNull();
            assertThat(f.agent("db").entered("online")).isEqualTo(4);
            f.agent("db").onOnline(Scripts.quick());
            f.host().requestOnline("db");
            assertThat(f.events.awaitEntered("db", ONLINE_PENDING, 5).cause()).isEqualTo("online requested");
            f.events.awaitState("db", ONLINE);
            f.settle();
            assertThat(f.host().status("db").restarts()).isZero();
        }
    }

    @Test
    void requests_matchingTheState_doNothing() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").startOnline();
            f.host().requestOnline("db");
            f.settle();
            f.host().requestOffline("db");
            f.events.awaitState("db", OFFLINE);
            f.host().requestOffline("db");
            f.settle();
            assertThat(f.events.states("db")).containsExactly(UNKNOWN, OFFLINE, ONLINE_PENDING, ONLINE, OFFLINE_PENDING, OFFLINE);
        }
    }
}
