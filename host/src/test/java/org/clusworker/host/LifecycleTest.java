package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.util.concurrent.atomic.AtomicReference;
import org.clusworker.host.testing.HostFixture;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    @Test
    void start_quickAgent_opensThenBringsOnline() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            ResourceHost host = f.startOnline();

            assertThat(f.events.states("db")).containsExactly(UNKNOWN, OFFLINE, ONLINE_PENDING, ONLINE);
            assertThat(f.agent("db").log()).containsExactly("open", "open returned", "online", "online returned");
            ResourceStatus s = host.status("db");
            assertThat(s.state()).isEqualTo(ONLINE);
            assertThat(s.since()).isEqualTo(f.clock.now());
            assertThat(s.lastFailure()).isNull();
            assertThat(s.nextAttempt()).isNull();
            assertThat(f.agent("db").context().workDirectory()).isDirectory();
            assertThat(f.events.events("db")).extracting(ResourceEvent::cause)
                    .containsExactly("agent opened", "host started", "online returned");
        }
    }

    @Test
    void statuses_beforeStart_areUnknownInConfigurationOrder() {
        try (HostFixture f = new HostFixture()) {
            f.resource("b").resource("a");
            ResourceHost host = f.builder().build();
            try {
                assertThat(host.statuses()).extracting(ResourceStatus::name).containsExactly("b", "a");
                assertThat(host.statuses()).extracting(ResourceStatus::state).containsOnly(UNKNOWN);
                assertThat(host.why("a")).contains("a is Unknown").contains("has not started");
            } finally {
                host.close();
            }
            assertThat(f.agent("a").log()).isEmpty();
        }
    }

    @Test
    void requestOnline_beforeStart_throwsNamingTheHostState() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            try (ResourceHost host = f.builder().build()) {
                assertThatThrownBy(() -> host.requestOnline("db"))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("Expected host test to be Running for the online of db request, but was New");
            }
        }
    }

    @Test
    void start_twice_throws() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            ResourceHost host = f.startOnline();
            assertThatThrownBy(host::start).isInstanceOf(IllegalStateException.class)
                    .hasMessage("Expected host test to be New, but was Running");
        }
    }

    @Test
    void status_unknownName_throwsUnknownResourceException() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            ResourceHost host = f.startOnline();
            assertThatThrownBy(() -> host.status("nope")).isInstanceOf(UnknownResourceException.class)
                    .hasMessage("Unknown resource: nope");
            assertThatThrownBy(() -> host.requestOffline("nope")).isInstanceOf(UnknownResourceException.class);
            assertThatThrownBy(() -> host.requestOnline("nope")).isInstanceOf(UnknownResourceException.class);
            assertThatThrownBy(() -> host.why("nope")).isInstanceOf(UnknownResourceException.class);
        }
    }

    @Test
    void entryPoints_runInWorkersNamedByResourceAndEntryPoint() {
        AtomicReference<String> online = new AtomicReference<>();
        AtomicReference<String> looksAlive = new AtomicReference<>();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((a, op) -> {
                online.set(Thread.currentThread().getName());
                return null;
            }).onLooksAlive((a, op) -> {
                looksAlive.set(Thread.currentThread().getName());
                return true;
            });
            f.resource("db").startOnline();
            f.advance(ResourcePolicy.DEFAULTS.looksAliveInterval());
            assertThat(online.get()).matches("clusworker-db-online-\\d+");
            assertThat(looksAlive.get()).matches("clusworker-db-looks-alive-\\d+");
        }
    }

    @Test
    void close_afterStart_takesOfflineClosesAgentAndLeavesNoWorker() {
        HostFixture f = new HostFixture();
        f.resource("db");
        ResourceHost host = f.startOnline();
        f.close();

        assertThat(f.events.states("db")).containsExactly(UNKNOWN, OFFLINE, ONLINE_PENDING, ONLINE, OFFLINE_PENDING, OFFLINE);
        assertThat(f.agent("db").log()).endsWith("offline", "offline returned", "close", "close returned");
        assertThat(f.agent("db").isClosed()).isTrue();
        assertThat(host.workers()).isEmpty();
        assertThat(host.status("db").state()).isEqualTo(OFFLINE);
        assertThat(f.violations()).isEmpty();
        assertThatThrownBy(() -> host.requestOnline("db")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("but was Closed");
        host.close();   // idempotent
    }

    @Test
    void close_neverStarted_startsNothing() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            ResourceHost host = f.builder().build();
            host.close();
            assertThat(host.workers()).isEmpty();
            assertThat(f.agent("db").log()).isEmpty();
        }
    }

    @Test
    void openFails_resourceFailsWithTheAgentsMessage() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOpen(org.clusworker.host.testing.Scripts.throwing("no such database"));
            f.resource("db", ResourcePolicy.DEFAULTS).start();
            ResourceEvent e = f.events.awaitState("db", FAILED);
            assertThat(e.from()).isEqualTo(UNKNOWN);
            assertThat(e.cause()).isEqualTo("open failed: no such database");
            assertThat(f.host().status("db").lastFailure()).isEqualTo("open failed: no such database");
            assertThat(f.host().why("db")).contains("db is Failed").contains("open failed: no such database")
                    .contains("Next attempt at");
        }
    }
}
