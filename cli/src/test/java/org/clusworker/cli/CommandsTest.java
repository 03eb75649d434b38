package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.AdminJson;
import org.clusworker.cli.admin.AdminServer;
import org.clusworker.cli.admin.FakeHostControl;
import org.clusworker.cli.testing.Cli;
import org.clusworker.cli.testing.Cli.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The picocli commands in process: usage, exit codes, validate, and the admin commands against a fake host. */
class CommandsTest {

    @TempDir
    Path dir;

    @Test
    void help_listsSubcommandsAndExitCodes() {
        Result r = Cli.run("--help");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("run", "demo", "status", "online", "offline", "validate", "example", "Exit codes:",
                "2   usage or configuration error");
    }

    @Test
    void commandLine_registersTheNamedSubcommandAlone_andEveryOneForHelpUsageAndMistakes() {
        ClusworkerCommand top = new ClusworkerCommand(Map.of("HOME", dir.toString()), Terminal.none(), java.time.Clock.systemUTC());
        assertThat(Main.commandLine(top, "status", "--json").getSubcommands().keySet()).containsExactly("status");
        assertThat(Main.commandLine(top, "cluster", "move", "web").getSubcommands().keySet()).containsExactly("cluster");
        assertThat(Main.commandLine(top, "cluster", "move", "web").getSubcommands().get("cluster").getSubcommands()).containsKey("move");
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "status"}, {"statsu"}, {"--version"}}) {
            assertThat(Main.commandLine(top, args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactlyElementsOf(ClusworkerCommand.SUBCOMMANDS.keySet());
        }
        // what a registered-alone subcommand still has: the inherited --stacktrace and the project's error handling
        Result r = Cli.run("status", "--state-dir", dir.resolve("nowhere").toString(), "--stacktrace");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("at org.clusworker");      // --stacktrace, inherited from the top command
        Result typo = Cli.run("statsu");
        assertThat(typo.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err()).contains("Did you mean", "status");
    }

    @Test
    void example_runsThePendingOnlinePattern() {
        Result r = Cli.run("example");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("Online(db) returned ERROR_IO_PENDING at once",
                "web is Offline; flag=true", "WAIT_TIMEOUT (258)", "is stuck (TERMINATION_REQUESTED)");
    }

    @Test
    void version_printsProjectVersion() {
        Result r = Cli.run("--version");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("clusworker ").doesNotContain("unknown version").contains("Java ");
    }

    @Test
    void noSubcommand_usageAndExit2() {
        Result r = Cli.run();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Usage: clusworker");
    }

    @Test
    void unknownOption_exit2() {
        Result r = Cli.run("status", "--bogus");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void validate_goodFile_exit0() throws IOException {
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, """
                resources:
                  - name: sleeper
                    type: process
                    parameters:
                      command: [sleep, "1000"]
                """);
        Result r = Cli.run("validate", file.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("OK", "1 resource(s): sleeper");
    }

    @Test
    void validate_badFile_listsEveryErrorAndExits2() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                host:
                  nmae: x
                resources:
                  - name: a
                    type: process
                    pendingTimeout: 30 seconds
                  - name: b
                    type: nope
                    dependsOn: [c]
                """);
        Result r = Cli.run("validate", file.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(
                file + ":2:3: host.nmae: unknown key (did you mean 'name'?)",
                file + ":4:5: resources[a].parameters.command: required, but missing",
                file + ":6:21: resources[a].pendingTimeout: '30 seconds' (expected a duration",
                file + ":8:5: resources[b].type: unknown type 'nope'",
                file + ":9:17: resources[b].dependsOn[0]: unknown resource 'c'",
                "5 configuration errors");
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void run_badFile_listsErrorsAndExits2WithoutStarting() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "host:\n  stateDirectory: st\nresources:\n  - name: a\n    type: process\n");
        Result r = Cli.run("run", file.toString(), "--view", "plain");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(file + ":4:5: resources[a].parameters.command: required, but missing");
        assertThat(dir.resolve("st/admin.json")).doesNotExist();
    }

    @Test
    void validate_missingFile_exit2() {
        Result r = Cli.run("validate", dir.resolve("none.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("none.yaml: no such file");
    }

    @Test
    void status_noHostRunning_exit1WithAdvice() {
        Result r = Cli.run("status", "--state-dir", dir.toString());
        assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("no host is running with state directory " + dir);
    }

    @Test
    void demo_printConfig_isValidConfiguration() throws IOException {
        Result r = Cli.run("demo", "--print-config");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        Path file = dir.resolve("demo.yaml");
        Files.writeString(file, r.out());
        Result v = Cli.run("validate", file.toString());
        assertThat(v.exitCode()).as(v.toString()).isEqualTo(ExitCodes.OK);
        assertThat(v.out()).contains("database, cache, web, jobs");
    }

    @Test
    void adminCommands_againstRunningApi_showAndRequest() throws IOException {
        FakeHostControl host = new FakeHostControl();
        try (AdminServer server = AdminServer.start(InetAddress.getLoopbackAddress(), 0, host, AdminJson.mapper())) {
            new AdminFile(server.url(), server.token(), "fake", 1).write(dir, AdminJson.mapper());
            Map<String, String> env = Map.of("CLUSWORKER_STATE_DIR", dir.toString());

            Result status = Cli.run(env, "status");
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.OK);
            assertThat(status.out()).contains("host 'fake'", "RESOURCE", "db", "Online", "web", "OnlinePending",
                    "checkpoint 3: warming");

            Result json = Cli.run(env, "status", "--json");
            assertThat(json.out()).contains("\"host\" : \"fake\"", "\"stateCode\" : 129");

            Result one = Cli.run("status", "web", "--json", "-d", dir.toString());
            assertThat(one.out()).contains("\"name\" : \"web\"").doesNotContain("\"name\" : \"db\"");

            Result online = Cli.run(env, "online", "web");
            assertThat(online.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(online.out()).contains("web: online requested");
            Result offline = Cli.run(env, "offline", "db");
            assertThat(offline.exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(host.requests).containsExactly("online web", "offline db");

            Result unknown = Cli.run(env, "online", "nope");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).contains("unknown resource 'nope'");
        }
    }

    @Test
    void statusGraph_againstRunningApi_treeByDefault_dotOnRequest() throws IOException {
        FakeHostControl host = new FakeHostControl();
        try (AdminServer server = AdminServer.start(InetAddress.getLoopbackAddress(), 0, host, AdminJson.mapper())) {
            new AdminFile(server.url(), server.token(), "fake", 1).write(dir, AdminJson.mapper());
            Map<String, String> env = Map.of("CLUSWORKER_STATE_DIR", dir.toString());

            Result tree = Cli.run(env, "status", "--graph");
            assertThat(tree.exitCode()).as(tree.toString()).isEqualTo(ExitCodes.OK);
            assertThat(tree.out().lines().toList()).containsExactly("host 'fake': dependencies beneath each resource",
                    "web (OnlinePending)", "└── db (Online)");
            assertThat(Cli.run(env, "status", "--graph=tree").out()).isEqualTo(tree.out());

            Result dot = Cli.run(env, "status", "--graph=dot");
            assertThat(dot.exitCode()).as(dot.toString()).isEqualTo(ExitCodes.OK);
            assertThat(dot.out()).startsWith("digraph \"fake\" {").contains("\"web\" -> \"db\";").endsWith("}" + System.lineSeparator());

            Result one = Cli.run(env, "status", "db", "--graph");
            assertThat(one.out().lines().toList()).containsExactly("host 'fake': dependencies beneath each resource", "db (Online)");

            Result bad = Cli.run(env, "status", "--graph=svg");
            assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(bad.err()).contains("expected: tree or dot");
            Result unknown = Cli.run(env, "status", "nope", "--graph");
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).contains("unknown resource 'nope'");
        }
    }

    @Test
    void statusWatch_hostDoesNotAnswer_exit1WithMessage() throws IOException {
        AdminServer gone = AdminServer.start(InetAddress.getLoopbackAddress(), 0, new FakeHostControl(), AdminJson.mapper());
        gone.close();
        new AdminFile(gone.url(), gone.token(), "fake", 1).write(dir, AdminJson.mapper());
        Result r = Cli.run("status", "--watch", "--state-dir", dir.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.FAILURE);
        assertThat(r.err()).contains("host 'fake' does not answer at " + gone.url());
    }

    @Test
    void statusWatch_staleTokenOrUnknownResource_exit1Or2() throws IOException {
        FakeHostControl host = new FakeHostControl();
        try (AdminServer server = AdminServer.start(InetAddress.getLoopbackAddress(), 0, host, AdminJson.mapper())) {
            new AdminFile(server.url(), "stale-token", "fake", 1).write(dir, AdminJson.mapper());
            Result stale = Cli.run("status", "--watch", "--state-dir", dir.toString());
            assertThat(stale.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(stale.err()).contains("missing or wrong token");

            new AdminFile(server.url(), server.token(), "fake", 1).write(dir, AdminJson.mapper());
            Result unknown = Cli.run("status", "nope", "--watch", "--state-dir", dir.toString());
            assertThat(unknown.exitCode()).isEqualTo(ExitCodes.USAGE);
            assertThat(unknown.err()).contains("unknown resource 'nope'");
        }
    }

    @Test
    void waitForState_neverReached_exit1AfterTheTimeout() throws IOException {
        FakeHostControl host = new FakeHostControl(); // its states never change
        try (AdminServer server = AdminServer.start(InetAddress.getLoopbackAddress(), 0, host, AdminJson.mapper())) {
            new AdminFile(server.url(), server.token(), "fake", 1).write(dir, AdminJson.mapper());
            Result online = Cli.run("online", "web", "--wait=1s", "--state-dir", dir.toString());
            assertThat(online.exitCode()).as(online.toString()).isEqualTo(ExitCodes.FAILURE);
            assertThat(online.out()).contains("web: online requested");
            assertThat(online.err()).contains("web: still OnlinePending after 1 s");
            Result already = Cli.run("online", "db", "--wait=1s", "--state-dir", dir.toString());
            assertThat(already.exitCode()).as(already.toString()).isEqualTo(ExitCodes.OK);
            assertThat(already.out()).contains("db: Online");
        }
    }

    @Test
    void adminCommands_staleToken_exit1() throws IOException {
        FakeHostControl host = new FakeHostControl();
        try (AdminServer server = AdminServer.start(InetAddress.getLoopbackAddress(), 0, host, AdminJson.mapper())) {
            new AdminFile(server.url(), "stale-token", "fake", 1).write(dir, AdminJson.mapper());
            Result r = Cli.run("offline", "db", "--state-dir", dir.toString());
            assertThat(r.exitCode()).isEqualTo(ExitCodes.FAILURE);
            assertThat(r.err()).contains("missing or wrong token");
            assertThat(host.requests).isEmpty();
        }
    }

    @Test
    void stateDirFromConfig_usedByAdminCommands() throws IOException {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, "host:\n  stateDirectory: st\nresources: []\n");
        Result r = Cli.run("status", "-c", file.toString());
        assertThat(r.err()).contains("no host is running with state directory " + dir.resolve("st"));
    }
}
