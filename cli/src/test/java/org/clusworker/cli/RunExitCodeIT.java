package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.testing.Admin;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: {@code run}'s exit code says whether every resource ended well. */
class RunExitCodeIT {

    static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void run_aResourceEndedFailed_exits3AndNamesItWithItsCause() throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, """
                host:
                  name: test
                  stateDirectory: state
                resources:
                  - name: good
                    type: process
                    parameters:
                      command: [sleep, "300"]
                  - name: broken
                    type: process
                    parameters:
                      command: [sh, -c, "exit 3"]
                    restart:
                      action: none
                """);
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            Admin.awaitState(admin, "good", ResourceState.ONLINE, host, LONG);
            Admin.awaitState(admin, "broken", ResourceState.FAILED, host, LONG);
            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).as(host.toString()).isEqualTo(ExitCodes.RESOURCES_FAILED);
            assertThat(host.out()).contains("resource broken ended Failed: ").doesNotContain("resource good ended Failed");
        }
    }
}
