package org.clusworker.agents.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.agents.testing.FakeContext;
import org.clusworker.agents.testing.Processes;
import org.clusworker.agents.testing.WorkerOperation;
import org.clusworker.host.agent.ResourceAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every process resource runs in a session and process group of its own: a terminal's signals do not
 * reach it, and a stop reaches every process of the group, a double-forked one included.
 */
class ProcessGroupIT {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ResourceAgent agent;

    @BeforeEach
    void needsSetsid() {
        assumeTrue(ProcessTree.ownSessions(), "setsid (util-linux) is not installed: resource processes cannot get sessions of their own");
    }

    @AfterEach
    void closeAgent() {
        if (agent != null) {
            agent.terminate();
            agent.close();
        }
    }

    private void open(Map<String, String> properties) {
        agent = new ProcessType().open(new FakeContext("p", "process", properties, dir.resolve("work")));
    }

    private long pid() {
        return Processes.readPid(dir.resolve("work/process.pid")).orElseThrow();
    }

    private static long sessionOf(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[3]);
    }

    @Test
    void online_processLeadsItsOwnSessionAndGroup_notTheHosts() throws Exception {
        open(Map.of("command[0]", "sleep", "command[1]", "300"));
        WorkerOperation.run("online", agent::online);
        long pid = pid();
        assertThat(ProcessTree.processGroup(pid)).contains(pid);
        assertThat(sessionOf(pid)).isEqualTo(pid);
        assertThat(ProcessTree.processGroup(ProcessHandle.current().pid())).isNotEqualTo(ProcessTree.processGroup(pid));
    }

    /** The regression: a descendant whose parent exited was no longer found, and survived stop and shutdown. */
    @Test
    void offline_doubleForkedDescendant_isStoppedToo() throws Exception {
        open(Map.of("command", "(sleep 301 &) ; exec sleep 300"));
        WorkerOperation.run("online", agent::online);
        long pid = pid();
        assertThat(Processes.eventually(() -> ProcessTree.groupMembers(pid).size() == 2, LONG)).isTrue();
        List<ProcessHandle> group = ProcessTree.groupMembers(pid);
        assertThat(group).anyMatch(p -> p.parent().map(pp -> pp.pid() != pid).orElse(true));     // the orphan
        WorkerOperation.run("offline", agent::offline);
        assertThat(group).noneMatch(ProcessTree::running);
    }

    @Test
    void terminate_doubleForkedDescendant_isKilledToo() throws Exception {
        open(Map.of("command", "(sleep 301 &) ; exec sleep 300"));
        WorkerOperation.run("online", agent::online);
        long pid = pid();
        assertThat(Processes.eventually(() -> ProcessTree.groupMembers(pid).size() == 2, LONG)).isTrue();
        List<ProcessHandle> group = ProcessTree.groupMembers(pid);
        agent.terminate();
        assertThat(Processes.eventually(() -> group.stream().noneMatch(ProcessTree::running), LONG)).isTrue();
    }

    /** The regression: offline of a shell loop took about 2 s after its processes were already dead (zombies counted as alive). */
    @Test
    void offline_shellLoop_stopsPromptly() {
        open(Map.of("command", "while true; do sleep 0.1; done"));
        WorkerOperation.run("online", agent::online);
        long started = System.nanoTime();
        WorkerOperation.run("offline", agent::offline);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).as("offline of a shell loop").isLessThan(1_000);     // coarse: it took about 2,000 ms before
    }
}
