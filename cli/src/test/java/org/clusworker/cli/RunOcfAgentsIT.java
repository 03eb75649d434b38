package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.testing.Admin;
import org.clusworker.cli.testing.Cli;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: {@code clusworker run} with the real Dummy and Delay agents of Debian's
 * {@code resource-agents}, steered with {@code clusworker offline/online}. Skipped, saying so, where
 * the package is not installed (CI installs it).
 */
class RunOcfAgentsIT {

    /** The OCF root the test looks in ({@code -Dclusworker.test.ocfRoot=...} shows the skip where the agents are installed). */
    static final Path DUMMY = Path.of(System.getProperty("clusworker.test.ocfRoot", "/usr/lib/ocf"), "resource.d/heartbeat/Dummy");
    static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** Each test skips visibly, with the reason, when the agents are missing (a class-level skip counted none). */
    @BeforeEach
    void requireResourceAgents() {
        assumeTrue(Files.isExecutable(DUMMY),
                "OCF tests skipped: " + DUMMY + " is absent (install Debian's resource-agents package to run them)");
    }

    @Test
    void run_dummyAndDelay_onlineOfflineByCommand_thenOrderlyShutdown() throws Exception {
        Path state = dir.resolve("dummy.state");
        Path file = dir.resolve("ocf.yaml");
        Files.writeString(file, """
                host:
                  name: ocf-test
                  stateDirectory: state
                defaults:
                  looksAliveInterval: 500ms
                  isAliveInterval: 2s
                  restart:
                    delay: 100ms
                resources:
                  - name: dummy
                    type: ocf
                    parameters:
                      agent: heartbeat/Dummy
                      params:
                        state: %s
                  - name: delay
                    type: ocf
                    dependsOn: [dummy]
                    parameters:
                      agent: heartbeat/Delay
                      params:
                        startdelay: 1
                        stopdelay: 1
                        mondelay: 0
                """.formatted(state));
        Cli.Result valid = Cli.run("validate", file.toString());
        assertThat(valid.exitCode()).as(valid.toString()).isEqualTo(ExitCodes.OK);
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            Admin.awaitState(admin, "dummy", ResourceState.ONLINE, host, LONG);
            Admin.awaitState(admin, "delay", ResourceState.ONLINE, host, LONG);
            assertThat(state).exists();
            assertThat(host.out()).contains("delay: OnlinePending, checkpoint");

            String stateDir = dir.resolve("state").toString();
            Cli.Result offline = Cli.run("offline", "dummy", "--state-dir", stateDir, "--wait=60s");
            assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCodes.OK);
            assertThat(state).doesNotExist();
            Admin.awaitState(admin, "delay", ResourceState.OFFLINE, host, LONG);
            String out = host.out();
            assertThat(out.indexOf("delay: OfflinePending -> Offline")).as(out)
                    .isLessThan(out.indexOf("dummy: OfflinePending -> Offline"));

            Cli.Result online = Cli.run("online", "dummy", "--state-dir", stateDir, "--wait=60s");
            assertThat(online.exitCode()).as(online.toString()).isEqualTo(ExitCodes.OK);
            Admin.awaitState(admin, "delay", ResourceState.ONLINE, host, LONG);

            // the agent's state vanishes behind its back: monitor says "not running", the host restarts it
            Files.delete(state);
            assertThat(HostProcess.Poll.until(() -> Admin.status(admin, "dummy")
                    .map(s -> s.restarts() >= 1 && s.state().equals("ONLINE")).orElse(false), LONG)).as(host.toString()).isTrue();
            assertThat(state).exists();

            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).as(host.toString()).isEqualTo(ExitCodes.OK);
            assertThat(state).doesNotExist();
            assertThat(dir.resolve("state/delay/agent.log")).content().contains("start -> 0", "stop -> 0");
        }
    }

    @Test
    void validate_ocfProblems_reportedWithLines() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                resources:
                  - name: d
                    type: ocf
                    parameters:
                      agent: heartbeat/Delay
                      params:
                        startdelay: soon
                  - name: x
                    type: ocf
                    parameters:
                      agent: heartbeat/Dummy
                      params:
                        colour: blue
                  - name: y
                    type: ocf
                    parameters:
                      agent: heartbeat/NoSuchAgent
                """);
        Cli.Result r = Cli.run("validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(
                file + ":5:14: resources[d].parameters.agent: heartbeat/Delay validate-all failed: validate-all: exit 2 (OCF_ERR_ARGS",
                file + ":13:17: resources[x].parameters.params.colour: unknown parameter of heartbeat/Dummy (known: state, fake)",
                file + ":17:14: resources[y].parameters.agent: no executable OCF agent at /usr/lib/ocf/resource.d/heartbeat/NoSuchAgent");
    }

    /**
     * The regression: OCF actions orphaned by a host crash kept running, and a new host reported the
     * resource Online while the old start still ran. Host 1 is killed (SIGKILL) in the middle of a slow
     * Delay start; host 2, on the same state directory, kills the orphaned start (its process group) before
     * anything else, and reports Online only once its own start has run.
     */
    @Test
    void hostKilledDuringASlowStart_theNextHostKillsTheOrphanedStartFirst() throws Exception {
        Path file = dir.resolve("slow.yaml");
        Files.writeString(file, """
                host:
                  name: ocf-crash
                  stateDirectory: state
                defaults:
                  pendingTimeout: 2m
                resources:
                  - name: slow
                    type: ocf
                    parameters:
                      agent: heartbeat/Delay
                      timeout.start: 2m
                      params:
                        startdelay: 3
                        stopdelay: 0
                        mondelay: 0
                """);
        Path running = dir.resolve("state/slow/actions/running");       // one 64-byte line per running action
        long orphan;
        try (HostProcess first = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            assertThat(HostProcess.Poll.until(() -> recordedStart(running) > 0, LONG)).as("the start action recorded\n" + first).isTrue();
            orphan = recordedStart(running);
            first.handle().destroyForcibly();          // kill -9 of the host in the middle of the start
            assertThat(first.awaitExit(LONG)).isNotZero();
        }
        assertThat(ProcessHandle.of(orphan).map(org.clusworker.agents.support.ProcessTree::running)).as("the orphaned start still runs")
                .contains(true);
        Files.deleteIfExists(dir.resolve("state/admin.json"));       // the killed host could not remove it
        try (HostProcess second = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), second, LONG);
            assertThat(HostProcess.Poll.until(() -> ProcessHandle.of(orphan).map(org.clusworker.agents.support.ProcessTree::running)
                    .orElse(false) == false, LONG)).as("the orphaned start killed").isTrue();
            Admin.awaitState(admin, "slow", ResourceState.ONLINE, second, LONG);
            second.signal("TERM");
            assertThat(second.awaitExit(LONG)).isZero();
        }
    }

    /** The pid of the {@code start} recorded in {@code actions/running} ("PID START ACTION" lines), or -1. */
    private static long recordedStart(Path running) {
        try {
            return Files.readAllLines(running).stream().map(String::strip).filter(l -> l.endsWith(" start"))
                    .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))).findFirst().orElse(-1);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
