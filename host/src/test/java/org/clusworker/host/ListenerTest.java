package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.ONLINE;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.worker.Registration;
import org.junit.jupiter.api.Test;

class ListenerTest {

    @Test
    void listener_throwing_isLoggedAndOthersStillGetEveryEvent() {
        try (HostFixture f = new HostFixture()) {
            f.builder().listener(e -> {
                throw new IllegalStateException("listener bug");
            });
            f.resource("db").startOnline();
            assertThat(f.events.states("db")).endsWith(ONLINE);
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE);
        }
    }

    @Test
    void listener_runsOffHostLocks_andMayCallTheHost() {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (HostFixture f = new HostFixture()) {
            f.builder().listener(e -> {
                seen.add(Thread.currentThread().getName());
                seen.add(f.host().why(e.resource()));       // would deadlock if called under the resource's lock
            });
            f.resource("db").startOnline();
            assertThat(seen.get(0)).matches("clusworker-test-events-\\d+");
        }
    }

    @Test
    void addListener_registrationClosed_noMoreEvents() {
        List<ResourceEvent> seen = new CopyOnWriteArrayList<>();
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            ResourceHost host = f.startOnline();
            Registration r = host.addListener(seen::add);
            host.requestOffline("db");
            f.events.awaitState("db", ResourceState.OFFLINE);
            f.settle();
            r.close();
            host.requestOnline("db");
            f.events.awaitEntered("db", ONLINE, 2);
            f.settle();
            assertThat(seen).extracting(ResourceEvent::to).containsExactly(ResourceState.OFFLINE_PENDING, ResourceState.OFFLINE);
        }
    }

    @Test
    void status_isAnImmutableSnapshot() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            ResourceHost host = f.startOnline();
            ResourceStatus before = host.status("db");
            host.requestOffline("db");
            f.events.awaitState("db", ResourceState.OFFLINE);
            assertThat(before.state()).isEqualTo(ONLINE);
            assertThat(host.status("db")).isNotSameAs(before);
        }
    }
}
