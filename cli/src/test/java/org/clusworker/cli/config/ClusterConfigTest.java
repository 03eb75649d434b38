package org.clusworker.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.process.ProcessType;
import org.clusworker.cluster.ClusterSpec;
import org.clusworker.cluster.GroupSpec;
import org.clusworker.host.ResourceTypes;
import org.junit.jupiter.api.Test;

/** The cluster: and groups: sections, and possibleOwners, with every error at its line. */
class ClusterConfigTest {

    static final Path FILE = Path.of("/etc/clusworker/cluster.yaml");

    private final ConfigLoader loader = new ConfigLoader(new ResourceTypes().register(new ProcessType()), Map.of("HOME", "/home/op"));

    static final String RESOURCES = """
            resources:
              - name: db
                type: process
                parameters: {command: [sleep, "60"]}
                possibleOwners: [node-a, node-b]
              - name: app
                type: process
                parameters: {command: [sleep, "60"]}
                dependsOn: [db]
              - name: local
                type: process
                parameters: {command: [sleep, "60"]}
            """;

    static final String CLUSTER = """
            cluster:
              name: prod
              node: node-a
              nodes: [node-a, node-b, node-c]
              zookeeper:
                connect: "zk1:2181,zk2:2181/clusworker/prod"
                sessionTimeout: 10s
              lease: {probeInterval: 200ms, pauseAllowance: 300ms, clockDrift: 1%, takeoverDelay: 200ms}
            """;

    private List<String> errors(ConfigLoader l, String yaml) {
        try {
            l.parse(yaml, FILE);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected errors, but the configuration was accepted");
    }

    @Test
    void parse_ownershipLog_isResolvedAgainstTheFilesDirectory_andAbsentByDefault() {
        String groups = "groups:\n  - {name: web, resources: [db, app]}\n";
        assertThat(loader.parse(CLUSTER + groups + RESOURCES, FILE).cluster().orElseThrow().ownershipLog()).isNull();
        String relative = CLUSTER.replace("  lease:", "  ownershipLog: log/ownership.log\n  lease:");
        assertThat(loader.parse(relative + groups + RESOURCES, FILE).cluster().orElseThrow().ownershipLog())
                .isEqualTo(Path.of("/etc/clusworker/log/ownership.log"));
        String absolute = CLUSTER.replace("  lease:", "  ownershipLog: /var/log/clusworker/own.log\n  lease:");
        assertThat(loader.parse(absolute + groups + RESOURCES, FILE).cluster().orElseThrow().ownershipLog())
                .isEqualTo(Path.of("/var/log/clusworker/own.log"));
    }

    @Test
    void parse_fullCluster_readsEveryKey() {
        HostConfig c = loader.parse(CLUSTER + """
                groups:
                  - name: web
                    resources: [db, app]
                    preferredOwners: [node-b, node-a]
                    failover: {threshold: 1, period: 1h}
                    stopBudget: 2s
                    onStopFailure: block
                """ + RESOURCES, FILE);
        ClusterSpec s = c.cluster().orElseThrow();
        assertThat(s.name()).isEqualTo("prod");
        assertThat(s.node()).isEqualTo("node-a");
        assertThat(s.nodes()).containsExactly("node-a", "node-b", "node-c");
        assertThat(s.connect()).isEqualTo("zk1:2181,zk2:2181/clusworker/prod");
        assertThat(s.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.lease()).isEqualTo(new ClusterSpec.LeaseSettings(Duration.ofMillis(200), Duration.ofMillis(300), 0.01, Duration.ofMillis(200)));
        GroupSpec web = s.group("web").orElseThrow();
        assertThat(web.resources()).containsExactly("db", "app");
        assertThat(web.preferredOwners()).containsExactly("node-b", "node-a");
        assertThat(web.failoverThreshold(3)).isEqualTo(1);
        assertThat(web.failoverPeriod()).isEqualTo(Duration.ofHours(1));
        assertThat(web.stopBudget()).isEqualTo(Duration.ofSeconds(2));
        assertThat(web.onStopFailure()).isEqualTo(GroupSpec.StopFailure.BLOCK);
        assertThat(s.possibleOwners("db")).containsExactly("node-a", "node-b");
        assertThat(s.possibleOwners("app")).containsExactly("node-a", "node-b", "node-c");
        assertThat(c.stateDirectory()).isEqualTo(Path.of("/home/op/.local/state/clusworker/clusworker/node-a"));
    }

    @Test
    void parse_defaults_thresholdIsNodesMinusOneAndPeriodSixHours() {
        ClusterSpec s = loader.parse(CLUSTER + "groups:\n  - name: web\n    resources: [db, app]\n" + RESOURCES, FILE).cluster().orElseThrow();
        GroupSpec web = s.group("web").orElseThrow();
        assertThat(web.failoverThreshold(3)).isEqualTo(2);
        assertThat(web.failoverPeriod()).isEqualTo(Duration.ofHours(6));
        assertThat(web.onStopFailure()).isEqualTo(GroupSpec.StopFailure.FENCE_SELF);
    }

    @Test
    void forNode_overridesClusterNode_andGetsItsOwnStateDirectory() {
        HostConfig c = loader.forNode("node-c").parse(CLUSTER + RESOURCES.replace("    possibleOwners: [node-a, node-b]\n", ""), FILE);
        assertThat(c.cluster().orElseThrow().node()).isEqualTo("node-c");
        assertThat(c.stateDirectory()).isEqualTo(Path.of("/home/op/.local/state/clusworker/clusworker/node-c"));
    }

    @Test
    void parse_badGroups_everyErrorAtItsLine() {
        List<String> errors = errors(loader, CLUSTER + """
                groups:
                  - name: web
                    resources: [app, ghost]
                    preferredOwners: [node-a, node-x]
                  - name: other
                    resources: [db]
                """ + RESOURCES.replace("possibleOwners: [node-a, node-b]", "possibleOwners: [node-a, node-z]"));
        assertThat(errors).containsExactlyInAnyOrder(
                "/etc/clusworker/cluster.yaml:11:17: groups[web].resources[0]: 'app' depends on 'db', which is not in the group (a group is closed under dependsOn)",
                "/etc/clusworker/cluster.yaml:11:22: groups[web].resources[1]: unknown resource 'ghost'",
                "/etc/clusworker/cluster.yaml:12:31: groups[web].preferredOwners[1]: unknown node 'node-x' (nodes: [node-a, node-b, node-c])",
                "/etc/clusworker/cluster.yaml:19:30: resources[db].possibleOwners[1]: unknown node 'node-z' (nodes: [node-a, node-b, node-c])");
    }

    @Test
    void parse_stopBudgetTooLongForTheSession_refusedNamingWhatToChange() {
        List<String> errors = errors(loader, CLUSTER.replace("sessionTimeout: 10s", "sessionTimeout: 3s") + """
                groups:
                  - name: web
                    resources: [db, app]
                    stopBudget: 5s
                """ + RESOURCES);
        assertThat(errors).singleElement().asString().startsWith("/etc/clusworker/cluster.yaml:12:5: groups[web].stopBudget:")
                .contains("a healthy node would stop it").contains("raise zookeeper.sessionTimeout");
    }

    @Test
    void parse_sessionTimeoutOutsideTheTickBounds_refusedWithTheBoundsAndWhatTheEnsembleWouldGive() {
        List<String> errors = errors(loader, CLUSTER.replace("sessionTimeout: 10s", "sessionTimeout: 3s\n    tickTime: 2s")
                + "groups:\n  - name: web\n    resources: [db]\n    stopBudget: 500ms\n" + RESOURCES);
        assertThat(errors).containsExactly("/etc/clusworker/cluster.yaml:7:5: cluster.zookeeper.sessionTimeout: 3s is outside "
                + "ZooKeeper's bounds for tickTime 2s: [4s, 40s] (2 to 20 ticks; the ensemble would give 4s); change "
                + "zookeeper.sessionTimeout, or the ensemble's tickTime");
        HostConfig ok = loader.parse(CLUSTER.replace("sessionTimeout: 10s", "sessionTimeout: 3s\n    tickTime: 200ms")
                + "groups:\n  - name: web\n    resources: [db, app]\n    stopBudget: 500ms\n" + RESOURCES, FILE);
        assertThat(ok.cluster().orElseThrow().sessionTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void parse_groupsWithoutCluster_refused() {
        assertThat(errors(loader, "groups:\n  - name: web\n    resources: [db]\n" + RESOURCES))
                .contains("/etc/clusworker/cluster.yaml:1:1: groups: groups need a cluster: section (which nodes, which ZooKeeper)")
                .anyMatch(e -> e.contains("resources[db].possibleOwners: possibleOwners needs a cluster: section"));
    }

    @Test
    void parse_nodeNotListed_badConnect_noPossibleOwnerInCommon() {
        List<String> errors = errors(loader, """
                cluster:
                  name: prod
                  node: node-q
                  nodes: [node-a, node-b]
                  zookeeper: {connect: "zk1"}
                groups:
                  - name: web
                    resources: [db, solo]
                """ + RESOURCES + """
                  - name: solo
                    type: process
                    parameters: {command: [sleep, "60"]}
                    possibleOwners: [node-c]
                """);
        assertThat(errors).anyMatch(e -> e.contains("cluster.zookeeper.connect: 'zk1' (expected: host:port"));
    }

    @Test
    void parse_noClusterSection_runsAsToday() {
        HostConfig c = loader.parse(RESOURCES.replace("    possibleOwners: [node-a, node-b]\n", ""), FILE);
        assertThat(c.cluster()).isEmpty();
        assertThat(c.stateDirectory()).isEqualTo(Path.of("/home/op/.local/state/clusworker/clusworker"));
    }

    @Test
    void digest_sameConfigurationOnEveryNode_sameDigest_butAnotherGroupDiffers() {
        String groups = "groups:\n  - name: web\n    resources: [db, app]\n";
        String a = loader.forNode("node-a").parse(CLUSTER + groups + RESOURCES, FILE).cluster().orElseThrow().digest();
        String b = loader.forNode("node-b").parse(CLUSTER + groups + RESOURCES, FILE).cluster().orElseThrow().digest();
        String other = loader.parse(CLUSTER + groups.replace("[db, app]", "[db, app, local]") + RESOURCES, FILE).cluster().orElseThrow().digest();
        assertThat(a).isEqualTo(b).isNotEqualTo(other);
    }
}
