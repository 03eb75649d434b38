package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clusworker.host.testing.Gate;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

/** The host tells its {@link CallObserver} each call's duration (by its clock) and each call it gives up on. */
class CallObserverTest {

    private static final Duration PENDING = ResourcePolicy.DEFAULTS.pendingTimeout();
    private static final Duration DEADLOCK = ResourcePolicy.DEFAULTS.deadlockTimeout();
    private static final Duration IS = ResourcePolicy.DEFAULTS.isAliveInterval();

    /** Records every report as a line. */
    /** Waits (at most 10 s of real time) until the recorder has a line {@code line} accepts. */
    private static void awaitLine(Recorder r, java.util.function.Predicate<String> line) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (r.lines.stream().noneMatch(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line within 10 s in " + r.lines);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    static final class Recorder implements CallObserver {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void callReturned(String resource, String entryPoint, Duration took, boolean ok) {
            lines.add(resource + " " + entryPoint + " " + took + " " + (ok ? "ok" : "threw"));
        }

        @Override
        public void terminated(String resource, String entryPoint, Termination why) {
            lines.add(resource + " " + entryPoint + " terminated: " + why.label());
        }
    }

    @Test
    void callsAndHealthChecks_reportedWithTheirDurations_aThrowingObserverIsIgnored() {
        Recorder r = new Recorder();
        try (HostFixture f = new HostFixture()) {
            f.builder().callObserver(r).callObserver(new CallObserver() {
                @Override
                public void callReturned(String resource, String entryPoint, Duration took, boolean ok) {
                    r.callReturned(resource, entryPoint, took, ok);
                    throw new IllegalStateException("a broken observer");
                }
            });
            f.resource("db").startOnline();
            f.advanceSettling(IS, "db");
            assertThat(r.lines).contains("db open PT0S ok", "db online PT0S ok", "db isAlive PT0S ok");
            assertThat(f.host().status("db").state()).isEqualTo(ResourceState.ONLINE);
            assertThat(f.violations()).isEmpty();
        }
    }

    @Test
    void pendingTimeout_reportedAsATermination() {
        Recorder r = new Recorder();
        try (HostFixture f = new HostFixture()) {
            f.builder().callObserver(r);
            f.agent("db").onOnline(Scripts.neverReports());
            f.resource("db").start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(PENDING);
            f.events.awaitState("db", FAILED);
            f.agent("db").awaitReturned("online", 1);
            // the observer hears of the return just after the agent's method returned: wait for it (bounded)
            awaitLine(r, l -> l.startsWith("db online " + PENDING + " "));     // it returned when terminated
            assertThat(r.lines).contains("db online terminated: pending_timeout");
        }
    }

    @Test
    void deadlock_reportedAsATermination() {
        Recorder r = new Recorder();
        Gate release = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.builder().callObserver(r);
            f.agent("db").onIsAlive(Scripts.hangs(release));
            f.resource("db").startOnline();
            f.advanceSettling(IS);
            f.agent("db").awaitEntered("isAlive", 1);
            f.advanceSettling(DEADLOCK);
            f.events.awaitState("db", FAILED);
            assertThat(r.lines).contains("db isAlive terminated: deadlock");
            release.open();
        }
    }
}
