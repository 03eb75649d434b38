package org.clusworker.agents.ocf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AgentLog}: kept open, yet every entry lands in the file at its path, whole. */
class AgentLogTest {

    @TempDir
    Path dir;

    @Test
    void entriesAreAppended_toWhatTheFileHeld() throws Exception {
        Path file = dir.resolve("agent.log");
        Files.writeString(file, "from an earlier host\n");
        try (AgentLog log = new AgentLog(file)) {
            log.append("one\n");
            log.append("two ü\n");
        }
        assertThat(Files.readString(file)).isEqualTo("from an earlier host\none\ntwo ü\n");
    }

    @Test
    void aRotatedLog_getsNoMoreEntries_theNewFileAtThePathDoes() throws Exception {
        Path file = dir.resolve("agent.log");
        try (AgentLog log = new AgentLog(file)) {
            log.append("before the rotation\n");
            Files.move(file, dir.resolve("agent.log.1"));
            log.append("after the rotation\n");
            Files.delete(file);
            log.append("after the removal\n");
        }
        assertThat(dir.resolve("agent.log.1")).hasContent("before the rotation");
        assertThat(file).hasContent("after the removal");
    }

    @Test
    void anEntryAfterTheClose_isStillWritten() throws Exception {
        Path file = dir.resolve("agent.log");
        AgentLog log = new AgentLog(file);
        log.append("open\n");
        log.close();
        log.append("late\n");
        log.close();
        assertThat(Files.readAllLines(file)).containsExactly("open", "late");
    }

    @Test
    void entriesFromManyThreads_areNeverInterleaved() throws Exception {
        Path file = dir.resolve("agent.log");
        int threads = 4;
        int entries = 500;
        CountDownLatch go = new CountDownLatch(1);
        try (AgentLog log = new AgentLog(file)) {
            List<Thread> started = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String line = ("thread " + t + " ").repeat(40).strip() + "\n";
                started.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        for (int i = 0; i < entries; i++) {
                            log.append(line);
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            go.countDown();
            for (Thread t : started) {
                t.join();
            }
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(threads * entries);
        assertThat(lines).allSatisfy(l -> assertThat(l.split(" ")).hasSize(80).containsOnly("thread", l.split(" ")[1]));
    }
}
