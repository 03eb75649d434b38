package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The configuration digest nodes compare when they join. */
class ClusterSpecDigestTest {

    static ClusterSpec spec(List<GroupSpec> groups) {
        return new ClusterSpec("prod", "a", List.of("a", "b", "c"), "zk:2181", Duration.ofSeconds(10), ClusterSpec.LeaseSettings.DEFAULTS,
                groups, Map.of("db", List.of("a", "b")));
    }

    static GroupSpec web() {
        return new GroupSpec("web", List.of("db", "app"), List.of("b", "a"), OptionalInt.of(1), Duration.ofHours(1), Duration.ofSeconds(2),
                GroupSpec.StopFailure.BLOCK);
    }

    /** The digest of a configuration without policies is the one earlier releases computed: a rolling upgrade still joins. */
    @Test
    void digest_withoutPolicies_unchangedFromEarlierReleases() {
        assertThat(spec(List.of(web(), GroupSpec.of("other", List.of("x"), List.of())))).extracting(ClusterSpec::digest)
                .isEqualTo("d14ac1a12608afe5");
    }
}
