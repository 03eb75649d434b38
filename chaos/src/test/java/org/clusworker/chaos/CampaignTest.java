package org.clusworker.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A campaign's figures from kept run directories: complete runs only, violations counted by run. */
class CampaignTest {

    private static final long MS = 1_000_000L;

    private static final String CONFIG = """
            cluster:
              name: chaos
              nodes: [a, b]
              zookeeper: {connect: "127.0.0.1:1/x", sessionTimeout: 3s, tickTime: 200ms}
              lease: {takeoverDelay: 200ms}
            groups:
              - name: g
                resources: [w-g]
            resources:
              - name: w-g
                type: process
            """;

    /** A run: g on a (epoch 1) until a node-kill of a at 1 s, then on b (epoch 2) from 1.5 s; {@code overlap} makes a's lines run on. */
    private static List<String> run(boolean overlap, boolean complete) {
        List<String> l = new ArrayList<>();
        l.add(0 + " ~ a join - - 1a");
        l.add(1 + " ~ b join - - 2b");
        l.add(5 * MS + " ~ a lease - - 1a " + 60_000 * MS + " " + 60_500 * MS);
        l.add(6 * MS + " ~ b lease - - 2b " + 60_000 * MS + " " + 60_500 * MS);
        l.add(10 * MS + " ~ a acquire g 1 1a start start");
        l.add(20 * MS + " @ start seed 7");
        for (long t = 50; t <= (overlap ? 1_700 : 950); t += 50) {
            l.add(t * MS + " g a 1 100");
        }
        l.add(1_000 * MS + " @ fault 1 node-kill a down 1000ms");
        l.add(1_400 * MS + " ~ b acquire g 2 2b failover owner a lost");
        for (long t = 1_500; t <= 12_000; t += 50) {
            l.add(t * MS + " g b 2 200");
        }
        l.add(2_000 * MS + " @ quiet");
        if (complete) {
            l.add(12_000 * MS + " @ end");
        }
        return l;
    }

    private static void keep(Path work, long seed, List<String> history) throws Exception {
        Path d = Files.createDirectories(work.resolve("run-" + seed));
        Files.writeString(d.resolve("node-a.yaml"), CONFIG);
        Files.write(d.resolve("history"), history);
    }

    @Test
    void summarize_checksCompleteRunsOnly_andCountsTheRunsWithViolations(@TempDir Path work) throws Exception {
        keep(work, 1, run(false, true));
        keep(work, 2, run(true, true));         // a's lines go on after b's began: I1
        keep(work, 3, run(true, false));        // no end marker: under way or interrupted, not counted
        List<Campaign.Checked> runs = Campaign.check(List.of(work));
        assertThat(runs).extracting(Campaign.Checked::seed).containsExactly(1L, 2L);
        assertThat(runs.get(0).report().violations).isEmpty();
        assertThat(runs.get(1).report().violations).extracting(HistoryChecker.Violation::invariant).contains("I1");

        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int bad = Campaign.summarize(runs, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(bad).isEqualTo(1);
        assertThat(out).contains("campaign: 2 runs, 2 faults ({node-kill=2}), 1 runs with violations");
        assertThat(out).contains("campaign: seed 2: ");
        assertThat(out).containsPattern("after node-kill +2 group moves, fault to new owner's first line: p50 500 ms, p99 500 ms, max 500 ms");
    }
}
