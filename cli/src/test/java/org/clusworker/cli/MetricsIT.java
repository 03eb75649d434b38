package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.clusworker.cli.admin.AdminClient;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.AdminJson;
import org.clusworker.cli.testing.Admin;
import org.clusworker.cli.testing.Cli;
import org.clusworker.cli.testing.HostProcess;
import org.clusworker.cli.testing.PrometheusText;
import org.clusworker.host.ResourceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: GET /metrics of a real host, parsed strictly, following the host's real transitions. */
class MetricsIT {

    static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void metrics_realHost_followTransitionsFailuresAndRestarts_andNeedTheToken() throws Exception {
        Path file = dir.resolve("host.yaml");
        Files.writeString(file, """
                host:
                  name: metrics-test
                  stateDirectory: state
                defaults:
                  looksAliveInterval: 200ms
                  isAliveInterval: 1s
                  restart:
                    delay: 100ms
                resources:
                  - name: sleeper
                    type: process
                    parameters:
                      command: [sleep, "308"]
                  - name: flaky
                    type: process
                    parameters:
                      command: [sh, -c, "sleep 1; exit 3"]
                """);
        try (HostProcess host = HostProcess.start(dir, "run", file.toString(), "--view", "plain")) {
            Path state = dir.resolve("state");
            AdminClient admin = Admin.await(state, host, LONG);
            Admin.awaitState(admin, "sleeper", ResourceState.ONLINE, host, LONG);
            AdminFile target = AdminFile.read(state, AdminJson.mapper());
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest.Builder get = HttpRequest.newBuilder(target.url().resolve("metrics")).GET();

            HttpResponse<String> anonymous = http.send(get.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"clusworker\"");
            assertThat(anonymous.body()).doesNotContain("clusworker_resource");
            assertThat(http.send(get.copy().header("Authorization", "Bearer nope").build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
            HttpRequest scrape = get.copy().header("Authorization", "Bearer " + target.token()).build();
            HttpResponse<String> first = http.send(scrape, HttpResponse.BodyHandlers.ofString());
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(http.send(HttpRequest.newBuilder(target.url().resolve("metrics")).POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + target.token()).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(405);

            PrometheusText p = PrometheusText.parse(first.body());
            assertThat(p.value("clusworker_resource_state", "resource", "sleeper", "state", "online")).isEqualTo(1.0);
            assertThat(p.sum("clusworker_resource_state", "resource", "sleeper")).isEqualTo(1.0);
            assertThat(p.value("clusworker_resource_transitions_total", "resource", "sleeper", "from", "online_pending", "to", "online"))
                    .isEqualTo(1.0);
            assertThat(p.value("clusworker_resource_online_duration_seconds_count", "resource", "sleeper", "outcome", "online"))
                    .isEqualTo(1.0);
            assertThat(p.value("clusworker_workers_alive")).isNotNull();
            assertThat(p.value("jvm_threads_live_threads")).isPositive();
            assertThat(p.sum("jvm_memory_used_bytes")).isPositive();
            double lastOnline = p.value("clusworker_resource_last_transition_timestamp_seconds", "resource", "sleeper");
            assertThat(lastOnline).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(120.0));

            // the failing process: its exit is a failure, and the policy restarts it
            AtomicReference<PrometheusText> now = new AtomicReference<>();
            Awaitility.await().atMost(LONG).pollInterval(Duration.ofMillis(300)).until(() -> {
                now.set(PrometheusText.parse(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body()));
                return now.get().value("clusworker_resource_restarts_total", "resource", "flaky") >= 1
                        && now.get().value("clusworker_resource_failures_total", "resource", "flaky") >= 1
                        && now.get().sum("clusworker_resource_health_check_duration_seconds_count", "resource", "sleeper") >= 1;
            });
            assertThat(now.get().sum("clusworker_resource_transitions_total", "resource", "flaky", "to", "failed")).isGreaterThanOrEqualTo(1);
            assertThat(now.get().value("clusworker_resource_failures_total", "resource", "sleeper")).isEqualTo(0.0);

            // take sleeper offline with the command line: the gauge and the counters follow
            Cli.Result offline = Cli.run("offline", "sleeper", "--state-dir", state.toString());
            assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCodes.OK);
            Admin.awaitState(admin, "sleeper", ResourceState.OFFLINE, host, LONG);
            PrometheusText after = PrometheusText.parse(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
            assertThat(after.value("clusworker_resource_state", "resource", "sleeper", "state", "offline")).isEqualTo(1.0);
            assertThat(after.value("clusworker_resource_state", "resource", "sleeper", "state", "online")).isEqualTo(0.0);
            assertThat(after.value("clusworker_resource_state_code", "resource", "sleeper")).isEqualTo(3.0);
            assertThat(after.value("clusworker_resource_transitions_total", "resource", "sleeper", "from", "online", "to", "offline_pending"))
                    .isEqualTo(1.0);
            assertThat(after.value("clusworker_resource_transitions_total", "resource", "sleeper", "from", "offline_pending", "to", "offline"))
                    .isEqualTo(1.0);
            assertThat(after.value("clusworker_resource_offline_duration_seconds_count", "resource", "sleeper", "outcome", "offline"))
                    .isEqualTo(1.0);
            assertThat(after.value("clusworker_resource_last_transition_timestamp_seconds", "resource", "sleeper"))
                    .isGreaterThanOrEqualTo(lastOnline);

            host.signal("TERM");
            assertThat(host.awaitExit(LONG)).isEqualTo(ExitCodes.OK);
        }
    }
}
