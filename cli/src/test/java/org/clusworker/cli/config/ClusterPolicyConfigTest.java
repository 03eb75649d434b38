package org.clusworker.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clusworker.agents.process.ProcessType;
import org.clusworker.cluster.ClusterSpec;
import org.clusworker.cluster.placement.AntiAffinity;
import org.clusworker.cluster.placement.FailbackPolicy;
import org.clusworker.cluster.placement.FailbackWindow;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.cluster.placement.Priority;
import org.clusworker.host.ResourceTypes;
import org.junit.jupiter.api.Test;

/** The groups' failback, antiAffinity and priority keys (CLUSTER.md §1.5, §1.7, §1.8), with every error at its line. */
class ClusterPolicyConfigTest {

    static final Path FILE = Path.of("/etc/clusworker/cluster.yaml");

    private final ConfigLoader loader = new ConfigLoader(new ResourceTypes().register(new ProcessType()), Map.of("HOME", "/home/op"));

    /** Nine lines: {@code groups:} is line 10. */
    static final String CLUSTER = """
            cluster:
              name: prod
              node: node-a
              nodes: [node-a, node-b, node-c]
              zookeeper:
                connect: "zk1:2181,zk2:2181/clusworker/prod"
                sessionTimeout: 10s
              lease: {probeInterval: 200ms, pauseAllowance: 300ms, clockDrift: 1%, takeoverDelay: 200ms}
            # groups follow
            """;

    static String resources(String... names) {
        StringBuilder b = new StringBuilder("resources:\n");
        for (String n : names) {
            b.append("  - name: ").append(n).append("\n    type: process\n    parameters: {command: [sleep, \"60\"]}\n");
        }
        return b.toString();
    }

    static final String RESOURCES = resources("r1", "r2", "r3", "r4");

    private ClusterSpec parse(String groups) {
        return loader.parse(CLUSTER + groups + RESOURCES, FILE).cluster().orElseThrow();
    }

    private List<String> errors(String groups, String resources) {
        try {
            loader.parse(CLUSTER + groups + resources, FILE);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected errors, but the configuration was accepted");
    }

    @Test
    void parse_everyPolicyKey() {
        ClusterSpec s = parse("""
                groups:
                  - name: web
                    resources: [r1]
                    preferredOwners: [node-a]
                    failback: {allow: true, stableFor: 5m, window: "22-6"}
                    antiAffinity: {classes: [db, backup], enforced: true}
                    priority: high
                """);
        assertThat(s.group("web").orElseThrow().policy()).isEqualTo(new GroupPolicy(
                new FailbackPolicy(true, Duration.ofMinutes(5), Optional.of(new FailbackWindow(22, 6))),
                new AntiAffinity(List.of("db", "backup"), true), Priority.HIGH));
    }

    @Test
    void parse_noPolicyKeys_windowsDefaults() {
        GroupPolicy p = parse("groups:\n  - name: web\n    resources: [r1]\n").group("web").orElseThrow().policy();
        assertThat(p).isEqualTo(GroupPolicy.DEFAULTS);
        assertThat(p.failback().allowed()).isFalse();
        assertThat(p.antiAffinity().classes()).isEmpty();
        assertThat(p.priority()).isEqualTo(Priority.MEDIUM);
    }

    @Test
    void parse_failbackWithoutWindowOrStableFor_anyTimeAtOnce_andSoftAntiAffinityByDefault() {
        GroupPolicy p = parse("""
                groups:
                  - name: web
                    resources: [r1]
                    failback: {allow: true}
                    antiAffinity: {classes: db}
                    priority: no-auto-start
                """).group("web").orElseThrow().policy();
        assertThat(p.failback()).isEqualTo(FailbackPolicy.allowed(Duration.ZERO));
        assertThat(p.antiAffinity()).isEqualTo(AntiAffinity.soft("db"));
        assertThat(p.priority()).isEqualTo(Priority.NO_AUTO_START);
    }

    @Test
    void parse_badPolicyValues_everyErrorAtItsLine() {
        List<String> errors = errors("""
                groups:
                  - name: web
                    resources: [r1]
                    failback: {allowed: true, stableFor: soon, window: "25-3"}
                    antiAffinity: {classes: [db, "no good", db], enforced: maybe}
                    priority: urgent
                  - name: other
                    resources: [r2]
                    failback: {allow: 1, window: "6-6"}
                    antiAffinity: {enforced: true}
                """, RESOURCES);
        assertThat(errors).containsExactlyInAnyOrder(
                "/etc/clusworker/cluster.yaml:13:16: groups[web].failback.allowed: unknown key (expected one of: allow, stableFor, window)",
                "/etc/clusworker/cluster.yaml:13:42: groups[web].failback.stableFor: 'soon' (expected a duration such as 500ms, 30s, 15m or 1h)",
                "/etc/clusworker/cluster.yaml:13:48: groups[web].failback.window: '25-3' (expected: " + FailbackWindow.EXPECTED + ")",
                "/etc/clusworker/cluster.yaml:14:34: groups[web].antiAffinity.classes[1]: 'no good' (expected: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)",
                "/etc/clusworker/cluster.yaml:14:45: groups[web].antiAffinity.classes[2]: 'db' is listed twice",
                "/etc/clusworker/cluster.yaml:14:60: groups[web].antiAffinity.enforced: 'maybe' (expected: true or false)",
                "/etc/clusworker/cluster.yaml:15:5: groups[web].priority: 'urgent' (expected one of: high, medium, low, no-auto-start)",
                "/etc/clusworker/cluster.yaml:18:23: groups[other].failback.allow: '1' (expected: true or false)",
                "/etc/clusworker/cluster.yaml:18:26: groups[other].failback.window: '6-6' (expected: two different hours; leave window out to fail back at any time)",
                "/etc/clusworker/cluster.yaml:19:19: groups[other].antiAffinity.classes: required, but missing (expected: the group's anti-affinity classes, e.g. [db])");
    }

    @Test
    void parse_failbackWindowNotAMap_saysWhatItExpects() {
        assertThat(errors("groups:\n  - name: web\n    resources: [r1]\n    failback: true\n", RESOURCES))
                .containsExactly("/etc/clusworker/cluster.yaml:13:15: groups[web].failback: 'true' (expected: a map of keys to values)");
    }

    /** Four groups of one enforced class on three nodes: one of them could never be online. */
    @Test
    void validate_enforcedClassWithMoreGroupsThanNodes_errorNamingTheGroups() {
        StringBuilder groups = new StringBuilder("groups:\n");
        for (int i = 1; i <= 4; i++) {
            groups.append("  - name: db").append(i).append("\n    resources: [r").append(i)
                    .append("]\n    antiAffinity: {classes: [sql], enforced: true}\n");
        }
        assertThat(errors(groups.toString(), RESOURCES)).containsExactly(
                "/etc/clusworker/cluster.yaml:13:30: groups[db1].antiAffinity.classes[0]: anti-affinity class 'sql' is enforced for 4 groups"
                        + " [db1, db2, db3, db4], but they need a node each and only 3 nodes [node-a, node-b, node-c] may own them: at most 3 of"
                        + " them can be online at once, even with every node up (add nodes or possible owners, or set enforced: false)");
    }

    /** Three nodes, but two of the enforced groups may run only on node-a. */
    @Test
    void validate_enforcedClassWhosePossibleOwnersOverlap_errorEvenWithEnoughNodes() {
        String groups = """
                groups:
                  - name: db1
                    resources: [r1]
                    antiAffinity: {classes: [sql], enforced: true}
                  - name: db2
                    resources: [r2]
                    antiAffinity: {classes: [sql], enforced: true}
                  - name: db3
                    resources: [r3]
                    antiAffinity: {classes: [sql], enforced: true}
                """;
        String resources = RESOURCES.replace("  - name: r2\n    type: process\n", "  - name: r2\n    type: process\n    possibleOwners: [node-a]\n")
                .replace("  - name: r1\n    type: process\n", "  - name: r1\n    type: process\n    possibleOwners: [node-a]\n");
        assertThat(errors(groups, resources)).singleElement().asString()
                .contains("groups[db1].antiAffinity.classes[0]: anti-affinity class 'sql' is enforced for 3 groups [db1, db2, db3]")
                .contains("their possible owners allow only 2 on distinct nodes");
    }

    @Test
    void validate_softClassWithMoreGroupsThanNodes_orEnforcedThatFit_accepted() {
        StringBuilder groups = new StringBuilder("groups:\n");
        for (int i = 1; i <= 4; i++) {
            groups.append("  - name: db").append(i).append("\n    resources: [r").append(i)
                    .append("]\n    antiAffinity: {classes: [sql], enforced: ").append(i == 4 ? "false" : "true").append("}\n");
        }
        assertThat(parse(groups.toString()).groups()).hasSize(4);
        assertThat(parse(groups.toString().replace("enforced: true", "enforced: false")).groups()).hasSize(4);
    }

    @Test
    void digest_coversEveryPolicy() {
        String base = "groups:\n  - name: web\n    resources: [r1]\n";
        String d = parse(base).digest();
        List<String> variants = List.of(
                base + "    failback: {allow: true}\n",
                base + "    failback: {allow: false, stableFor: 1m}\n",
                base + "    failback: {allow: true, window: \"22-6\"}\n",
                base + "    failback: {allow: true, window: \"22-7\"}\n",
                base + "    antiAffinity: {classes: [db]}\n",
                base + "    antiAffinity: {classes: [db], enforced: true}\n",
                base + "    priority: high\n",
                base + "    priority: no-auto-start\n");
        List<String> digests = variants.stream().map(v -> parse(v).digest()).toList();
        assertThat(digests).doesNotContain(d).doesNotHaveDuplicates();
        assertThat(parse(base + "    priority: medium\n    failback: {allow: false}\n").digest())
                .as("the defaults written out are the defaults").isEqualTo(d);
    }
}
