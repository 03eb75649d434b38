package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;

import java.time.Duration;
import java.util.List;
import org.clusworker.host.testing.Gate;
import org.clusworker.host.testing.HostFixture;
import org.clusworker.host.testing.Scripts;
import org.junit.jupiter.api.Test;

class DependencyTest {

    /** The order in which the resources entered {@code state}, by the events. */
    private static List<String> order(HostFixture f, ResourceState state) {
        return f.events.events().stream().filter(e -> e.to() == state).map(ResourceEvent::resource).toList();
    }

    @Test
    void start_goesOnlineInDependencyOrder_onlyOnceDependenciesAreOnline() {
        Gate dbOnline = new Gate();
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.waitsFor(dbOnline));
            f.resource("web", "app").resource("app", "db").resource("db");
            f.start();
            f.agent("db").awaitEntered("online", 1);
            f.clock.advance(Duration.ofSeconds(60));
            f.events.awaitState("app", OFFLINE);       // opened, and waiting
            assertThat(f.host().why("app")).contains("waiting for its dependencies (db is OnlinePending)");
            assertThat(f.agent("app").entered("online")).isZero();
            dbOnline.open();
            f.events.awaitState("web", ONLINE);
            assertThat(order(f, ONLINE_PENDING)).containsExactly("db", "app", "web");
            assertThat(f.events.events("app").get(1).cause()).isEqualTo("host started");
        }
    }

    @Test
    void requestOffline_ofADependency_takesDependentsOfflineFirstAndBringsThemBack() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").resource("app", "db").resource("web", "app").startOnline();
            f.host().requestOffline("db");
            f.events.awaitState("db", OFFLINE);
            assertThat(order(f, OFFLINE_PENDING)).containsExactly("web", "app", "db");
            assertThat(order(f, OFFLINE)).endsWith("web", "app", "db");
            assertThat(f.events.awaitEntered("web", OFFLINE_PENDING, 1).cause()).isEqualTo("dependency app is going offline");
            assertThat(f.host().why("db")).contains("offline requested");
            f.settle();

            f.host().requestOnline("db");
            f.events.awaitEntered("web", ONLINE, 2);
            assertThat(f.events.awaitEntered("app", ONLINE_PENDING, 2).cause()).isEqualTo("every dependency is Online again");
        }
    }

    @Test
    void dependencyFails_dependentsTakenOfflineAndBroughtBackWhenItIsOnlineAgain() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").resource("app", "db").startOnline();
            f.agent("db").healthy(true, false);
            f.advance(ResourcePolicy.DEFAULTS.isAliveInterval());
            f.events.awaitState("db", FAILED);
            assertThat(f.events.awaitState("app", OFFLINE).from()).isEqualTo(OFFLINE_PENDING);
            assertThat(f.events.awaitEntered("app", OFFLINE_PENDING, 1).cause()).isEqualTo("dependency db is Failed");
            f.settle();
            f.agent("db").healthy(true, true);
            f.advance(ResourcePolicy.DEFAULTS.restartDelay());
            f.events.awaitEntered("app", ONLINE, 2);
            assertThat(order(f, ONLINE)).containsExactly("db", "app", "db", "app");
        }
    }

    @Test
    void requestOnline_ofADependent_bringsItsDependenciesOnlineFirst() {
        try (HostFixture f = new HostFixture()) {
            f.resource("db").resource("app", "db").startOnline();
            f.host().requestOffline("db");
            f.events.awaitState("db", OFFLINE);
            f.settle();
            f.host().requestOnline("app");
            f.events.awaitEntered("app", ONLINE, 2);
            assertThat(f.events.awaitEntered("db", ONLINE_PENDING, 2).cause()).isEqualTo("online requested for its dependent app");
        }
    }

    @Test
    void dependencyFailsPastItsThreshold_dependentWaitsOfflineSayingWhy() {
        try (HostFixture f = new HostFixture()) {
            f.agent("db").onOnline(Scripts.throwing("broken"));
            f.resource("db").resource("app", "db").start();
            for (int i = 1; i <= 4; i++) {
                f.events.awaitEntered("db", FAILED, i);
                f.advance(ResourcePolicy.DEFAULTS.restartDelay());
            }
            assertThat(f.host().status("app").state()).isEqualTo(OFFLINE);
            assertThat(f.host().why("app")).contains("waiting for its dependencies (db is Failed)");
            assertThat(f.agent("app").entered("online")).isZero();
        }
    }

    @Test
    void close_takesEverythingOfflineInReverseDependencyOrder() {
        HostFixture f = new HostFixture();
        f.resource("db").resource("cache").resource("app", "db", "cache").resource("web", "app").startOnline();
        f.close();
        List<String> offline = order(f, OFFLINE_PENDING);
        assertThat(offline.indexOf("web")).isLessThan(offline.indexOf("app"));
        assertThat(offline.indexOf("app")).isLessThan(offline.indexOf("db"));
        assertThat(offline.indexOf("app")).isLessThan(offline.indexOf("cache"));
        assertThat(f.events.events().stream().filter(e -> e.to() == OFFLINE_PENDING).map(ResourceEvent::cause).distinct())
                .containsExactly("host shutting down");
    }
}
