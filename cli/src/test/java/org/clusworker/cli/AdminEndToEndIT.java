package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.AdminJson;
import org.clusworker.cli.testing.Admin;
import org.clusworker.cli.testing.Cli;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: the admin API of a real host, over HTTP, with and without its token. */
class AdminEndToEndIT {

    static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void adminApi_realHost_authenticatesAndSteers() throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, """
                host:
                  name: api-test
                  stateDirectory: state
                defaults:
                  looksAliveInterval: 200ms
                resources:
                  - name: sleeper
                    type: process
                    parameters:
                      command: [sleep, "306"]
                """);
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            Path state = dir.resolve("state");
            AdminClient admin = Admin.await(state, host, LONG);
            Admin.awaitState(admin, "sleeper", ResourceState.ONLINE, host, LONG);
            assertThat(Files.getPosixFilePermissions(AdminFile.in(state))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            AdminFile target = AdminFile.read(state, AdminJson.mapper());
            assertThat(target.url().getHost()).isEqualTo("127.0.0.1");
            assertThat(target.pid()).isEqualTo(host.handle().pid());

            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder offline = HttpRequest.newBuilder(target.url().resolve("v1/resources/sleeper/offline"))
                    .POST(HttpRequest.BodyPublishers.noBody());
            assertThat(http.send(offline.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThat(http.send(offline.copy().header("Authorization", "Bearer nope").build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(target.url().resolve("v1/resources/ghost/offline"))
                    .header("Authorization", "Bearer " + target.token()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            // a wrongly accepted request would show within half a second; none may
            org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(30))
                    .until(() -> admin.status("sleeper").state().equals("ONLINE"));

            HttpResponse<String> list = http.send(HttpRequest.newBuilder(target.url().resolve("v1/resources"))
                    .header("Authorization", "Bearer " + target.token()).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = AdminJson.mapper().readTree(list.body());
            assertThat(body.get("host").asText()).isEqualTo("api-test");
            assertThat(body.get("resources").get(0).get("stateCode").asInt()).isEqualTo(2);

            HttpResponse<String> ok = http.send(offline.copy().header("Authorization", "Bearer " + target.token()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(202);
            Admin.awaitState(admin, "sleeper", ResourceState.OFFLINE, host, LONG);

            Cli.Result status = Cli.run("status", "-c", file.toString());
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.OK);
            assertThat(status.out()).contains("host 'api-test'", "sleeper", "Offline");

            Cli.Result online = Cli.run("online", "sleeper", "-c", file.toString(), "--wait=60s");
            assertThat(online.exitCode()).as(online.toString()).isEqualTo(ExitCodes.OK);
            assertThat(online.out()).contains("sleeper: online requested", "sleeper: Online");

            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).isEqualTo(ExitCodes.OK);
            assertThat(AdminFile.in(state)).doesNotExist();
            Cli.Result after = Cli.run("status", "-c", file.toString());
            assertThat(after.exitCode()).isEqualTo(ExitCodes.FAILURE);
        }
    }

    @Test
    void statusWatch_printsTheTransitionsOfAnOfflineRequest_onlineWaitReturnsOnceOnline() throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, """
                host:
                  name: watch-test
                  stateDirectory: state
                resources:
                  - name: sleeper
                    type: process
                    parameters:
                      command: [sleep, "307"]
                """);
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            Path state = dir.resolve("state");
            AdminClient admin = Admin.await(state, host, LONG);
            Admin.awaitState(admin, "sleeper", ResourceState.ONLINE, host, LONG);
            try (HostProcess watch = HostProcess.start(Files.createDirectories(dir.resolve("watch")),
                    "status", "--watch", "--state-dir", state.toString())) {
                watch.awaitOutput("host 'watch-test'", LONG); // the statuses come once it is subscribed
                Cli.Result offline = Cli.run("offline", "sleeper", "--state-dir", state.toString());
                assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCodes.OK);
                watch.awaitOutput("sleeper: Online -> OfflinePending (offline requested)", LONG);
                watch.awaitOutput("sleeper: OfflinePending -> Offline", LONG);

                long start = System.nanoTime();
                Cli.Result online = Cli.run("online", "sleeper", "--wait=80s", "--state-dir", state.toString());
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(online.exitCode()).as(online.toString()).isEqualTo(ExitCodes.OK);
                assertThat(online.out()).contains("sleeper: online requested", "sleeper: Online");
                assertThat(took).as("online --wait took").isLessThan(Duration.ofSeconds(40));
                assertThat(admin.status("sleeper").state()).isEqualTo("ONLINE");
                watch.awaitOutput("sleeper: OnlinePending -> Online", LONG);

                host.signal("TERM");
                assertThat(host.awaitExit(LONG)).isEqualTo(ExitCodes.OK);
                assertThat(watch.awaitExit(LONG)).as(watch.toString()).isEqualTo(ExitCodes.OK);
                assertThat(watch.out()).contains("host watch-test shutting down",
                        "sleeper: Online -> OfflinePending (host shutting down)",
                        "host 'watch-test' ended its event stream (it is stopping)");
            }
        }
    }
}
