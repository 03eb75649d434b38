package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.StatusJson;
import org.clusworker.cli.testing.Admin;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box: {@code clusworker run FILE} as a real process keeping real processes online; killed from
 * outside, stopped by signals, checked with {@link ProcessHandle} that nothing is left behind.
 */
class RunProcessesIT {

    static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    static final String POLICY = """
            defaults:
              pendingTimeout: 30s
              looksAliveInterval: 200ms
              isAliveInterval: 1s
              restart:
                delay: 100ms
            """;

    private Path config(String resources) throws IOException {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, "host:\n  name: test\n  stateDirectory: state\n  shutdownTimeout: 1m\n" + POLICY
                + "resources:\n" + resources);
        return file;
    }

    /** One resource, {@code sleeper}: a process that runs {@code sleep SECONDS}. */
    private Path sleeperConfig(int seconds) throws IOException {
        return config("""
                  - name: sleeper
                    type: process
                    parameters:
                      command: [sleep, "%d"]
                """.formatted(seconds));
    }

    private ProcessHandle pidOf(String resource) throws IOException {
        String[] parts = Files.readString(dir.resolve("state").resolve(resource).resolve("process.pid")).strip().split(" ");
        return ProcessHandle.of(Long.parseLong(parts[0])).orElseThrow(() -> new AssertionError(resource + " pid " + parts[0] + " gone"));
    }

    private static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    @Test
    void run_processKilledFromOutside_restartedByPolicy_thenSigintStopsAll() throws Exception {
        Path file = sleeperConfig(301);
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            Admin.awaitState(admin, "sleeper", ResourceState.ONLINE, host, LONG);
            ProcessHandle first = pidOf("sleeper");
            assertThat(first.info().commandLine()).hasValueSatisfying(c -> assertThat(c).contains("sleep 301"));

            first.destroyForcibly(); // kill -9 from outside

            host.awaitOutput("sleeper: Online -> Failed", LONG);
            assertThat(HostProcess.Poll.until(() -> {
                StatusJson s = Admin.status(admin, "sleeper").orElse(null);
                return s != null && s.state().equals("ONLINE") && s.restarts() >= 1;
            }, LONG)).as(host.toString()).isTrue();
            ProcessHandle second = pidOf("sleeper");
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(second.isAlive()).isTrue();
            assertThat(host.out()).contains("sleeper: Failed -> OnlinePending");
            assertThat(admin.status("sleeper").lastFailure()).contains("killed by SIGKILL (exit 137), on its own");

            host.signal("INT");
            assertThat(host.awaitExit(LONG)).as(host.toString()).isEqualTo(ExitCodes.OK);
            assertThat(ProcessTree.running(second)).as("pid %d still runs (a zombie waiting to be reaped has exited)", second.pid()).isFalse();
            assertThat(AdminFile.in(dir.resolve("state"))).doesNotExist();
        }
    }

    @Test
    void run_sigintInheritedIgnored_saysSo_andSigtermStillStopsAll() throws Exception {
        Path file = sleeperConfig(304);
        try (HostProcess host = HostProcess.startIgnoringSigint(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            Admin.awaitState(admin, "sleeper", ResourceState.ONLINE, host, LONG);
            ProcessHandle sleeper = pidOf("sleeper");
            assertThat(host.out()).contains("SIGINT is ignored by this process (inherited from its parent, as by a background job)"
                    + " and will not stop the host; stop it with SIGTERM (kill " + host.handle().pid() + ")");
            assertThat(host.out()).doesNotContain("SIGTERM is ignored");

            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).as(host.toString()).isEqualTo(ExitCodes.OK);
            assertThat(ProcessTree.running(sleeper)).as("pid %d still runs (a zombie waiting to be reaped has exited)", sleeper.pid()).isFalse();
        }
    }

    @Test
    void run_sigterm_offlineInReverseDependencyOrder_noProcessLeftBehind() throws Exception {
        Path script = dir.resolve("family.sh");
        Files.writeString(script, "#!/bin/sh\n# a parent with two children and a grandchild\nsleep 302 &\n(sleep 303 & wait) &\nwait\n");
        Path file = config("""
                  - name: base
                    type: process
                    parameters:
                      command: [sh, %s]
                  - name: middle
                    type: process
                    dependsOn: [base]
                    parameters:
                      command: exec sleep 304
                      stopSignal: INT
                  - name: top
                    type: process
                    dependsOn: [middle]
                    parameters:
                      command: "trap '' TERM; while true; do sleep 1; done"
                      stopTimeout: 500ms
                """.formatted(script));
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            for (String r : List.of("base", "middle", "top")) {
                Admin.awaitState(admin, r, ResourceState.ONLINE, host, LONG);
            }
            assertThat(HostProcess.Poll.until(() -> {
                try {
                    return tree(pidOf("base")).size() >= 4;
                } catch (IOException e) {
                    return false;
                }
            }, LONG)).isTrue();
            List<ProcessHandle> all = new ArrayList<>();
            for (String r : List.of("base", "middle", "top")) {
                all.addAll(tree(pidOf(r)));
            }
            String onlineOrder = host.out();
            assertThat(onlineOrder.indexOf("base: OnlinePending -> Online"))
                    .isLessThan(onlineOrder.indexOf("middle: Offline -> OnlinePending"));
            assertThat(onlineOrder.indexOf("middle: OnlinePending -> Online"))
                    .isLessThan(onlineOrder.indexOf("top: Offline -> OnlinePending"));

            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).as(host.toString()).isEqualTo(ExitCodes.OK);

            String out = host.out();
            int topDown = out.indexOf("top: OfflinePending -> Offline");
            int middleDown = out.indexOf("middle: OfflinePending -> Offline");
            int baseDown = out.indexOf("base: OfflinePending -> Offline");
            assertThat(topDown).as(out).isPositive();
            assertThat(middleDown).as(out).isGreaterThan(topDown);
            assertThat(baseDown).as(out).isGreaterThan(middleDown);
            assertThat(out).contains("signal received: shutting down");
            assertThat(all).as("every process of every resource, children and grandchildren too")
                    .allSatisfy(p -> assertThat(org.clusworker.agents.support.ProcessTree.running(p))
                            .as("pid " + p.pid() + " " + p.info().commandLine() + " runs (a zombie waiting for init to reap it does not)").isFalse());
            assertThat(host.handle().descendants().count()).isZero();
        }
    }

    @Test
    void run_secondHostOnSameStateDirectory_refusedWithExit1() throws Exception {
        Path file = config("""
                  - name: sleeper
                    type: process
                    parameters:
                      command: [sleep, "305"]
                """);
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            AdminClient admin = Admin.await(dir.resolve("state"), host, LONG);
            Admin.awaitState(admin, "sleeper", ResourceState.ONLINE, host, LONG);
            var second = org.clusworker.cli.testing.Cli.run("run", file.toString(), "--view", "plain");
            assertThat(second.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(second.err()).contains("another host is running with state directory");
            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).isEqualTo(ExitCodes.OK);
        }
    }
}
