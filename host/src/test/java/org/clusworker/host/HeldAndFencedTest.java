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

    @Test
    void fence_leaseNoLongerValid_aRestartStartsNothing() {
        java.util.concurrent.atomic.AtomicBoolean valid = new java.util.concurrent.atomic.AtomicBoolean(true);
        Fencing token = new Fencing() {
            public long epoch() {
                return 3;
            }

            public String group() {
                return "web";
            }

            public String node() {
                return "node-a";
            }

            public boolean leaseValid() {
                return valid.get();
            }
        };
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onIsAlive(org.clusworker.host.testing.Scripts.answering(false));
            f.resource("db");
            f.builder().heldOffline(List.of("db"));
            f.start();
            f.events.awaitState("db", OFFLINE);
            f.host().fence("db", token);
            f.host().requestOnline("db");
            f.events.awaitState("db", ONLINE);
            valid.set(false);                     // the node lost its lease (a freeze, a partition)
            f.advance(ResourcePolicy.DEFAULTS.isAliveInterval());
            f.events.awaitState("db", org.clusworker.host.ResourceState.FAILED);
            f.advance(java.time.Duration.ofMinutes(5));     // past every restart delay
            assertThat(f.host().status("db").state()).isEqualTo(org.clusworker.host.ResourceState.FAILED);
            assertThat(f.agent("db").entered("online")).isEqualTo(1);
            valid.set(true);                      // the cluster is sure again, and asks
            f.host().requestOnline("db");
            f.events.awaitEntered("db", ONLINE, 2);
        }
    }
}
