package org.clusworker.agents.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.agents.testing.FakeContext;
import org.clusworker.agents.testing.Processes;
import org.clusworker.agents.testing.WorkerOperation;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.ResourceAgent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real processes (sh, sleep) through the agent, as the host would. */
class ProcessAgentIT {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private ResourceAgent agent;
    private FakeContext context;

    @AfterEach
    void closeAgent() {
        if (agent != null) {
            agent.terminate();
            agent.close();
        }
    }

    private ResourceAgent open(Map<String, String> properties) {
        context = new FakeContext("p", "process", properties, dir.resolve("work"));
        agent = new ProcessType().open(context);
        return agent;
    }

    private ProcessHandle process() {
        long pid = Processes.readPid(dir.resolve("work/process.pid")).orElseThrow();
        return ProcessHandle.of(pid).orElseThrow();
    }

    @Test
    void online_startsProcess_looksAliveAndWritesOutputToLog() {
        open(Map.of("command", "echo hello; exec sleep 300"));
        WorkerOperation.run("online", agent::online);
        assertThat(agent.looksAlive()).isTrue();
        assertThat(agent.isAlive()).isTrue();
        assertThat(Processes.eventually(() -> read(dir.resolve("work/stdout.log")).contains("hello"), LONG)).isTrue();
    }

    /** A node that lost its group's lease (a JVM paused since the online began) starts nothing: asked right before the spawn. */
    @Test
    void online_leaseNoLongerHolds_nothingStarted() {
        open(Map.of("command", "echo started >> " + dir.resolve("started") + "; exec sleep 300"));
        context.leaseValid(false);
        assertThatThrownBy(() -> WorkerOperation.run("online", agent::online)).isInstanceOf(AgentException.class)
                .hasMessageContaining("not started: the lease of the resource's group no longer holds on this node");
        assertThat(dir.resolve("started")).doesNotExist();
        assertThat(Processes.readPid(dir.resolve("work/process.pid"))).isEmpty();
    }

    @Test
    void online_badCommand_throwsNamingTheCommand() {
        open(Map.of("command[0]", "/no/such/program"));
        assertThatThrownBy(() -> WorkerOperation.run("online", agent::online))
                .isInstanceOf(AgentException.class).hasMessageContaining("/no/such/program");
    }

    @Test
    void killedFromOutside_signalsFailure_andTheChecksNameTheSignal() {
        open(Map.of("command[0]", "sleep", "command[1]", "300"));
        WorkerOperation.run("online", agent::online);
        long pid = process().pid();
        process().destroyForcibly();
        assertThat(Processes.eventually(() -> !context.failures().isEmpty(), LONG)).isTrue();
        assertThat(context.failures().get(0)).isEqualTo("process pid " + pid + " killed by SIGKILL (exit 137), on its own");
        assertThatThrownBy(agent::looksAlive).isInstanceOf(AgentException.class).hasMessage("process pid " + pid + " killed by SIGKILL (exit 137)");
        assertThatThrownBy(agent::isAlive).isInstanceOf(AgentException.class).hasMessage("process pid " + pid + " killed by SIGKILL (exit 137)");
    }

    @Test
    void exitsWithACode_theChecksNameIt() {
        open(Map.of("command", "sleep 0.2; exit 3"));
        WorkerOperation.run("online", agent::online);
        assertThat(Processes.eventually(() -> !context.failures().isEmpty(), LONG)).isTrue();
        assertThat(context.failures().get(0)).endsWith(" exited with code 3, on its own");
        assertThatThrownBy(agent::isAlive).isInstanceOf(AgentException.class).hasMessageEndingWith(" exited with code 3");
    }

    @Test
    void offline_processAndDescendants_allGone_noFailureSignalled() {
        open(Map.of("command", "sleep 300 & sleep 300 & wait"));
        WorkerOperation.run("online", agent::online);
        assertThat(Processes.eventually(() -> ProcessTree.snapshot(process()).size() == 3, LONG)).isTrue();
        List<ProcessHandle> tree = ProcessTree.snapshot(process());
        WorkerOperation.run("offline", agent::offline);
        assertThat(Processes.eventually(() -> ProcessTree.allExited(tree), LONG)).isTrue();
        assertThatThrownBy(agent::looksAlive).isInstanceOf(AgentException.class).hasMessageContaining("killed by SIGTERM");
        assertThat(context.failures()).isEmpty();
    }

    @Test
    void offline_processIgnoresTerm_killedAfterStopTimeout() {
        open(Map.of("command", "trap '' TERM; echo trapped; while true; do sleep 1; done", "stopTimeout", "500ms"));
        WorkerOperation.run("online", agent::online);
        assertThat(Processes.eventually(() -> read(dir.resolve("work/stdout.log")).contains("trapped"), LONG)).isTrue();
        ProcessHandle p = process();
        List<String> progress = WorkerOperation.run("offline", agent::offline);
        assertThat(ProcessTree.running(p)).as("pid %d still runs (a zombie waiting to be reaped has exited)", p.pid()).isFalse();
        assertThat(progress).anyMatch(m -> m.contains("SIGKILL"));
    }

    @Test
    void offline_customSignal_deliveredThroughKill() {
        open(Map.of("command", "trap 'echo got-usr1; exit 0' USR1; while true; do sleep 0.1; done",
                "stopSignal", "USR1"));
        WorkerOperation.run("online", agent::online);
        ProcessHandle p = process();
        WorkerOperation.run("offline", agent::offline);
        assertThat(ProcessTree.running(p)).as("pid %d still runs (a zombie waiting to be reaped has exited)", p.pid()).isFalse();
        assertThat(Processes.eventually(() -> read(dir.resolve("work/stdout.log")).contains("got-usr1"), LONG)).isTrue();
    }

    @Test
    void terminate_duringOffline_wakesItAtOnceAndKills() {
        open(Map.of("command", "trap '' TERM; while true; do sleep 1; done", "stopTimeout", "1h"));
        WorkerOperation.run("online", agent::online);
        ProcessHandle p = process();
        WorkerOperation.Running offline = WorkerOperation.start("offline", agent::offline);
        assertThat(Processes.eventually(() -> !offline.progress().isEmpty(), LONG)).isTrue();
        offline.worker().requestTermination();
        agent.terminate();
        // it ends long before its stop timeout (1h) of a process that ignores SIGTERM: as terminated, or, when
        // the kill's exit reaches its wait before the termination does, as a stop that found the process gone
        Throwable ended = offline.await(LONG);
        assertThat(ended == null || ended instanceof AgentException).as("ended with %s", ended).isTrue();
        assertThat(Processes.eventually(() -> !p.isAlive(), LONG)).isTrue();
    }

    @Test
    void online_tcpCheck_pendingUntilPortOpens() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // no listener of our own: a tiny java server would be slow to start; nc may be missing; so the
        // check target is a socket this test opens after the online has begun waiting
        open(Map.of("command", "exec sleep 300", "check.tcp", Integer.toString(port), "check.interval", "50ms"));
        WorkerOperation.Running online = WorkerOperation.start("online", agent::online);
        assertThat(Processes.eventually(() -> online.progress().stream().anyMatch(m -> m.contains("waiting until tcp")), LONG)).isTrue();
        assertThat(online.worker().isExited()).isFalse();
        try (ServerSocket listener = new ServerSocket(port)) {
            assertThat(online.await(LONG)).isNull();
            assertThat(online.progress()).last().asString().startsWith("ready");
            assertThat(agent.isAlive()).isTrue();
        }
        assertThatThrownBy(agent::isAlive).isInstanceOf(AgentException.class).hasMessage("health check tcp 127.0.0.1:" + port + " failed");
        assertThat(agent.looksAlive()).isTrue();
    }

    @Test
    void online_processExitsBeforeReady_failsWithExitCode() {
        open(Map.of("command", "exit 3", "check.command", "false", "check.interval", "50ms"));
        assertThatThrownBy(() -> WorkerOperation.run("online", agent::online))
                .isInstanceOf(AgentException.class).hasMessageContaining("exited with code 3");
    }

    @Test
    void online_terminatedWhileWaitingForReadiness_returnsPromptly() {
        open(Map.of("command", "exec sleep 300", "check.command", "false", "check.interval", "1h"));
        WorkerOperation.Running online = WorkerOperation.start("online", agent::online);
        assertThat(Processes.eventually(() -> online.progress().size() >= 2, LONG)).isTrue();
        online.worker().requestTermination();
        agent.terminate();
        assertThat(online.await(LONG)).isInstanceOf(AgentException.class);
    }

    @Test
    void online_orphanFromEarlierHost_killedFirst() throws IOException {
        Process orphan = new ProcessBuilder("sleep", "300").start();
        Files.createDirectories(dir.resolve("work"));
        Files.writeString(dir.resolve("work/process.pid"), orphan.pid() + " "
                + orphan.info().startInstant().orElseThrow().toEpochMilli() + "\n");
        open(Map.of("command", "exec sleep 300"));
        WorkerOperation.run("online", agent::online);
        assertThat(Processes.eventually(() -> !orphan.isAlive(), LONG)).isTrue();
        assertThat(agent.looksAlive()).isTrue();
    }

    @Test
    void online_environmentAndWorkingDirectory_passedToProcess() throws IOException {
        Path wd = Files.createDirectories(dir.resolve("wd"));
        Map<String, String> props = new HashMap<>();
        props.put("command", "echo \"$GREETING $(pwd)\"; exec sleep 300");
        props.put("environment.GREETING", "hi");
        props.put("workingDirectory", wd.toString());
        open(props);
        WorkerOperation.run("online", agent::online);
        assertThat(Processes.eventually(() -> read(dir.resolve("work/stdout.log")).contains("hi " + wd), LONG)).isTrue();
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
