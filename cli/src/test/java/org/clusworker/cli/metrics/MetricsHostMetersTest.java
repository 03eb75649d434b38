package org.clusworker.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.clusworker.cli.testing.PrometheusText;
import org.clusworker.host.CallObserver;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The meter binding, fed fake events and call reports, read back as strictly parsed Prometheus text. */
class MetricsHostMetersTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private final Metrics metrics = new Metrics();
    private final HostMeters meters = metrics.host();
    private long sequence;

    @AfterEach
    void close() {
        metrics.close();
    }

    private static ResourceStatus status(String name, ResourceState state, Instant since, int restarts) {
        return new ResourceStatus(name, "process", state, since, 0, null, restarts, null, null, List.of());
    }

    private void transition(String name, ResourceState from, ResourceState to, Instant at, int restarts) {
        meters.onEvent(HostEvent.of(HostEvent.Kind.TRANSITION, from, "test", status(name, to, at, restarts), at).numbered(++sequence));
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(metrics.scrape());
    }

    @Test
    void track_registersEveryResourceAtZero_withItsState() {
        meters.track(List.of(status("db", ResourceState.UNKNOWN, T0, 0), status("web", ResourceState.OFFLINE, T0, 2)));
        PrometheusText p = scrape();
        assertThat(p.type("clusworker_resource_state")).isEqualTo("gauge");
        assertThat(p.value("clusworker_resource_state", "resource", "db", "state", "unknown")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_state", "resource", "db", "state", "online")).isEqualTo(0.0);
        assertThat(p.value("clusworker_resource_state", "resource", "web", "state", "offline")).isEqualTo(1.0);
        assertThat(p.sum("clusworker_resource_state", "resource", "web")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_state_code", "resource", "web")).isEqualTo(3.0);
        assertThat(p.type("clusworker_resource_failures_total")).isEqualTo("counter");
        assertThat(p.value("clusworker_resource_failures_total", "resource", "db")).isEqualTo(0.0);
        assertThat(p.value("clusworker_resource_restarts_total", "resource", "db")).isEqualTo(0.0);
        assertThat(p.value("clusworker_resource_period_restarts", "resource", "web")).isEqualTo(2.0);
        assertThat(p.value("clusworker_resource_last_transition_timestamp_seconds", "resource", "db")).isNaN();
    }

    @Test
    void transitions_moveTheStateGauge_countTransitions_andTimeThePendingStates() {
        meters.track(List.of(status("db", ResourceState.OFFLINE, T0, 0)));
        transition("db", ResourceState.OFFLINE, ResourceState.ONLINE_PENDING, T0.plusSeconds(1), 0);
        transition("db", ResourceState.ONLINE_PENDING, ResourceState.ONLINE, T0.plusMillis(3500), 0);
        PrometheusText p = scrape();
        assertThat(p.value("clusworker_resource_state", "resource", "db", "state", "online")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_state", "resource", "db", "state", "offline")).isEqualTo(0.0);
        assertThat(p.value("clusworker_resource_transitions_total", "resource", "db", "from", "offline", "to", "online_pending"))
                .isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_transitions_total", "resource", "db", "from", "online_pending", "to", "online"))
                .isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_last_transition_timestamp_seconds", "resource", "db"))
                .isEqualTo(T0.plusMillis(3500).toEpochMilli() / 1000.0);
        assertThat(p.type("clusworker_resource_online_duration_seconds")).isEqualTo("histogram");
        assertThat(p.value("clusworker_resource_online_duration_seconds_count", "resource", "db", "outcome", "online")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_online_duration_seconds_sum", "resource", "db", "outcome", "online")).isEqualTo(2.5);
        assertThat(p.value("clusworker_resource_online_duration_seconds_bucket", "resource", "db", "outcome", "online", "le", "2.0"))
                .isEqualTo(0.0);
        assertThat(p.value("clusworker_resource_online_duration_seconds_bucket", "resource", "db", "outcome", "online", "le", "5.0"))
                .isEqualTo(1.0);

        transition("db", ResourceState.ONLINE, ResourceState.OFFLINE_PENDING, T0.plusSeconds(10), 0);
        transition("db", ResourceState.OFFLINE_PENDING, ResourceState.OFFLINE, T0.plusSeconds(10).plusMillis(40), 0);
        p = scrape();
        assertThat(p.value("clusworker_resource_offline_duration_seconds_sum", "resource", "db", "outcome", "offline"))
                .isEqualTo(0.04);
        assertThat(p.value("clusworker_resource_state", "resource", "db", "state", "offline")).isEqualTo(1.0);
    }

    @Test
    void aFailureAndItsRestart_countFailuresAndRestarts() {
        meters.track(List.of(status("db", ResourceState.ONLINE, T0, 0)));
        transition("db", ResourceState.ONLINE, ResourceState.FAILED, T0.plusSeconds(1), 0);
        meters.onEvent(HostEvent.of(HostEvent.Kind.FAILURE, ResourceState.FAILED, "isAlive returned false",
                status("db", ResourceState.FAILED, T0.plusSeconds(1), 0), T0.plusSeconds(1)).numbered(++sequence));
        transition("db", ResourceState.FAILED, ResourceState.ONLINE_PENDING, T0.plusSeconds(2), 1);
        PrometheusText p = scrape();
        assertThat(p.value("clusworker_resource_failures_total", "resource", "db")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_restarts_total", "resource", "db")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_period_restarts", "resource", "db")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_state", "resource", "db", "state", "online_pending")).isEqualTo(1.0);
    }

    @Test
    void callReports_timeHealthChecks_andCountTerminations() {
        meters.callReturned("db", "isAlive", Duration.ofMillis(30), true);
        meters.callReturned("db", "looksAlive", Duration.ofMillis(2), false);
        meters.callReturned("db", "online", Duration.ofSeconds(3), true); // timed by its pending state instead
        meters.terminated("db", "online", CallObserver.Termination.PENDING_TIMEOUT);
        meters.terminated("db", "isAlive", CallObserver.Termination.DEADLOCK);
        meters.terminated("db", "isAlive", CallObserver.Termination.DEADLOCK);
        PrometheusText p = scrape();
        assertThat(p.value("clusworker_resource_health_check_duration_seconds_count", "resource", "db", "check", "isAlive",
                "result", "returned")).isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_health_check_duration_seconds_sum", "resource", "db", "check", "looksAlive",
                "result", "threw")).isEqualTo(0.002);
        assertThat(p.sum("clusworker_resource_health_check_duration_seconds_count")).isEqualTo(2.0);
        assertThat(p.value("clusworker_resource_terminations_total", "resource", "db", "reason", "pending_timeout", "call", "online"))
                .isEqualTo(1.0);
        assertThat(p.value("clusworker_resource_terminations_total", "resource", "db", "reason", "deadlock", "call", "isAlive"))
                .isEqualTo(2.0);
    }

    @Test
    void hostEvents_areIgnored_andTheJvmAndWorkerMetersAreThere() {
        meters.onEvent(HostEvent.ofHost("host h started with 0 resources", T0).numbered(++sequence));
        meters.workersAlive(() -> 7);
        PrometheusText p = scrape();
        assertThat(p.value("clusworker_workers_alive")).isEqualTo(7.0);
        assertThat(p.sum("jvm_memory_used_bytes")).isPositive();
        assertThat(p.value("jvm_threads_live_threads")).isPositive();
        assertThat(p.value("jvm_classes_loaded_classes")).isPositive();
        assertThat(p.value("system_cpu_count")).isPositive();
        assertThat(p.type("jvm_gc_max_data_size_bytes")).isEqualTo("gauge"); // the pause timer appears with the first GC
        assertThat(p.samples().keySet()).noneMatch(s -> s.name().startsWith("clusworker_resource"));
    }

    @Test
    void clusterMeters_readTheOwnedGroups_andCountFailovers() {
        java.util.Map<String, Long> owned = new java.util.concurrent.ConcurrentHashMap<>(java.util.Map.of("g1", 4L));
        ClusterMeters cluster = new ClusterMeters(metrics.registry());
        cluster.groups(List.of("g1", "g2"), () -> owned);
        List<String> asked = new java.util.ArrayList<>();
        cluster.counting((r, why) -> asked.add(r)).failover("db", "threshold");
        PrometheusText p = scrape();
        assertThat(p.value("clusworker_cluster_group_owned", "group", "g1")).isEqualTo(1.0);
        assertThat(p.value("clusworker_cluster_group_owned", "group", "g2")).isEqualTo(0.0);
        assertThat(p.value("clusworker_cluster_group_epoch", "group", "g1")).isEqualTo(4.0);
        assertThat(p.value("clusworker_cluster_group_epoch", "group", "g2")).isNaN();
        assertThat(p.value("clusworker_cluster_failovers_total", "resource", "db")).isEqualTo(1.0);
        assertThat(asked).containsExactly("db");
        owned.remove("g1");
        owned.put("g2", 9L);
        p = scrape();
        assertThat(p.value("clusworker_cluster_group_owned", "group", "g1")).isEqualTo(0.0);
        assertThat(p.value("clusworker_cluster_group_epoch", "group", "g2")).isEqualTo(9.0);
    }
}
