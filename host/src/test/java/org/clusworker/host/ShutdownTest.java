package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;

import java.time.Duration;
import java.util.List;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

class ShutdownTest {

    @Test
    void close_offlineNeverReturns_terminatedAfterTheShutdownTimeoutAndEverythingClosed() {
        HostFixture f = new HostFixture();
        f.builder().shutdownTimeout(Duration.ofMillis(200));
        f.agent("app").onOffline(Scripts.neverReports());
        f.resource("db").resource("app", "db").startOnline();
        ResourceHost host = f.host();

        long started = System.nanoTime();
        f.close();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        ResourceEvent appFailed = f.events.awaitState("app", FAILED);
        assertThat(appFailed.from()).isEqualTo(OFFLINE_PENDING);
        assertThat(appFailed.cause()).isEqualTo("shutdown: still OfflinePending after 200ms; terminated");
        assertThat(f.agent("app").entered("terminate")).isEqualTo(1);
        // db waited for its dependent: it left Online only once app was down (Failed), then went
        // offline or was terminated, depending on who came first: app's returning offline or the closer
        List<ResourceEvent> all = f.events.events();
        int appDown = all.indexOf(appFailed);
        assertThat(all.subList(0, appDown)).noneMatch(e -> e.resource().equals("db") && e.from() == ResourceState.ONLINE);
        assertThat(host.status("db").state()).isIn(OFFLINE, FAILED);
        if (host.status("db").state() == FAILED) {
            assertThat(host.status("db").lastFailure()).matches("shutdown: still (Online|OfflinePending) after 200ms; terminated");
        }
        assertThat(f.agent("db").isClosed()).isTrue();
        assertThat(f.agent("app").isClosed()).isTrue();
        assertThat(host.workers()).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("clusworker-test-"));
        assertThat(tookMillis).isLessThan(10_000);      // bounded (2 x 200 ms plus thread hand-offs); never the point
        assertThat(f.violations()).isEmpty();
    }

    @Test
    void close_whileOnlinePending_terminatesTheOnline() {
        HostFixture f = new HostFixture();
        f.agent("db").onOnline(Scripts.neverReports());
        f.resource("db").start();
        f.agent("db").awaitEntered("online", 1);
        ResourceHost host = f.host();
        f.close();
        assertThat(host.status("db").state()).isEqualTo(OFFLINE);
        assertThat(f.events.states("db")).endsWith(OFFLINE_PENDING, OFFLINE);
        assertThat(f.agent("db").isClosed()).isTrue();
        assertThat(host.workers()).isEmpty();
    }

    @Test
    void close_failedResources_stayFailedAndAreClosed() {
        HostFixture f = new HostFixture();
        f.agent("db").onOnline(Scripts.throwing("no"));
        f.resource("db").start();
        f.events.awaitState("db", FAILED);
        f.settle();
        ResourceHost host = f.host();
        f.close();
        assertThat(host.status("db").state()).isEqualTo(FAILED);
        assertThat(host.status("db").nextAttempt()).isNull();
        assertThat(host.why("db")).contains("The host is shutting down: no further attempt");
        assertThat(f.agent("db").isClosed()).isTrue();
    }

    @Test
    void close_withAnInjectedClock_stopsTheEventThreadAndNoTimerThreadExists() {
        HostFixture f = new HostFixture();
        f.resource("db").startOnline();
        f.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("clusworker-test-"));
    }

    @Test
    void close_withTheSystemClock_stopsItsTimerThread() {
        org.clusworker.host.testing.TestType type = new org.clusworker.host.testing.TestType("test");
        ResourceHost host = ResourceHost.builder().name("sysclock").types(new ResourceTypes().register(type))
                .resource(ResourceSpec.of("db", "test")).build();
        org.clusworker.host.testing.RecordingListener events = new org.clusworker.host.testing.RecordingListener();
        host.addListener(events);
        host.start();
        events.awaitState("db", ResourceState.ONLINE);
        assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().equals("clusworker-sysclock-timer"));
        host.close();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("clusworker-sysclock-"));
        assertThat(host.status("db").state()).isEqualTo(OFFLINE);
    }

    @Test
    void close_fromAnAgentsOwnThread_throwsInsteadOfWaitingForItself() {
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((a, op) -> {
                try {
                    f.host().close();
                } catch (IllegalStateException e) {
                    thrown.set(e);
                }
                return null;
            });
            f.resource("db").startOnline();
            assertThat(thrown.get()).hasMessageStartingWith("Expected host test to be closed from outside, but clusworker-db-online-");
        }
    }

    @Test
    void close_interrupted_stillShutsDownInOrderAndKeepsTheInterruptStatus() {
        HostFixture f = new HostFixture();
        f.resource("db").resource("app", "db").startOnline();
        ResourceHost host = f.host();
        Thread.currentThread().interrupt();
        try {
            f.close();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(host.statuses()).extracting(ResourceStatus::state).containsOnly(OFFLINE);
        assertThat(host.workers()).isEmpty();
    }
}
