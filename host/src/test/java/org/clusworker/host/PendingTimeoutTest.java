package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.testing.Gate;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.clusworker.host.testing.Stepper;
import org.junit.jupiter.api.Test;

class PendingTimeoutTest {

    private static final Duration PENDING = ResourcePolicy.DEFAULTS.pendingTimeout();

    private static ResourcePolicy withCeiling(Duration ceiling) {
        ResourcePolicy d = ResourcePolicy.DEFAULTS;
        return new ResourcePolicy(d.pendingTimeout(), ceiling, d.deadlockTimeout(), d.looksAliveInterval(), d.isAliveInterval(),
                d.restartAction(), d.restartThreshold(), d.restartPeriod(), d.restartDelay(), d.retryPeriodOnFailure(), null);
    }

    @Test
    void online_slowWithProgress_goesOnlineLongAfterPendingAndDeadlockTimeouts() {
        try (HostFixture f = new HostFixture()) {
            Stepper stepper = new Stepper(6);
            f.agent("db").onOnline(stepper.script());
            f.resource("db").start();
            f.events.awaitState("db", ONLINE_PENDING);
            for (int step = 1; step <= 6; step++) {
                f.clock.advance(PENDING.minusSeconds(1));       // 179 s between reports: never times out
                stepper.grant(1);
                assertThat(stepper.awaitReported(step)).isEqualTo(ExitState.CONTINUE);
                if (step < 6) {     // after the last report the online returns at once
                    assertThat(f.host().status("db").checkpoint()).isEqualTo(step);
                    assertThat(f.host().status("db").progress()).isEqualTo("step " + step);
                }
            }
            ResourceEvent online = f.events.awaitState("db", ONLINE);
            assertThat(online.cause()).isEqualTo("online returned after 6 progress reports");
            assertThat(Duration.between(f.events.awaitEntered("db", ONLINE_PENDING, 1).time(), online.time()))
                    .isEqualTo(PENDING.minusSeconds(1).multipliedBy(6));    // 17.9 min > 180 s and > 300 s
            f.settle();
            assertThat(f.host().status("db").checkpoint()).isZero();
            assertThat(f.host().abandonedCalls()).isEmpty();
        }
    }

    @Test
    void online_neverReports_failsAtPendingTimeoutAndIsTerminatedThenRestarted() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.neverReports());
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(PENDING.minusMillis(1));
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE_PENDING);
            f.clock.advance(Duration.ofMillis(1));
            ResourceEvent failed = f.events.awaitState("db", FAILED);
            assertThat(failed.from()).isEqualTo(ONLINE_PENDING);
            assertThat(failed.cause()).isEqualTo("pending timeout: online reported no progress for 3m (no progress reported since it started)");
            f.agent("db").awaitReturned("online", 1);       // woken by the worker's termination
            f.agent("db").awaitReturned("terminate", 1);
            f.settle();
            assertThat(f.host().status("db").nextAttempt()).isEqualTo(failed.time().plusMillis(500));

            f.agent("db").onOnline(Scripts.quick());
            f.advance(Duration.ofMillis(500));
            f.events.awaitState("db", ONLINE);
            assertThat(f.events.states("db")).containsExactly(UNKNOWN, OFFLINE, ONLINE_PENDING, FAILED, ONLINE_PENDING, ONLINE);
            assertThat(f.host().status("db").restarts()).isEqualTo(1);
            assertThat(f.violations()).isEmpty();
        }
    }

    @Test
    void online_stopsReportingAfterSomeProgress_timeoutCountsFromTheLastReport() {
        try (HostFixture f = new HostFixture()) {
            Stepper stepper = new Stepper(5);
            f.agent("db").onOnline(stepper.script());
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(Duration.ofSeconds(100));
            stepper.grant(2);
            stepper.awaitReported(2);
            f.clock.advance(PENDING.minusMillis(1));
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE_PENDING);
            f.clock.advance(Duration.ofMillis(1));
            assertThat(f.events.awaitState("db", FAILED).cause())
                    .isEqualTo("pending timeout: online reported no progress for 3m (last checkpoint 2: step 2)");
        }
    }

    @Test
    void online_pastTheCeiling_failsEvenWithProgress() {
        try (HostFixture f = new HostFixture()) {
            Stepper stepper = new Stepper(100);
            f.agent("db").onOnline(stepper.script());
            f.resource("db", withCeiling(Duration.ofMinutes(10))).start();
            f.agent("db").awaitEntered("online", 1);
            for (int step = 1; step <= 9; step++) {
                f.clock.advance(Duration.ofMinutes(1));
                stepper.grant(1);
                stepper.awaitReported(step);
            }
            f.clock.advance(Duration.ofMinutes(1));
            assertThat(f.events.awaitState("db", FAILED).cause()).isEqualTo("operation ceiling: online did not finish within 10m");
            f.agent("db").awaitReturned("online", 1);       // its wait woke: the worker was terminated
            f.agent("db").awaitReturned("terminate", 1);
        }
    }

    @Test
    void reportProgress_checkpointNotIncreasing_rejectedNamingBoth() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((a, op) -> {
                op.reportProgress(5, "five");
                try {
                    op.reportProgress(5, "five again");
                } catch (IllegalArgumentException e) {
                    thrown.set(e);
                }
                assertThat(op.reportProgress("six")).isEqualTo(ExitState.CONTINUE);
                return null;
            });
            f.resource("db").startOnline();
            assertThat(thrown.get()).hasMessage("checkpoint: 5 (expected: > 5, the last checkpoint)");
        }
    }

    @Test
    void reportProgress_afterTheOperationFailed_answersTerminate() {
        Gate reportNow = new Gate();
        AtomicReference<ExitState> answer = new AtomicReference<>();
        AtomicReference<Boolean> flag = new AtomicReference<>();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((a, op) -> {
                reportNow.awaitUninterruptibly();
                answer.set(op.reportProgress("late"));
                flag.set(op.isTerminationRequested());
                return null;
            });
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(PENDING);
            f.events.awaitState("db", FAILED);
            reportNow.open();
            f.agent("db").awaitReturned("online", 1);
            assertThat(answer.get()).isEqualTo(ExitState.TERMINATE);
            assertThat(flag.get()).isTrue();
        }
    }

    @Test
    void operation_offersTheWorkersContextAndPendingTimeout() {
        AtomicReference<String> seen = new AtomicReference<>();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((a, op) -> {
                seen.set(op.name() + " " + op.pendingTimeout() + " " + (op.worker().worker().thread() == Thread.currentThread()));
                return null;
            });
            f.resource("db").startOnline();
            assertThat(seen.get()).isEqualTo("online PT3M true");
        }
    }

    @Test
    void reportProgress_zeroCheckpoint_rejected() {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((a, op) -> {
                try {
                    op.reportProgress(0, "zero");
                } catch (IllegalArgumentException e) {
                    thrown.set(e);
                }
                return null;
            });
            f.resource("db").startOnline();
            assertThatThrownBy(() -> {
                throw thrown.get();
            }).hasMessage("checkpoint: 0 (expected: > 0, the last checkpoint)");
        }
    }
}
