package org.clusworker.cli.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusworker.cluster.ClusterNode;
import org.clusworker.cluster.zk.Records;
import org.junit.jupiter.api.Test;

/** A cluster node's meters, from what the node reads and reports. */
class ClusterMetersTest {

    @Test
    void groupsOwnersEpochs_leaseRenewals_andFences_areScraped() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ClusterMeters meters = new ClusterMeters(registry);
        Map<String, ClusterNode.GroupSeen> seen = new HashMap<>();
        seen.put("web", new ClusterNode.GroupSeen("b", 3, Records.Phase.ONLINE));
        seen.put("db", new ClusterNode.GroupSeen(null, 7, Records.Phase.OFFLINE));
        meters.cluster(List.of("web", "db"), List.of("a", "b"), () -> seen);
        meters.groups(List.of("web"), () -> Map.of("web", 3L));       // as ClusterSession passes node::ownedGroups
        ClusterNode.Observer observer = meters.observer();
        observer.leaseRenewed(Duration.ofMillis(4));
        observer.leaseRenewed(Duration.ofMillis(6));
        observer.fenced("web", Duration.ofMillis(120));

        System.gc();                         // the suppliers have no holder but the gauges: they must stay
        String text = registry.scrape();
        assertThat(text).contains("clusworker_cluster_group_owner{group=\"web\",node=\"b\"} 1.0")
                .contains("clusworker_cluster_group_owner{group=\"web\",node=\"a\"} 0.0")
                .contains("clusworker_cluster_group_owner{group=\"db\",node=\"a\"} 0.0")
                .contains("clusworker_cluster_group_cluster_epoch{group=\"web\"} 3.0")
                .contains("clusworker_cluster_group_cluster_epoch{group=\"db\"} 7.0")
                .contains("clusworker_cluster_group_owned{group=\"web\"} 1.0")
                .contains("clusworker_cluster_group_epoch{group=\"web\"} 3.0")
                .contains("clusworker_cluster_lease_renew_seconds_count 2")
                .contains("clusworker_cluster_lease_renew_seconds_sum 0.01")
                .contains("clusworker_cluster_fence_seconds_count{group=\"web\"} 1")
                .contains("clusworker_cluster_fence_seconds_sum{group=\"web\"} 0.12");

        seen.put("web", new ClusterNode.GroupSeen("a", 4, Records.Phase.ONLINING));        // read at each scrape
        assertThat(registry.scrape()).contains("clusworker_cluster_group_owner{group=\"web\",node=\"a\"} 1.0")
                .contains("clusworker_cluster_group_cluster_epoch{group=\"web\"} 4.0");
    }
}
