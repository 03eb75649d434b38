package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clusworker.cluster.placement.AntiAffinity;
import org.clusworker.cluster.placement.FailbackPolicy;
import org.clusworker.cluster.placement.FailbackWindow;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.Priority;
import org.clusworker.cluster.zk.ConfigRecord;
import org.clusworker.cluster.zk.Records;
import org.junit.jupiter.api.Test;

/** The group policies through /config (old records included) and into the placement snapshot. */
class ClusterPolicyRecordTest {

    static final GroupPolicy POLICY = new GroupPolicy(new FailbackPolicy(true, Duration.ofMinutes(5), Optional.of(new FailbackWindow(22, 6))),
            AntiAffinity.enforced("db", "big"), Priority.NO_AUTO_START);

    static ClusterSpec spec() {
        return ClusterSpecDigestTest.spec(List.of(ClusterSpecDigestTest.web().withPolicy(POLICY), GroupSpec.of("other", List.of("x"), List.of())));
    }

    @Test
    void configRecord_roundTrip_keepsThePolicies() {
        ClusterSpec s = spec();
        ConfigRecord read = Records.decode(Records.encode(ConfigRecord.of(s)), ConfigRecord.class, "/config");
        ClusterSpec back = read.toSpec("a", s.connect());
        assertThat(back.groups()).isEqualTo(s.groups());
        assertThat(back.digest()).isEqualTo(s.digest()).isEqualTo(read.digest());
    }

    /** A record an earlier release wrote has no policy fields: read as the defaults. */
    @Test
    void configRecord_writtenByAnEarlierRelease_defaultPolicies() {
        String json = new String(Records.encode(ConfigRecord.of(ClusterSpecDigestTest.spec(List.of(ClusterSpecDigestTest.web())))),
                StandardCharsets.UTF_8).replaceAll(",\"(failback\\w*|antiAffinity\\w*|priority)\":[^,}\\]]*(\\][^,}]*)?", "");
        assertThat(json).doesNotContain("failback").doesNotContain("priority").doesNotContain("antiAffinity");
        ConfigRecord old = Records.decode(json.getBytes(StandardCharsets.UTF_8), ConfigRecord.class, "/config");
        ClusterSpec s = old.toSpec("a", "zk:2181");
        assertThat(s.group("web").orElseThrow().policy()).isEqualTo(GroupPolicy.DEFAULTS);
        assertThat(s.digest()).isEqualTo(old.digest()).isEqualTo(ClusterSpecDigestTest.spec(List.of(ClusterSpecDigestTest.web())).digest());
    }

    @Test
    void digest_changesWithAPolicy() {
        assertThat(spec().digest()).isNotEqualTo("d14ac1a12608afe5");
    }

    @Test
    void snapshot_carriesTheGroupPolicies_upSinceAndZone() {
        PlacementSnapshot s = Snapshots.of(spec(), Set.of("a", "b"), Map.of(), Instant.EPOCH, Map.of("a", Instant.EPOCH, "ghost", Instant.EPOCH),
                ZoneOffset.UTC);
        assertThat(s.group("web").groupPolicy()).isEqualTo(POLICY);
        assertThat(s.group("other").groupPolicy()).isEqualTo(GroupPolicy.DEFAULTS);
        assertThat(s.upSince("a")).contains(Instant.EPOCH);
        assertThat(s.zone()).isEqualTo(ZoneOffset.UTC);
    }
}
