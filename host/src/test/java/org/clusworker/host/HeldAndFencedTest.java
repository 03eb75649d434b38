package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.ONLINE;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.clusworker.host.agent.Fencing;
import org.clusworker.host.testing.HostFixture;
import org.junit.jupiter.api.Test;

/** What the cluster layer needs of a host: resources held offline until requested, and a fencing token per online. */
class HeldAndFencedTest {

    record Token(long epoch, String group, String node) implements Fencing {
        @Override
        public boolean leaseValid() {
            return true;
        }
    }

    @Test
    void heldOffline_opensButDoesNotGoOnlineUntilRequested() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").resource("app", "db").resource("free");
            f.builder().heldOffline(List.of("db", "app"));
            f.start();
            f.events.awaitState("free", ONLINE);
            f.settle();
            assertThat(f.host().status("db").state()).isEqualTo(OFFLINE);
            assertThat(f.host().status("app").state()).isEqualTo(OFFLINE);
            assertThat(f.host().why("db")).contains("held offline until requested");
            f.host().requestOnline("app");
            f.events.awaitState("app", ONLINE);
            assertThat(f.host().status("db").state()).isEqualTo(ONLINE);
        }
    }

    @Test
    void heldOffline_unknownName_refusedByBuild() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db");
            f.builder().heldOffline(List.of("dbx"));
            assertThatThrownBy(f::start).isInstanceOf(HostConfigurationException.class)
                    .hasMessageContaining("heldOffline: unknown resource 'dbx'");
        }
    }

    @Test
    void fence_theNextOnlineSeesTheToken_andItsEnvironment() {
        AtomicReference<OptionalLong> seen = new AtomicReference<>();
        AtomicReference<Map<String, String>> env = new AtomicReference<>();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline((agent, op) -> {
                seen.set(agent.context().epoch());
                env.set(agent.context().fencing().map(Fencing::environment).orElse(Map.of()));
                return null;
            });
            f.resource("db");
            f.builder().heldOffline(List.of("db"));
            f.start();
            f.events.awaitState("db", OFFLINE);
            f.host().fence("db", new Token(7, "web", "node-a"));
            f.host().requestOnline("db");
            f.events.awaitState("db", ONLINE);
            assertThat(seen.get()).hasValue(7);
            assertThat(env.get()).containsEntry("CLUSWORKER_EPOCH", "7").containsEntry("CLUSWORKER_GROUP", "web")
                    .containsEntry("CLUSWORKER_NODE", "node-a");
            assertThat(f.agent("db").context().leaseValid()).isTrue();
        }
    }
}
