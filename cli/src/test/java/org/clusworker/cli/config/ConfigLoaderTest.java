package org.clusworker.cli.config;

import org.clusworker.host.ResourceTypes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.java.JavaType;
import org.clusworker.agents.ocf.OcfType;
import org.clusworker.agents.process.ProcessType;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.RestartAction;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    static final Path FILE = Path.of("/etc/clusworker/test.yaml");

    private final ConfigLoader loader = new ConfigLoader(
            new ResourceTypes().register(new ProcessType()).register(new OcfType()).register(new JavaType()), Map.of("HOME", "/home/op"));

    private static List<String> errors(ConfigLoader loader, String yaml) {
        try {
            loader.parse(yaml, FILE);
        } catch (ConfigException e) {
            return e.errors().stream().map(ConfigError::toString).toList();
        }
        throw new AssertionError("expected errors, but the configuration was accepted");
    }

    private List<String> errors(String yaml) {
        return errors(loader, yaml);
    }

    @Test
    void parse_fullExample_readsEveryField() {
        HostConfig c = loader.parse("""
                host:
                  name: web-1
                  stateDirectory: state
                  adminPort: 7070
                  shutdownTimeout: 2m
                defaults:
                  pendingTimeout: 30s
                  restart:
                    threshold: 5
                    delay: 1s
                resources:
                  - name: db
                    type: process
                    parameters:
                      command: [sleep, 1000]
                      environment:
                        MODE: fast
                      check:
                        tcp: 5432
                  - name: web
                    type: process
                    dependsOn: [db]
                    looksAliveInterval: 500ms
                    restart:
                      action: none
                      backoff:
                        multiplier: 3
                    parameters:
                      command: exec sleep 1000
                """, FILE);
        assertThat(c.name()).isEqualTo("web-1");
        assertThat(c.stateDirectory()).isEqualTo(Path.of("/etc/clusworker/state"));
        assertThat(c.adminPort()).isEqualTo(7070);
        assertThat(c.adminAddress().isLoopbackAddress()).isTrue();
        assertThat(c.shutdownTimeout()).contains(Duration.ofMinutes(2));
        assertThat(c.resources()).extracting(ResourceSpec::name).containsExactly("db", "web");
        ResourceSpec db = c.resources().get(0);
        assertThat(db.properties()).containsOnly(Map.entry("command[0]", "sleep"), Map.entry("command[1]", "1000"),
                Map.entry("environment.MODE", "fast"), Map.entry("check.tcp", "5432"));
        assertThat(db.policy().pendingTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(db.policy().restartThreshold()).isEqualTo(5);
        assertThat(db.policy().restartDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(db.policy().isAliveInterval()).isEqualTo(ResourcePolicy.DEFAULTS.isAliveInterval());
        ResourceSpec web = c.resources().get(1);
        assertThat(web.dependsOn()).containsExactly("db");
        assertThat(web.policy().looksAliveInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(web.policy().restartAction()).isEqualTo(RestartAction.NONE);
        assertThat(web.policy().restartThreshold()).isEqualTo(5);
        assertThat(web.policy().backoff().multiplier()).isEqualTo(3.0);
        assertThat(web.policy().backoff().maxDelay()).isEqualTo(PolicyReader.DEFAULT_BACKOFF.maxDelay());
    }

    @Test
    void parse_noHostSection_defaultsUnderHome() {
        HostConfig c = loader.parse("resources: []\n", FILE);
        assertThat(c.name()).isEqualTo("clusworker");
        assertThat(c.stateDirectory()).isEqualTo(Path.of("/home/op/.local/state/clusworker/clusworker"));
        assertThat(c.adminPort()).isZero();
        assertThat(c.shutdownTimeout()).isEmpty();
    }

    @Test
    void parse_manyProblems_allReportedWithLineAndField() {
        List<String> errors = errors("""
                host:
                  name: demo
                  adminPort: seventy
                resources:
                  - name: a
                    type: process
                    pendingTimout: 30s
                    dependsOn: [b]
                    parameters:
                      command: [sleep, 1]
                  - name: b
                    type: proces
                    dependsOn: [a]
                  - name: c
                    type: process
                    pendingTimeout: 5
                    parameters:
                      stopTimeout: soon
                  - name: d
                    type: process
                    dependsOn: [a, e]
                    parameters:
                      command: sleep 1
                """);
        assertThat(errors).containsExactly(
                "/etc/clusworker/test.yaml:3:14: host.adminPort: 'seventy' (expected: a whole number from 0 to 65535)",
                "/etc/clusworker/test.yaml:7:5: resources[a].pendingTimout: unknown key (did you mean 'pendingTimeout'?) "
                        + "(expected one of: deadlockTimeout, dependsOn, isAliveInterval, looksAliveInterval, name, "
                        + "operationCeiling, parameters, pendingTimeout, possibleOwners, restart, type)",
                "/etc/clusworker/test.yaml:8:5: resources[a].dependsOn: dependency cycle: a -> b -> a",
                "/etc/clusworker/test.yaml:12:5: resources[b].type: unknown type 'proces' (did you mean 'process'?) "
                        + "(known types: java, ocf, process)",
                "/etc/clusworker/test.yaml:16:21: resources[c].pendingTimeout: '5' (expected a duration such as 500ms, 30s, 15m or 1h)",
                "/etc/clusworker/test.yaml:17:5: resources[c].parameters.command: required, but missing",
                "/etc/clusworker/test.yaml:18:20: resources[c].parameters.stopTimeout: 'soon' (expected a duration such as 500ms, 30s, 15m or 1h)",
                "/etc/clusworker/test.yaml:21:20: resources[d].dependsOn[1]: unknown resource 'e'");
    }

    @Test
    void parse_yamlSyntaxError_reportedWithLine() {
        List<String> errors = errors("""
                resources:
                  - name: a
                    type: [process
                """);
        assertThat(errors).singleElement().asString().startsWith("/etc/clusworker/test.yaml:3:")
                .contains("not valid YAML: while parsing a flow sequence; expected ',' or ']', but got <stream end>");
    }

    @Test
    void parse_tabInIndentation_reportedAtTheLineOfTheTab() {
        List<String> errors = errors("resources:\n  - name: a\n\ttype: process\n    properties:\n      command: [sleep, \"60\"]\n");
        assertThat(errors).singleElement().asString()
                .isEqualTo("/etc/clusworker/test.yaml:3:1: not valid YAML: a tab in the indentation (YAML indents with spaces only)");
    }

    @Test
    void parse_duplicates_reportedAtTheSecond() {
        List<String> errors = errors("""
                resources:
                  - name: a
                    type: process
                    type: java
                    parameters: {command: x}
                  - name: a
                    type: process
                    parameters: {command: x}
                """);
        assertThat(errors).containsExactly(
                "/etc/clusworker/test.yaml:4:5: resources[0].type: duplicate key (first at line 3)");
        errors = errors("""
                resources:
                  - name: a
                    type: process
                    parameters: {command: x}
                  - name: a
                    type: process
                    parameters: {command: x}
                """);
        assertThat(errors).containsExactly(
                "/etc/clusworker/test.yaml:5:5: resources[a].name: duplicate resource name 'a' (first at line 2)");
    }

    @Test
    void parse_wrongShapes_eachReported() {
        List<String> errors = errors("""
                host: yes
                defaults:
                  restart:
                    action: sometimes
                    threshold: -1
                    backoff: {jitter: 2}
                resources:
                  - just a string
                  - name: bad name!
                    type: process
                    parameters:
                      command:
                """);
        assertThat(errors).containsExactly(
                "/etc/clusworker/test.yaml:1:7: host: 'yes' (expected: a map of keys to values)",
                "/etc/clusworker/test.yaml:4:5: defaults.restart.action: 'sometimes' (expected one of: none, restart, restart-then-failover)",
                "/etc/clusworker/test.yaml:5:16: defaults.restart.threshold: -1 (expected: 0 to 1000000)",
                "/etc/clusworker/test.yaml:6:23: defaults.restart.backoff.jitter: '2' (expected: a number from 0.0 to 1.0)",
                "/etc/clusworker/test.yaml:8:5: resources[0]: 'just a string' (expected: a map of keys to values)",
                "/etc/clusworker/test.yaml:9:5: resources[1].name: 'bad name!' (expected: 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit)",
                "/etc/clusworker/test.yaml:12:7: resources[1].parameters.command: has no value (give one, or leave the key out)");
    }

    @Test
    void parse_adminAddressNotLoopback_rejected() {
        List<String> errors = errors("""
                host:
                  adminAddress: 10.1.2.3
                resources: []
                """);
        assertThat(errors).singleElement().asString().contains("host.adminAddress").contains("loopback");
    }

    @Test
    void parse_missingResourcesAndEmptyFile_reported() {
        assertThat(errors("host: {name: x}\n")).singleElement().asString().contains("resources: required, but missing");
        assertThat(errors("")).singleElement().asString().contains("the file is empty");
    }

    @Test
    void parse_selfDependencyAndLongCycle_reportedOnce() {
        List<String> errors = errors("""
                resources:
                  - {name: a, type: process, parameters: {command: x}, dependsOn: [a]}
                  - {name: b, type: process, parameters: {command: x}, dependsOn: [c]}
                  - {name: c, type: process, parameters: {command: x}, dependsOn: [d]}
                  - {name: d, type: process, parameters: {command: x}, dependsOn: [b]}
                """);
        assertThat(errors).containsExactly(
                "/etc/clusworker/test.yaml:2:68: resources[a].dependsOn[0]: 'a' depends on itself",
                "/etc/clusworker/test.yaml:3:56: resources[b].dependsOn: dependency cycle: b -> c -> d -> b");
    }

    @Test
    void load_missingFile_reportedAsConfigError() {
        assertThatThrownBy(() -> loader.load(Path.of("/no/such/file.yaml")))
                .isInstanceOf(ConfigException.class).hasMessage("/no/such/file.yaml: no such file");
    }
}
