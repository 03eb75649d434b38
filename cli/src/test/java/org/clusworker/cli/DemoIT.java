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

    @Test
    void clusterDemo_failsOverMovesEndsAndExits0_leavingNoProcessBehind() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(org.clusworker.agents.support.ProcessTree.ownSessions(), "setsid (util-linux) is not installed");
        try (HostProcess demo = HostProcess.start(dir, "demo", "--cluster")) {
            int code = demo.awaitExit(Duration.ofMinutes(3));
            String out = demo.out();
            assertThat(code).as(demo + "\n" + out + demo.err()).isEqualTo(ExitCodes.OK);
            assertThat(out).containsPattern("group web is online on node [abc] with epoch 1")
                    .containsPattern("kill -9 of node [abc]")
                    .containsPattern("group web is online on node [abc] with epoch 2, \\d+ ms after the last line")
                    .containsPattern("group web is online on node [abc] with epoch 3")
                    .contains("no line of an older epoch after a newer one began", "Demo complete.");
            String logs = out.lines().filter(l -> l.contains("logs in ")).findFirst().orElseThrow();
            String demoDir = logs.substring(logs.indexOf("logs in ") + "logs in ".length()).strip();
            // the nodes and the group's process are gone (their command lines name the directory)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.allProcesses()
                    .noneMatch(p -> p.info().commandLine().map(c -> c.contains(demoDir)).orElse(false)));
            assertThat(Path.of(demoDir)).doesNotExist();
        }
    }
}
