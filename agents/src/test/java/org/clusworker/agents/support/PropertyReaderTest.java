package org.clusworker.agents.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.clusworker.host.agent.PropertyError;
import org.junit.jupiter.api.Test;

class PropertyReaderTest {

    @Test
    void list_flattenedItems_inIndexOrder() {
        PropertyReader r = new PropertyReader(Map.of("cmd[1]", "b", "cmd[0]", "a", "cmd[2]", "c"));
        assertThat(r.list("cmd")).containsExactly("a", "b", "c");
        assertThat(r.errors()).isEmpty();
    }

    @Test
    void command_string_runsThroughShell() {
        PropertyReader r = new PropertyReader(Map.of("cmd", "echo hi"));
        assertThat(r.command("cmd")).containsExactly("/bin/sh", "-c", "echo hi");
    }

    @Test
    void map_prefixedKeys_byName() {
        PropertyReader r = new PropertyReader(Map.of("env.A", "1", "env.B", "2", "other", "x"));
        assertThat(r.map("env")).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"));
    }

    @Test
    void rejectUnknown_unreadKeys_eachReportedWithKnownNames() {
        PropertyReader r = new PropertyReader(Map.of("a", "1", "typo", "2", "env.X", "3"));
        r.string("a");
        r.map("env");
        r.rejectUnknown();
        assertThat(r.errors()).containsExactly(new PropertyError("typo", "unknown parameter (known: a, env)"));
    }

    @Test
    void duration_badOrZero_reportedAndDefaulted() {
        PropertyReader r = new PropertyReader(Map.of("t", "5", "z", "0"));
        assertThat(r.duration("t", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.duration("z", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(r.errors()).extracting(PropertyError::property).containsExactly("t", "z");
        assertThat(r.errors().get(0).message()).contains("expected a duration");
    }

    @Test
    void required_missing_reported() {
        PropertyReader r = new PropertyReader(Map.of());
        assertThat(r.required("agent")).isNull();
        assertThat(r.errors()).containsExactly(new PropertyError("agent", "required, but missing"));
    }
}
