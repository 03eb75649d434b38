package org.clusworker.agents.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clusworker.agents.support.ProcessTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ActionRecords}: one line per running action in {@code actions/running}, found again after a crash. */
class ActionRecordsIT {

    @TempDir
    Path dir;

    private final List<Process> started = new java.util.ArrayList<>();

    @AfterEach
    void killStarted() throws InterruptedException {
        for (Process p : started) {
            ProcessTree.killTree(p.toHandle());
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process sleeper() throws Exception {
        Process p = new ProcessBuilder(ProcessTree.inOwnSession(List.of("sleep", "300"))).start();
        started.add(p);
        ProcessTree.awaitOwnGroup(p.toHandle(), java.time.Duration.ofSeconds(5));
        return p;
    }

    private List<String> lines() throws Exception {
        return Files.readAllLines(dir.resolve("actions/running"));
    }

    @Test
    void record_writesOneLineOfSixtyFourBytes_blankedWhenTheActionEnds_andTheFreeSlotIsTakenAgain() throws Exception {
        Process a = sleeper();
        Process b = sleeper();
        try (ActionRecords records = new ActionRecords(dir)) {
            int first = records.record(a.toHandle(), "start");
            int second = records.record(b.toHandle(), "monitor");
            assertThat(first).isZero();
            assertThat(second).isOne();
            assertThat(Files.size(dir.resolve("actions/running"))).isEqualTo(2L * ActionRecords.SLOT);
            assertThat(lines().get(0).strip())
                    .isEqualTo(a.pid() + " " + ProcessTree.startMillis(a.toHandle()).getAsLong() + " start");
            assertThat(lines().get(1).strip()).endsWith(" monitor");

            records.remove(first);
            assertThat(lines().get(0)).isBlank().hasSize(ActionRecords.SLOT - 1);
            assertThat(records.record(b.toHandle(), "stop")).as("the first free slot").isZero();
            assertThat(lines().get(0).strip()).endsWith(" stop");
        }
    }

    @Test
    void killLeftBehind_killsTheGroupOfARecordedActionThatStillRuns_andForgetsEveryRecord() throws Exception {
        Process orphan = sleeper();
        Process ended = sleeper();
        try (ActionRecords crashed = new ActionRecords(dir)) {
            crashed.record(ended.toHandle(), "monitor");
            crashed.record(orphan.toHandle(), "start");
        }
        ended.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        try (ActionRecords next = new ActionRecords(dir)) {
            assertThat(next.killLeftBehind("r")).containsExactly("start (pid " + orphan.pid() + ")");
        }
        assertThat(orphan.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(lines()).hasSize(2).allMatch(String::isBlank);
    }

    @Test
    void killLeftBehind_ofARecordWhosePidWasReused_killsNothing() throws Exception {
        Process stranger = sleeper();
        Files.createDirectories(dir.resolve("actions"));
        String line = String.format("%-" + (ActionRecords.SLOT - 1) + "s%n", stranger.pid() + " 12345 start");   // another start time
        Files.writeString(dir.resolve("actions/running"), line);
        try (ActionRecords next = new ActionRecords(dir)) {
            assertThat(next.killLeftBehind("r")).isEmpty();
        }
        assertThat(stranger.isAlive()).isTrue();
    }

    @Test
    void killLeftBehind_readsTheOlderLayout_aFilePerAction() throws Exception {
        Process orphan = sleeper();
        Path actions = Files.createDirectories(dir.resolve("actions"));
        Files.writeString(actions.resolve("start-" + orphan.pid()),
                orphan.pid() + " " + orphan.info().startInstant().orElseThrow().toEpochMilli() + " start\n");
        try (ActionRecords next = new ActionRecords(dir)) {
            assertThat(next.killLeftBehind("r")).containsExactly("start (pid " + orphan.pid() + ")");
        }
        assertThat(orphan.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(actions).isEmptyDirectory();
    }

    @Test
    void aDamagedRecordFile_killsNothing_andStopsNoRecord() throws Exception {
        Process stranger = sleeper();
        Files.createDirectories(dir.resolve("actions"));
        byte[] garbage = new byte[ActionRecords.SLOT * 2];
        java.util.Arrays.fill(garbage, (byte) 0xE9);      // no valid UTF-8 nor ASCII, no newline but the last
        garbage[garbage.length - 1] = '\n';
        Files.write(dir.resolve("actions/running"), garbage);
        try (ActionRecords next = new ActionRecords(dir)) {
            assertThat(next.record(stranger.toHandle(), "start")).as("recorded past the damaged lines").isEqualTo(2);
            assertThat(next.killLeftBehind("r")).isEmpty();
        }
        assertThat(stranger.isAlive()).isTrue();
    }

    /** An agent opened again while a call of the one before still runs: one file, one set of slots, nothing of ours killed. */
    @Test
    void twoRecordsOfOneDirectory_shareTheSlots_neitherOverwritesACrashedHostsRecord_norIsKilledByKillLeftBehind() throws Exception {
        Process ours = sleeper();
        Process orphan = sleeper();
        try (ActionRecords crashed = new ActionRecords(dir)) {
            crashed.record(orphan.toHandle(), "start");
        }
        try (ActionRecords before = new ActionRecords(dir); ActionRecords after = new ActionRecords(dir)) {
            assertThat(before.record(ours.toHandle(), "stop")).as("slot 0 holds the crashed host's record").isOne();
            assertThat(after.record(ours.toHandle(), "monitor")).as("shared slots: the next free one").isEqualTo(2);
            after.remove(2);

            assertThat(after.killLeftBehind("r")).containsExactly("start (pid " + orphan.pid() + ")");
            assertThat(orphan.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(ours.isAlive()).as("the action this JVM runs is spared").isTrue();
            assertThat(lines().get(0)).isBlank();
            assertThat(lines().get(1).strip()).endsWith(" stop");
            assertThat(after.record(ours.toHandle(), "monitor")).as("the crashed host's slot is free again").isZero();
        }
    }
}
