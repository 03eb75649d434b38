package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.ONLINE;

import java.time.Duration;
import org.clusworker.host.testing.Gate;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

/**
 * The Pacemaker rule for every resource: after a failed or timed-out online, or a failed health check,
 * the agent's offline runs before anything else; Offline is reported only after an offline succeeded; an
 * offline that fails leaves the resource Failed and nothing starts it again on its own.
 */
class StopAfterFailureTest {

    private static final Duration RESTART = ResourcePolicy.DEFAULTS.restartDelay();

    @Test
    void onlineFails_offlineRunsBeforeTheRestart() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.throwing("start: exit 1"));
            f.resource("db").start();
            f.events.awaitState("db", FAILED);
            f.settle();
            assertThat(f.agent("db").entered("offline")).isEqualTo(1);
            f.agent("db").onOnline(Scripts.quick());
            f.advance(RESTART);
            f.events.awaitState("db", ONLINE);
            assertThat(f.agent("db").log()).containsSubsequence("online", "terminate", "offline", "offline returned", "online");
            assertThat(f.violations()).isEmpty();
        }
    }

    @Test
    void isAliveFails_offlineRunsBeforeTheRestart() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onIsAlive(Scripts.answering(false));
            f.resource("db").startOnline();
            f.advance(ResourcePolicy.DEFAULTS.isAliveInterval());
            f.events.awaitEntered("db", FAILED, 1);
            f.agent("db").onIsAlive(Scripts.answering(true));
            f.advance(RESTART);
            f.events.awaitEntered("db", ONLINE, 2);
            assertThat(f.agent("db").log()).containsSubsequence("isAlive", "terminate", "offline", "offline returned", "online");
        }
    }

    @Test
    void pendingTimeout_thenOfflineRequested_offlineOnlyAfterTheStopReturned() {
        Gate stopDone = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.neverReports()).onOffline(Scripts.waitsFor(stopDone));
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(ResourcePolicy.DEFAULTS.pendingTimeout());
            f.events.awaitState("db", FAILED);
            f.agent("db").awaitEntered("offline", 1);
            f.host().requestOffline("db");
            // the stop is still running: Failed, not Offline
            assertThat(f.host().status("db").state()).isEqualTo(FAILED);
            assertThat(f.host().why("db")).contains("Stopping it after the failure");
            stopDone.open();
            assertThat(f.events.awaitState("db", OFFLINE).cause()).isEqualTo("stopped after the failure; offline requested");
        }
    }

    @Test
    void stopAfterFailureFails_staysFailedAndIsNotRestartedUntilARequestRetriesTheStop() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.throwing("start: exit 1")).onOffline(Scripts.throwing("stop: exit 1"));
            f.resource("db").start();
            f.events.awaitState("db", FAILED);
            f.settle();
            f.advance(Duration.ofHours(2));       // past every restart delay and the retry period
            assertThat(f.events.states("db")).containsExactly(ResourceState.UNKNOWN, OFFLINE, ResourceState.ONLINE_PENDING, FAILED);
            ResourceStatus s = f.host().status("db");
            assertThat(s.lastFailure()).isEqualTo("its stop after the failure failed: stop: exit 1 (the failure: online failed: start: exit 1)");
            assertThat(s.nextAttempt()).isNull();
            assertThat(f.host().why("db")).contains("Its stop failed, so it may still be running").contains("No attempt is planned");

            f.agent("db").onOffline(Scripts.quick());
            f.host().requestOffline("db");       // runs the stop again
            assertThat(f.events.awaitState("db", OFFLINE).cause()).isEqualTo("stopped after the failure; offline requested");
            assertThat(f.agent("db").entered("offline")).isEqualTo(2);
        }
    }

    /**
     * An offline that hangs past its pending timeout leaves the resource Failed, its stop failed, its call
     * still running. An offline requested again meanwhile (what a cluster node's lease does when it runs out)
     * cannot run the stop, so the resource must go on reading as not stoppable, not as being stopped: a
     * cluster waits for a stop to finish, but acts (Stuck, fence) on a stop that failed.
     */
    @Test
    void offlineHangsPastItsTimeout_offlineRequestedAgainWhileItsCallHangs_theStopStillReadsFailed_untilARetryCanRun() {
        Gate release = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOffline(Scripts.ignoresTerminate(release));
            f.resource("db").startOnline();
            f.host().requestOnline("db");
            f.host().requestOffline("db");
            f.agent("db").awaitEntered("offline", 1);
            f.clock.advance(ResourcePolicy.DEFAULTS.pendingTimeout());
            f.events.awaitState("db", FAILED);
            assertThat(f.host().stopState("db")).isEqualTo(StopState.STOP_FAILED);
            f.host().requestOffline("db");
            assertThat(f.host().stopState("db")).isEqualTo(StopState.STOP_FAILED);
            f.clock.advance(ResourcePolicy.DEFAULTS.pendingTimeout());
            assertThat(f.host().stopState("db")).isEqualTo(StopState.STOP_FAILED);
            assertThat(f.agent("db").entered("offline")).isEqualTo(1);

            release.open();         // the hung call returns; a request now runs the stop again
            f.agent("db").awaitReturned("offline", 1);
            f.settle();
            f.agent("db").onOffline(Scripts.quick());
            f.host().requestOffline("db");
            assertThat(f.events.awaitState("db", OFFLINE).cause()).isEqualTo("stopped after the failure; offline requested");
            assertThat(f.host().stopState("db")).isEqualTo(StopState.STOPPED);
        }
    }

    @Test
    void offlineFails_failedNeverOffline_andNotRestarted() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOffline(Scripts.throwing("stuck volume"));
            f.resource("db").startOnline();
            f.host().requestOnline("db");
            f.host().requestOffline("db");
            f.events.awaitState("db", FAILED);
            f.settle();
            f.advance(Duration.ofHours(2));
            assertThat(f.host().status("db").state()).isEqualTo(FAILED);
            assertThat(f.agent("db").entered("offline")).isEqualTo(1);     // a failed stop is not retried on its own
            assertThat(f.host().why("db")).contains("Its stop failed");
        }
    }

    @Test
    void onlineRequestedAfterAFailedStop_runsTheStopThenTheOnline() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.throwing("start: exit 1")).onOffline(Scripts.throwing("stop: exit 1"));
            f.resource("db").start();
            f.events.awaitState("db", FAILED);
            f.settle();
            f.agent("db").onOnline(Scripts.quick()).onOffline(Scripts.quick());
            f.host().requestOnline("db");
            f.events.awaitState("db", ONLINE);
            assertThat(f.agent("db").log()).containsSubsequence("offline", "offline returned", "offline", "offline returned", "online", "online returned");
        }
    }

    @Test
    void workDirectory_isPrivateToTheHostsUser() throws Exception {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").startOnline();
            java.nio.file.Path dir = f.agent("db").context().workDirectory();
            assertThat(java.nio.file.Files.getPosixFilePermissions(dir))
                    .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }
}
