package org.clusworker.agents.ocf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.testing.FakeContext;
import org.clusworker.agents.testing.Processes;
import org.clusworker.agents.testing.WorkerOperation;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Dummy and Delay agents of Debian's {@code resource-agents} package. Skipped, with a
 * message saying so, where the package is not installed.
 */
class OcfDummyAndDelayIT {

    /** The OCF root the test looks in ({@code -Dclusworker.test.ocfRoot=...} shows the skip where the agents are installed). */
    static final Path DUMMY = Path.of(System.getProperty("clusworker.test.ocfRoot", "/usr/lib/ocf"), "resource.d/heartbeat/Dummy");
    private static final Duration LONG = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final OcfType type = new OcfType();
    private ResourceAgent agent;

    /** Each test skips visibly, with the reason, when the agents are missing (a class-level skip counted none). */
    @BeforeEach
    void requireResourceAgents() {
        assumeTrue(Files.isExecutable(DUMMY),
                "OCF tests skipped: " + DUMMY + " is absent (install Debian's resource-agents package to run them)");
    }

    @AfterEach
    void closeAgent() {
        if (agent != null) {
            agent.terminate();
            agent.close();
        }
    }

    private ResourceAgent open(String name, Map<String, String> properties) {
        agent = type.open(new FakeContext(name, "ocf", properties, dir.resolve(name)));
        return agent;
    }

    @Test
    void validate_dummy_noErrors() {
        assertThat(type.validate(Map.of("agent", "heartbeat/Dummy"))).isEmpty();
    }

    @Test
    void validate_unknownParameter_namesKnownOnes() {
        List<PropertyError> errors = type.validate(Map.of("agent", "heartbeat/Dummy", "params.colour", "blue"));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.property()).isEqualTo("params.colour");
            assertThat(e.message()).contains("unknown parameter of heartbeat/Dummy").contains("state").contains("fake");
        });
    }

    @Test
    void validate_validateAllFails_reportedWithExitReason() {
        List<PropertyError> errors = type.validate(Map.of("agent", "heartbeat/Delay", "params.startdelay", "soon"));
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.property()).isEqualTo("agent");
            assertThat(e.message()).contains("validate-all failed").contains("OCF_ERR_ARGS");
        });
    }

    @Test
    void validate_missingAgent_saysWhereItLooked() {
        List<PropertyError> errors = type.validate(Map.of("agent", "heartbeat/NoSuchAgent"));
        assertThat(errors).singleElement().extracting(PropertyError::message).asString()
                .contains("/usr/lib/ocf/resource.d/heartbeat/NoSuchAgent");
    }

    @Test
    void dummy_onlineThenOffline_monitorFollows() {
        Path state = dir.resolve("dummy.state");
        open("dummy", Map.of("agent", "heartbeat/Dummy", "params.state", state.toString()));
        assertThatThrownBy(agent::looksAlive).isInstanceOf(AgentException.class).hasMessageStartingWith("OCF heartbeat/Dummy monitor: exit 7 (OCF_NOT_RUNNING: not running)");
        List<String> progress = WorkerOperation.run("online", agent::online);
        assertThat(progress).hasSize(3).first().asString().startsWith("probe:");       // probe, start, monitor
        assertThat(Files.exists(state)).isTrue();
        assertThat(agent.looksAlive()).isTrue();
        assertThat(agent.isAlive()).isTrue();
        WorkerOperation.run("offline", agent::offline);
        assertThat(Files.exists(state)).isFalse();
        assertThatThrownBy(agent::looksAlive).isInstanceOf(AgentException.class).hasMessageStartingWith("OCF heartbeat/Dummy monitor: exit 7 (OCF_NOT_RUNNING: not running)");
        assertThat(dir.resolve("dummy/agent.log")).exists();
    }

    @Test
    void dummy_stateRemovedFromOutside_checksNameTheMonitorsAnswer() throws Exception {
        Path state = dir.resolve("dummy.state");
        open("dummy", Map.of("agent", "heartbeat/Dummy", "params.state", state.toString()));
        WorkerOperation.run("online", agent::online);
        Files.delete(state);
        assertThatThrownBy(agent::looksAlive).isInstanceOf(AgentException.class).hasMessageStartingWith("OCF heartbeat/Dummy monitor: exit 7 (OCF_NOT_RUNNING: not running)");
        assertThatThrownBy(agent::isAlive).isInstanceOf(AgentException.class).hasMessageContaining("exit 7 (OCF_NOT_RUNNING: not running)");
    }

    @Test
    void delay_onlineAndOffline_takeTheirDelay() {
        open("delay", Map.of("agent", "heartbeat/Delay", "params.startdelay", "1", "params.stopdelay", "1",
                "params.mondelay", "0"));
        long t0 = System.nanoTime();
        WorkerOperation.run("online", agent::online);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(agent.looksAlive()).isTrue();
        WorkerOperation.run("offline", agent::offline);
        assertThatThrownBy(agent::looksAlive).isInstanceOf(AgentException.class).hasMessageContaining("OCF_NOT_RUNNING");
    }

    @Test
    void delay_startPastItsTimeout_failsAndLeavesNoProcess() {
        // 298: a delay no other test uses, so that the check below sees this agent's process only (the process
        // agent's tests run `sleep 300` just before)
        open("delay", Map.of("agent", "heartbeat/Delay", "params.startdelay", "298", "params.mondelay", "0",
                "timeout.start", "1s"));
        assertThatThrownBy(() -> WorkerOperation.run("online", agent::online))
                .isInstanceOf(AgentException.class).hasMessage("OCF heartbeat/Delay start timed out after 1s (its process group was killed)");
        assertThat(Processes.eventually(() -> Processes.withMarker("sleep 298").isEmpty(), LONG))
                .as("the agent's `sleep 298` was killed with its tree").isTrue();
    }

    @Test
    void delay_terminatedDuringStart_returnsAtOnceAndKillsTree() {
        open("delay", Map.of("agent", "heartbeat/Delay", "params.startdelay", "299", "params.mondelay", "0"));
        WorkerOperation.Running online = WorkerOperation.start("online", agent::online);
        assertThat(Processes.eventually(() -> !Processes.withMarker("sleep 299").isEmpty(), LONG)).isTrue();
        online.worker().requestTermination();
        agent.terminate();
        assertThat(online.await(LONG)).isInstanceOf(AgentException.class);
        assertThat(Processes.eventually(() -> Processes.withMarker("sleep 299").isEmpty(), LONG)).isTrue();
    }
}
