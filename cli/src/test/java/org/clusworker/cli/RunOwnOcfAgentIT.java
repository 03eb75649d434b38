package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.testing.Admin;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: {@code clusworker run} with an OCF agent of the test's own (needs only /bin/sh) that
 * writes down every action it is asked for, so the test can check which actions a whole run makes.
 */
class RunOwnOcfAgentIT {

    private static final Duration LONG = Duration.ofSeconds(90);

    private static final String AGENT = """
            #!/bin/sh
            echo "$1" >> "$OCF_RESKEY_log"
            case "$1" in
            meta-data) cat <<'END'
            <?xml version="1.0"?>
            <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
            <resource-agent name="Recorder" version="1.0">
            <parameters>
              <parameter name="log" required="1"><content type="string"/></parameter>
            </parameters>
            <actions>
              <action name="start" timeout="20s"/>
              <action name="stop" timeout="20s"/>
              <action name="monitor" timeout="20s" depth="0"/>
              <action name="validate-all" timeout="20s"/>
            </actions>
            </resource-agent>
            END
              exit 0;;
            validate-all) exit 0;;
            start) touch "$OCF_RESKEY_log.running"; exit 0;;
            stop) rm -f "$OCF_RESKEY_log.running"; exit 0;;
            monitor) [ -e "$OCF_RESKEY_log.running" ] && exit 0; exit 7;;
            esac
            exit 3
            """;

    @TempDir
    Path dir;

    @Test
    void run_validatesOnce_startsThenMonitors_andStopsLastAtShutdown() throws Exception {
        Path agent = Files.createDirectories(dir.resolve("ocf/resource.d/test")).resolve("Recorder");
        Files.writeString(agent, AGENT);
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = dir.resolve("actions.log");
        Path file = dir.resolve("own.yaml");
        Files.writeString(file, """
                host:
                  name: own-ocf
                  stateDirectory: state
                resources:
                  - name: recorder
                    type: ocf
                    parameters:
                      agent: test/Recorder
                      ocfRoot: %s
                      params:
                        log: %s
                """.formatted(dir.resolve("ocf"), log));

        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            Admin.awaitState(admin, "recorder", ResourceState.ONLINE, host, LONG);
            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).as(host.toString()).isEqualTo(ExitCodes.OK);
        }

        List<String> actions = Files.readAllLines(log);
        assertThat(Collections.frequency(actions, "validate-all")).as(actions.toString()).isEqualTo(1);
        assertThat(Collections.frequency(actions, "start")).as(actions.toString()).isEqualTo(1);
        assertThat(actions.indexOf("validate-all")).as(actions.toString()).isLessThan(actions.indexOf("start"));
        assertThat(actions.get(actions.indexOf("start") + 1)).as(actions.toString()).isEqualTo("monitor");
        assertThat(actions.get(actions.size() - 1)).as(actions.toString()).isEqualTo("stop");
        assertThat(log.resolveSibling("actions.log.running")).doesNotExist();
    }
}
