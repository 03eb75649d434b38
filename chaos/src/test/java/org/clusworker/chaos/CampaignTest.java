package org.clusworker.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        List<Campaign.Run> runs = Campaign.check(List.of(work));
        assertThat(runs).extracting(Campaign.Run::seed).containsExactly(1L, 2L);
        assertThat(runs.get(0).violations()).isEmpty();
        assertThat(runs.get(1).violations()).contains("I1");

        String out = summary(runs);
        assertThat(out).contains("campaign: 2 runs, 2 faults ({node-kill=2}), 1 runs with violations");
        assertThat(out).contains("campaign: seed 2: ");
        assertThat(out).containsPattern("after node-kill +2 group moves, fault to new owner's first line: p50 500 ms, p99 500 ms, max 500 ms");
    }

    @Test
    void records_keepARunsFigures_andACampaignInPartsSumsAsOne(@TempDir Path work) throws Exception {
        keep(work.resolve("part1"), 1, run(false, true));
        keep(work.resolve("part2"), 2, run(true, true));
        Path dog = Files.createDirectories(work.resolve("part2/run-2/state-a/a")).resolve("watchdog.log");
        Files.writeString(dog, """
                2026-12-05 09:06:15.784 waited for 1 process(es) the host was starting when it died or froze: [4242]
                2026-12-05 09:06:15.901 found 1 process(es) of its groups that its first scan missed (started as the host died or froze): [4242]
                2026-12-05T19:25:55.107942472Z clusworker watchdog (pid 27224): the host did not renew its lease before the fence time: stopping its groups' resources (woke 0 ms after the fence time; the first kills of 6 process(es) took 5 ms)
                2026-12-05T19:26:55.107942472Z clusworker watchdog (pid 27682): the host's pipe closed without a release: the host is gone; stopping its groups' resources; the first kills of 2 process(es) took 48 ms
                """);
        Path records = work.resolve("campaign.jsonl");
        assertThat(Campaign.record(Campaign.check(List.of(work.resolve("part1"))), records)).isEqualTo(1);
        assertThat(Campaign.record(Campaign.check(List.of(work.resolve("part1"), work.resolve("part2"))), records))
                .as("a seed already recorded is not added twice").isEqualTo(1);

        List<Campaign.Run> read = Campaign.read(records);
        assertThat(read).extracting(Campaign.Run::seed).containsExactly(1L, 2L);
        List<Campaign.Run> checked = new ArrayList<>(Campaign.check(List.of(work.resolve("part1"))));
        checked.addAll(Campaign.check(List.of(work.resolve("part2"))));
        assertThat(read.get(1).spawnWaits()).isEqualTo(1);
        assertThat(read.get(1).lateKills()).isEqualTo(1);
        assertThat(read.get(1).where()).isEqualTo(records + ":2");
        // the records alone give the figures the run directories give
        assertThat(summary(read).replace(records + ":2", "X")).isEqualTo(summary(checked).replace(work.resolve("part2/run-2").toString(), "X"));
        assertThat(summary(read)).contains("fences that waited for a spawn of their host: 1; that found processes their first scan missed: 1");
        assertThat(read.get(1).firstKillsMs()).containsExactly(5L, 48L);
        assertThat(summary(read)).contains("the watchdogs' first kills (from their logs) in 2 fences: p50 48 ms, p99 48 ms, max 48 ms");
        // a record written before the first kills were kept reads as none
        Path older = work.resolve("older.jsonl");
        Files.writeString(older, "{\"seed\":7,\"faults\":{\"move\":20},\"failoverMs\":{},\"violations\":[],\"spawnWaits\":1}\n");
        assertThat(Campaign.read(older)).singleElement().satisfies(r -> {
            assertThat(r.firstKillsMs()).isEmpty();
            assertThat(r.spawnWaits()).isEqualTo(1);
        });
    }

    @Test
    void aLineThatIsNoRecord_isAnErrorThatNamesTheFileAndLine(@TempDir Path work) throws Exception {
        keep(work.resolve("part1"), 1, run(false, true));
        Path records = work.resolve("campaign.jsonl");
        Campaign.record(Campaign.check(List.of(work.resolve("part1"))), records);
        Files.writeString(records, "{\"seed\": 9, \"faults\": \n", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> Campaign.read(records)).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining(records + " line 2: not a run record");
    }

    private static String summary(List<Campaign.Run> runs) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Campaign.summarize(runs, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }
}
