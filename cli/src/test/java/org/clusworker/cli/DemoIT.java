package org.clusworker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.clusworker.cli.testing.HostProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box: {@code clusworker demo} runs its whole scenario and exits 0, leaving no process behind. */
class DemoIT {

    @TempDir
    Path dir;

    @Test
    void demo_completesAndExits0() throws Exception {
        try (HostProcess demo = HostProcess.start(dir, "demo")) {
            int code = demo.awaitExit(Duration.ofMinutes(3));
            assertThat(code).as(demo.toString()).isEqualTo(ExitCodes.OK);
            String out = demo.out();
            assertThat(out).contains(
                    "cache: OnlinePending, checkpoint",
                    "jobs: Online -> Failed",
                    "jobs: Failed -> OnlinePending",
                    "web: OnlinePending -> Online",
                    "database: OfflinePending -> Offline",
                    "Demo complete.");
            assertThat(out.indexOf("web: OfflinePending -> Offline")).isLessThan(out.indexOf("cache: OfflinePending -> Offline"));
            assertThat(out.indexOf("cache: OfflinePending -> Offline")).isLessThan(out.indexOf("database: OfflinePending -> Offline"));
            assertThat(demo.handle().descendants().count()).isZero();
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                    .map(c -> c.contains("org.clusworker.cli.demo.HelloServer") && c.contains(dir.toString())).orElse(false))
                    .count()).isZero();
        }
    }
}
