package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clusworker.cluster.placement.AntiAffinity;
import org.clusworker.cluster.placement.FailbackPolicy;
import org.clusworker.cluster.placement.FailbackWindow;
import org.clusworker.cluster.placement.FailoverPolicy;
import org.clusworker.cluster.placement.FailoverRecord;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.cluster.placement.GroupView;
import org.clusworker.cluster.placement.PlacementRequest;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.Priority;
import org.clusworker.cluster.placement.ResourceView;
import org.junit.jupiter.api.Test;

/** A snapshot saved as JSON by {@code cluster status --json} and read back by {@code cluster simulate --snapshot}. */
class SnapshotJsonTest {

    private static final Instant NOW = Instant.parse("2026-12-04T05:00:00Z");

    private static PlacementSnapshot sample() {
        GroupView web = GroupView.of("web", new FailoverPolicy(2, Duration.ofHours(6), Duration.ofHours(1)),
                        ResourceView.on("app", "a", "b"), ResourceView.anyNode("ip"))
                .withPreferredOwners("b", "a").ownedBy("b")
                .withHistory(new FailoverRecord(1, java.util.Optional.empty(), "a", NOW.minusSeconds(60), false),
                        FailoverRecord.failover(2, "a", "b", NOW.minusSeconds(30)))
                .withGroupPolicy(new GroupPolicy(FailbackPolicy.allowed(Duration.ofMinutes(5)).within(FailbackWindow.parse("22-6").orElseThrow()),
                        AntiAffinity.enforced("sql"), Priority.HIGH));
        GroupView db = GroupView.of("db", FailoverPolicy.defaults(3), ResourceView.anyNode("pg")).lastOwnedBy("c")
                .failedSince(NOW.minusSeconds(10)).withGroupPolicy(GroupPolicy.DEFAULTS.withPriority(Priority.NO_AUTO_START));
        return new PlacementSnapshot(List.of("a", "b", "c"), Set.of("a", "b"), List.of(web, db), NOW,
                Map.of("a", NOW.minusSeconds(3600), "b", NOW.minusSeconds(7200)), ZoneId.of("Europe/Paris"));
    }

    @Test
    void roundTrip_throughJsonText_givesTheSameSnapshotAndRequests() throws Exception {
        PlacementSnapshot s = sample();
        Map<String, PlacementRequest> requests = Map.of("db", PlacementRequest.moveTo("a"));
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(SnapshotJson.of(s, requests));
        SnapshotJson back = json.readValue(text, SnapshotJson.class);
        assertThat(back.toSnapshot()).isEqualTo(s);
        assertThat(back.toRequests()).isEqualTo(requests);
        assertThat(text).contains("\"failbackWindow\":\"22-6\"").contains("\"priority\":\"no-auto-start\"").contains("\"zone\":\"Europe/Paris\"");
    }

    @Test
    void badValues_areNamedWithTheirField() {
        SnapshotJson good = SnapshotJson.of(sample(), Map.of());
        SnapshotJson badNow = new SnapshotJson(good.nodes(), good.up(), good.upSince(), good.zone(), "yesterday", good.groups(), Map.of());
        assertThatThrownBy(badNow::toSnapshot).hasMessage("now: 'yesterday' (expected an ISO-8601 instant, e.g. 2026-12-04T05:00:00Z)");
        SnapshotJson badRequest = new SnapshotJson(good.nodes(), good.up(), good.upSince(), good.zone(), good.now(), good.groups(),
                Map.of("db", "JUMP"));
        assertThatThrownBy(badRequest::toRequests).hasMessage("requests.db: 'JUMP' (expected: START, FAILOVER, MOVE or MOVE NODE)");
        SnapshotJson noGroups = new SnapshotJson(good.nodes(), good.up(), good.upSince(), good.zone(), good.now(), null, Map.of());
        assertThatThrownBy(noGroups::toSnapshot).hasMessage("groups: missing");
    }
}
