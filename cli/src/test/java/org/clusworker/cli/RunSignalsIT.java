package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.testing.Admin;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: a terminal's Ctrl-C reaches the host alone; the host stops each resource with its own stop signal. */
class RunSignalsIT {

    static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** The regression: Ctrl-C reached every resource process too, which died out of order and ended Failed. */
    @Test
    void ctrlC_toTheHostsProcessGroup_resourceStoppedWithItsStopSignal_endsOffline() throws Exception {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        Path signals = dir.resolve("signals");
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, """
                host:
                  name: test
                  stateDirectory: state
                resources:
                  - name: trapper
                    type: process
                    parameters:
                      command: [sh, -c, 'trap "echo INT >> %1$s" INT; trap "echo USR1 >> %1$s; exit 0" USR1; while true; do sleep 0.1; done']
                      stopSignal: USR1
                """.formatted(signals));
        try (HostProcess host = HostProcess.startInOwnGroup(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            Admin.awaitState(admin, "trapper", ResourceState.ONLINE, host, LONG);
            host.signalGroup("INT");     // what a terminal sends on Ctrl-C: to the whole foreground group
            assertThat(host.awaitExit(LONG)).as(host.toString()).isEqualTo(ExitCodes.OK);
            assertThat(Files.readString(signals).strip()).as("signals the resource got").isEqualTo("USR1");
            assertThat(host.out()).contains("trapper: OfflinePending -> Offline").doesNotContain("-> Failed");
        }
    }
}
