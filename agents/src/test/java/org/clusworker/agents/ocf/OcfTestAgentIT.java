package org.clusworker.agents.ocf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.testing.FakeContext;
import org.clusworker.agents.testing.WorkerOperation;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small OCF agent of the test's own (needs only /bin/sh), for exit codes and the environment. */
class OcfTestAgentIT {

    private static final String AGENT = """
            #!/bin/sh
            case "$1" in
            meta-data) cat <<'END'
            <?xml version="1.0"?>
            <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
            <resource-agent name="Probe" version="1.0">
            <parameters>
              <parameter name="mode" required="1"><content type="string"/></parameter>
              <parameter name="out"><content type="string"/></parameter>
            </parameters>
            <actions>
              <action name="start" timeout="7s"/>
              <action name="monitor" timeout="5s" depth="0"/>
              <action name="monitor" timeout="5s" depth="20"/>
            </actions>
            </resource-agent>
            END
              exit 0;;
            validate-all) exit 0;;
            start)
              echo start >> "$OCF_RESKEY_out.starts"
              env | grep -E '^(OCF_|HA_RSCTMP)' | sort > "$OCF_RESKEY_out"
              case "$OCF_RESKEY_mode" in
                ok) touch "$OCF_RESKEY_out.running"; exit 0;;
                misconfigured) echo "ocf-exit-reason:the mode is wrong" >&2; exit 6;;
                flood) while echo 0123456789abcdef; do :; done; exit 1;;
              esac;;
            monitor) echo "level=$OCF_CHECK_LEVEL" >> "$OCF_RESKEY_out"; [ -e "$OCF_RESKEY_out.running" ] && exit 0; exit 7;;
            stop) rm -f "$OCF_RESKEY_out.running"; exit 7;;
            esac
            exit 3
            """;

    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void installAgent() throws IOException {
        root = dir.resolve("ocf");
        Path agent = Files.createDirectories(root.resolve("resource.d/test")).resolve("Probe");
        Files.writeString(agent, AGENT);
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Map<String, String> props(String mode) {
        return Map.of("agent", "test/Probe", "ocfRoot", root.toString(), "params.mode", mode,
                "params.out", dir.resolve("env.txt").toString());
    }

    @Test
    void validate_requiredParameterMissing_reported() {
        var errors = new OcfType().validate(Map.of("agent", "test/Probe", "ocfRoot", root.toString()));
        assertThat(errors).containsExactly(new PropertyError("params.mode", "required by test/Probe, but missing"));
    }

    @Test
    void validate_badAgentName_reported() {
        var errors = new OcfType().validate(Map.of("agent", "../../bin/sh"));
        assertThat(errors).extracting(PropertyError::property).containsExactly("agent");
    }

    @Test
    void online_setsOcfEnvironment_withMetadataTimeoutInMillis() throws IOException {
        ResourceAgent agent = new OcfType().open(new FakeContext("probe1", "ocf", props("ok"), dir.resolve("work")));
        WorkerOperation.run("online", agent::online);
        String env = Files.readString(dir.resolve("env.txt"));
        assertThat(env).contains("OCF_ROOT=" + root, "OCF_RESOURCE_INSTANCE=probe1", "OCF_RESOURCE_TYPE=Probe",
                "OCF_RESOURCE_PROVIDER=test", "OCF_RESKEY_mode=ok", "OCF_RESKEY_CRM_meta_timeout=7000",
                "HA_RSCTMP=" + dir.resolve("work/rsctmp"));
        assertThat(agent.isAlive()).isTrue();
        assertThat(Files.readString(dir.resolve("env.txt"))).contains("level=20");
        WorkerOperation.run("offline", agent::offline); // stop exiting 7 (not running) counts as stopped
    }

    @Test
    void online_startExits6_failsWithOcfNameAndExitReason() {
        ResourceAgent agent = new OcfType().open(new FakeContext("probe2", "ocf", props("misconfigured"), dir.resolve("work")));
        assertThatThrownBy(() -> WorkerOperation.run("online", agent::online))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("exit 6 (OCF_ERR_CONFIGURED")
                .hasMessageContaining("the mode is wrong");
    }

    /** An action that writes without end is cut off past the output limit: its writes fail, and what it wrote stays bounded. */
    @Test
    void online_startThatFloodsItsOutput_isCutOff_andEndsBeforeItsTimeout() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.clusworker.agents.support.ProcessTree.nativeSpawn(),
                "the output is kept in memory, and limited, only with a native spawn");
        ResourceAgent agent = new OcfType().open(new FakeContext("flood", "ocf", props("flood"), dir.resolve("work")));
        assertThatThrownBy(() -> WorkerOperation.run("online", agent::online))
                .isInstanceOf(AgentException.class)
                .hasMessageContaining("start: exit 1")
                .hasMessageNotContaining("timed out");
        agent.close();
        Path log = dir.resolve("work/agent.log");
        assertThat(Files.size(log)).as("agent.log: the start's output, cut off at the limit").isGreaterThanOrEqualTo(OcfRunner.OUTPUT_LIMIT)
                .isLessThan(OcfRunner.OUTPUT_LIMIT + 1024);
    }

    /** The regression: a resource already running (a host restarted) was started a second time. */
    @Test
    void online_alreadyRunning_probedAndNotStartedAgain() throws IOException {
        Files.writeString(dir.resolve("env.txt.running"), "");      // what an earlier host left running
        ResourceAgent agent = new OcfType().open(new FakeContext("probe3", "ocf", props("ok"), dir.resolve("work")));
        List<String> progress = WorkerOperation.run("online", agent::online);
        assertThat(progress).anySatisfy(m -> assertThat(m).startsWith("already running (probe: monitor returned 0)"));
        assertThat(dir.resolve("env.txt.starts")).doesNotExist();
        assertThat(agent.isAlive()).isTrue();
    }

    @Test
    void online_notRunning_probedThenStarted_andTheNextOnlineDoesNotProbeAgain() throws IOException {
        ResourceAgent agent = new OcfType().open(new FakeContext("probe4", "ocf", props("ok"), dir.resolve("work")));
        assertThat(WorkerOperation.run("online", agent::online)).first().asString().startsWith("probe: OCF test/Probe monitor");
        WorkerOperation.run("offline", agent::offline);
        assertThat(WorkerOperation.run("online", agent::online)).noneMatch(m -> m.startsWith("probe"));
        assertThat(Files.readAllLines(dir.resolve("env.txt.starts"))).hasSize(2);
    }

    /**
     * The regression (chaos seed 280055): a node's JVM paused between the probe and the start lost its group
     * meanwhile, and the pending online went on to the start beside the next owner's. The lease is asked
     * right before the start: the probe runs, the start does not.
     */
    @Test
    void online_leaseNoLongerHoldsAtTheStart_startNotRun() {
        FakeContext context = new FakeContext("probe6", "ocf", props("ok"), dir.resolve("work")).leaseValid(false);
        ResourceAgent agent = new OcfType().open(context);
        assertThatThrownBy(() -> WorkerOperation.run("online", agent::online)).isInstanceOf(AgentException.class)
                .hasMessageContaining("start not run: the lease of the resource's group no longer holds on this node");
        assertThat(dir.resolve("env.txt")).content().contains("level=");        // the probe ran
        assertThat(dir.resolve("env.txt.starts")).doesNotExist();
        context.leaseValid(true);
        WorkerOperation.run("online", agent::online);
        assertThat(dir.resolve("env.txt.starts")).content().isEqualTo("start\n");
    }

    /** The regression: an OCF action left running by a crashed host went on, and the new host started the resource beside it. */
    @Test
    void online_actionLeftByACrashedHost_killedWithItsGroupBeforeAnythingElse() throws Exception {
        Process orphan = new ProcessBuilder(org.clusworker.agents.support.ProcessTree.inOwnSession(List.of("sleep", "300"))).start();
        org.clusworker.agents.support.ProcessTree.awaitOwnGroup(orphan.toHandle(), java.time.Duration.ofSeconds(5));
        try (ActionRecords crashedHost = new ActionRecords(dir.resolve("work"))) {
            crashedHost.record(orphan.toHandle(), "start");      // as the crashed host recorded it (closed: another JVM's)
        }
        ResourceAgent agent = new OcfType().open(new FakeContext("probe5", "ocf", props("ok"), dir.resolve("work")));
        List<String> progress = WorkerOperation.run("online", agent::online);
        assertThat(orphan.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(progress).first().asString().isEqualTo("killed what an earlier host left running: start (pid " + orphan.pid() + ")");
        assertThat(dir.resolve("work/actions")).isDirectoryContaining(p -> p.getFileName().toString().equals("running"));
        assertThat(dir.resolve("work/actions/running")).content().isBlank();     // every record forgotten, the probe's too
    }

    @Test
    void actionRecords_aRecordOfTheOlderLayoutWhosePidWasReused_killsNothing() throws Exception {
        Process stranger = new ProcessBuilder("sleep", "300").start();
        try {
            Path records = Files.createDirectories(dir.resolve("work/actions"));
            Files.writeString(records.resolve("start-" + stranger.pid()), stranger.pid() + " 12345 start\n");   // another start time
            assertThat(new ActionRecords(dir.resolve("work")).killLeftBehind("r")).isEmpty();
            assertThat(stranger.isAlive()).isTrue();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void exitCodes_describedAsTheSpecificationNamesThem() {
        assertThat(OcfExitCode.describe(0)).isEqualTo("exit 0 (OCF_SUCCESS: success)");
        assertThat(OcfExitCode.describe(7)).isEqualTo("exit 7 (OCF_NOT_RUNNING: not running)");
        assertThat(OcfExitCode.describe(5)).contains("OCF_ERR_INSTALLED");
        assertThat(OcfExitCode.describe(42)).contains("not an OCF exit code");
        assertThat(OcfExitCode.of(190).meansRunning()).isTrue();
        assertThat(OcfExitCode.of(7).meansRunning()).isFalse();
    }
}
