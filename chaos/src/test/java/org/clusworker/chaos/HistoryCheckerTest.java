package org.clusworker.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checker on hand-written histories: one healthy, and each invariant broken once. */
class HistoryCheckerTest {

    private static final long MS = 1_000_000L;
    /** Two groups; "m" is no-auto-start. Liveness bound 1 s (shortened for the tests), gaps of 1 s at most. */
    private static final HistoryChecker.Spec SPEC = new HistoryChecker.Spec(List.of("g", "m"), Set.of("m"),
            Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(1));

    /** Lines of one process every 50 ms from {@code fromMs} to {@code toMs} included. */
    private static List<String> beats(String group, String node, long epoch, long pid, long fromMs, long toMs) {
        List<String> l = new ArrayList<>();
        for (long t = fromMs; t <= toMs; t += 50) {
            l.add(t * MS + " " + group + " " + node + " " + epoch + " " + pid);
        }
        return l;
    }

    private static String marker(long ms, String text) {
        return ms * MS + " @ " + text;
    }

    private static List<String> history(List<List<String>> parts) {
        List<String> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
    }

    @Test
    void aHealthyHistoryHasNoViolation() {
        // a on epoch 1, killed at 2 s; b takes over with epoch 2 at 2.3 s and runs to the end
        List<String> h = history(List.of(
                List.of(marker(0, "start seed 1")),
                beats("g", "a", 1, 100, 0, 2000),
                List.of(marker(2010, "fault 1 node-kill a down 1000ms"), marker(3000, "quiet")),
                beats("g", "b", 2, 200, 2300, 6000),
                List.of(marker(6000, "end"))));
        HistoryChecker.Report r = HistoryChecker.check(SPEC, h);
        assertThat(r.violations).isEmpty();
        assertThat(r.handovers).isEqualTo(1);
        assertThat(r.failoverMs.get("node-kill")).containsExactly(290L);
    }

    @Test
    void overlappingIncarnationsBreakI1AndThePrintoutNamesTheSeed() {
        List<String> h = history(List.of(
                beats("g", "a", 1, 100, 0, 2000),
                beats("g", "b", 2, 200, 1900, 3000)));       // b starts 100 ms before a's last line
        HistoryChecker.Report r = HistoryChecker.check(SPEC, h);
        assertThat(r.violations).extracting(HistoryChecker.Violation::invariant).contains("I1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.print(4242, new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("VIOLATION I1 (seed 4242) group g").contains("--seed 4242")
                .contains("g node a epoch 1 pid 100").contains("g node b epoch 2 pid 200");
    }

    @Test
    void aHandoverWithinOneLinePeriodIsCountedNotFlagged() {
        List<String> h = history(List.of(beats("g", "a", 1, 100, 0, 1000), beats("g", "b", 2, 200, 1030, 2000)));
        HistoryChecker.Report r = HistoryChecker.check(SPEC, h);
        assertThat(r.violations).isEmpty();
        assertThat(r.unresolvedHandovers).isEqualTo(1);
    }

    @Test
    void aBindFailureBreaksI1() {
        List<String> h = history(List.of(beats("g", "a", 1, 100, 0, 1000), List.of(1100 * MS + " g b 2 200 bindfail")));
        assertThat(HistoryChecker.check(SPEC, h).violations).extracting(HistoryChecker.Violation::invariant).contains("I1");
    }

    @Test
    void anEpochRegressionBreaksI2() {
        // epoch 3 on a, then epoch 2 on b: no overlap, but the epochs go back
        List<String> h = history(List.of(beats("g", "a", 3, 100, 0, 1000), beats("g", "b", 2, 200, 1500, 2000)));
        HistoryChecker.Report r = HistoryChecker.check(SPEC, h);
        assertThat(r.violations).extracting(HistoryChecker.Violation::invariant).containsOnly("I2");
    }

    @Test
    void aLineOfAnOldEpochAfterANewOneBreaksI2EvenOnOneNode() {
        // the same node: epoch 1, epoch 2, then epoch 1 again
        List<String> h = history(List.of(beats("g", "a", 1, 100, 0, 500), beats("g", "a", 2, 101, 600, 1000),
                beats("g", "a", 1, 102, 1100, 1200)));
        HistoryChecker.Report r = HistoryChecker.check(SPEC, h);
        assertThat(r.violations).extracting(HistoryChecker.Violation::invariant).contains("I2");
    }

    @Test
    void aGroupOfflineAfterTheQuietPeriodBreaksI7() {
        List<String> h = history(List.of(beats("g", "a", 1, 100, 0, 1500), List.of(marker(1000, "quiet"), marker(5000, "end"))));
        HistoryChecker.Report r = HistoryChecker.check(SPEC, h);
        assertThat(r.violations).extracting(HistoryChecker.Violation::invariant).containsExactly("I7");
    }

    @Test
    void aMoveDuringTheQuietPeriodBreaksI7() {
        List<String> h = history(List.of(List.of(marker(0, "quiet")), beats("g", "a", 1, 100, 0, 3000),
                beats("g", "b", 2, 200, 3100, 5000), List.of(marker(5000, "end"))));
        assertThat(HistoryChecker.check(SPEC, h).violations).extracting(HistoryChecker.Violation::invariant).containsExactly("I7");
    }

    @Test
    void aNoAutoStartGroupOnlineWithoutAMoveBreaksI7() {
        List<String> h = history(List.of(beats("g", "a", 1, 100, 0, 3000), beats("m", "b", 1, 300, 0, 3000)));
        assertThat(HistoryChecker.check(SPEC, h).violations).extracting(HistoryChecker.Violation::invariant).containsExactly("I7");
    }

    @Test
    void readsTheGroupsAndTimingFromTheConfiguration(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, """
                cluster:
                  name: x
                  nodes: [a, b]
                  zookeeper: {connect: "127.0.0.1:1/x", sessionTimeout: 3s, tickTime: 200ms}
                  lease: {probeInterval: 200ms, takeoverDelay: 200ms}
                groups:
                  - name: one
                    resources: [r1]
                  - name: two
                    resources: [r2]
                    priority: no-auto-start
                resources: []
                """);
        HistoryChecker.Spec s = HistoryChecker.Spec.fromConfig(yaml);
        assertThat(s.groups()).containsExactly("one", "two");
        assertThat(s.noAutoStart()).containsExactly("two");
        assertThat(s.livenessBound()).isEqualTo(Duration.ofMillis(8400));
    }
}
