package org.clusworker.agents.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.clusworker.host.agent.PropertyError;
import org.junit.jupiter.api.Test;

class ProcessTypeTest {

    private final ProcessType type = new ProcessType();

    @Test
    void validate_minimal_noErrors() {
        assertThat(type.validate(Map.of("command[0]", "sleep", "command[1]", "10"))).isEmpty();
        assertThat(type.validate(Map.of("command", "sleep 10"))).isEmpty();
    }

    @Test
    void validate_everythingWrong_reportsEachProblem() {
        var errors = type.validate(Map.of(
                "stopSignal", "STOP",
                "stopTimeout", "ten seconds",
                "check.tcp", "localhost:http",
                "inheritEnvironment", "maybe",
                "colour", "blue"));
        assertThat(errors).extracting(PropertyError::property)
                .containsExactlyInAnyOrder("command", "stopSignal", "stopTimeout", "check.tcp", "inheritEnvironment", "colour");
        assertThat(errors).filteredOn(e -> e.property().equals("colour")).first()
                .extracting(PropertyError::message).asString().startsWith("unknown parameter (known: command");
    }

    @Test
    void validate_twoChecks_rejected() {
        var errors = type.validate(Map.of("command", "x", "check.tcp", "80", "check.http", "http://localhost/"));
        assertThat(errors).extracting(PropertyError::property).containsExactly("check");
    }

    @Test
    void validate_signalNames_acceptedWithOrWithoutPrefix() {
        assertThat(type.validate(Map.of("command", "x", "stopSignal", "SIGINT"))).isEmpty();
        assertThat(type.validate(Map.of("command", "x", "stopSignal", "hup"))).isEmpty();
    }

    @Test
    void validate_httpCheckNotHttp_rejected() {
        var errors = type.validate(Map.of("command", "x", "check.http", "ftp://host/"));
        assertThat(errors).extracting(PropertyError::property).containsExactly("check.http");
    }
}
