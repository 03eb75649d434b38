package org.clusworker.agents.ocf;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.agents.support.Waiter;
import org.clusworker.host.agent.AgentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the actions of one OCF agent for one resource instance, with the OCF environment, each bounded
 * by its timeout: past it the action's whole process tree is killed. The output of every action is
 * appended to the instance's {@code agent.log}; it is kept in memory while the action runs, and writes
 * past {@link #OUTPUT_LIMIT} are refused.
 *
 * <p>Thread-safe: actions may run concurrently (the host's health checks and {@link #killAll()} from
 * {@code terminate}); {@link #running} is a concurrent set.
 */
final class OcfRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OcfRunner.class);
    private static final String EXIT_REASON = "ocf-exit-reason:";
    /** The most output of one action kept (in memory): past it the agent's writes are refused. */
    static final long OUTPUT_LIMIT = 4L << 20;

    private final OcfSettings settings;
    private final String instance;
    private final Path workDirectory;
    private final java.util.function.Supplier<Map<String, String>> fencing;
    private final ActionRecords records;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final AgentLog log;
    private final AtomicLong sequence = new AtomicLong();
    /** Whether the work directory and HA_RSCTMP were made (once: each action no longer pays two stats for them). */
    private volatile boolean directoriesMade;

    OcfRunner(OcfSettings settings, String instance, Path workDirectory) {
        this(settings, instance, workDirectory, Map::of);
    }

    /**
     * @param fencing more environment read at every action: the group's fencing token
     *                ({@code CLUSWORKER_EPOCH}, {@code CLUSWORKER_GROUP}, {@code CLUSWORKER_NODE}) of a clustered resource
     */
    OcfRunner(OcfSettings settings, String instance, Path workDirectory, java.util.function.Supplier<Map<String, String>> fencing) {
        this.settings = settings;
        this.instance = instance;
        this.workDirectory = workDirectory;
        this.fencing = fencing;
        this.records = new ActionRecords(workDirectory);
        this.log = new AgentLog(workDirectory.resolve("agent.log"));
    }

    /**
     * Kills the actions an earlier host left running in this resource's work directory (found by their
     * records), before anything of the resource runs.
     *
     * @return what was killed, for the resource's progress
     */
    List<String> killLeftBehind() {
        return records.killLeftBehind(instance);
    }

    /** How one action ended. */
    record Result(String action, int exitCode, boolean timedOut, Duration timeout, String exitReason, String output) {

        OcfExitCode code() {
            return OcfExitCode.of(exitCode);
        }

        /** E.g. {@code "start: exit 1 (OCF_ERR_GENERIC: generic error): state file not writable"}. */
        String describe() {
            if (timedOut) {
                return action + " timed out after " + org.clusworker.host.time.Durations.format(timeout) + " (its process group was killed)";
            }
            String why = exitReason != null ? ": " + exitReason : output.isBlank() ? "" : ": " + lastLine(output);
            return action + ": " + OcfExitCode.describe(exitCode) + why;
        }

        private static String lastLine(String text) {
            String[] lines = text.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    /**
     * Runs {@code action} and waits for it with {@code waiter}.
     *
     * @param extraEnv more environment, e.g. {@code OCF_CHECK_LEVEL}
     * @throws Waiter.Terminated if the wait was terminated (the action's tree is killed first)
     * @throws AgentException    if the agent cannot be run at all
     */
    Result run(String action, Duration timeout, Waiter waiter, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(List.of(settings.agentPath().toString(), action))
                .directory(workDirectory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment(pb.environment(), timeout);
        pb.environment().putAll(extraEnv);
        // where the output goes when it cannot be kept in memory
        Path spill = workDirectory.resolve(".ocf-" + action + "-" + sequence.incrementAndGet() + ".out");
        ProcessTree.Captured started;
        try {
            if (!directoriesMade) {
                makeDirectories(pb);
            }
            try {
                started = ProcessTree.startCapturing(pb, spill);
            } catch (IOException e) {
                // the work directory (or HA_RSCTMP) may have been removed since: make them again, once
                makeDirectories(pb);
                started = ProcessTree.startCapturing(pb, spill);
            }
        } catch (IOException e) {
            throw new AgentException("cannot run OCF agent " + settings.agentPath() + " " + action + ": " + e.getMessage(), e);
        }
        Process p = started.process();
        try (ProcessTree.Output out = started.output()) {
            running.add(p);
            int record = records.record(p.toHandle(), action);
            boolean exited;
            try {
                ProcessHandle handle = p.toHandle();
                exited = waiter.await(() -> {
                    out.limit(OUTPUT_LIMIT);      // at every wake: a runaway writer is cut off
                    return !handle.isAlive();
                }, timeout, List.of(handle));
            } catch (RuntimeException terminated) {
                kill(p);
                throw terminated;
            } finally {
                if (p.isAlive()) {
                    kill(p);
                }
                running.remove(p);
                records.remove(record);
            }
            // a healthy monitor runs every few seconds: only its failures go to agent.log
            boolean quiet = action.equals("monitor") && exited && OcfExitCode.of(p.exitValue()).meansRunning();
            String output = readAndLog(out, action, exited ? Integer.toString(p.exitValue()) : "timed out", quiet);
            if (out.limit(OUTPUT_LIMIT)) {
                LOG.warn("{}: OCF {} {} wrote more than {} MiB; its further writes were refused", instance, settings.agentName(),
                        action, OUTPUT_LIMIT >> 20);
            }
            if (!exited) {
                LOG.warn("{}: OCF {} {} timed out after {} ms; killed its process tree", instance, settings.agentName(),
                        action, timeout.toMillis());
                return new Result(action, -1, true, timeout, null, output);
            }
            return new Result(action, p.exitValue(), false, timeout, exitReason(output), output);
        }
    }

    private void makeDirectories(ProcessBuilder pb) throws IOException {
        Files.createDirectories(workDirectory);
        Files.createDirectories(Path.of(pb.environment().get("HA_RSCTMP")));
        directoriesMade = true;
    }

    /** The pids of the actions running now. */
    List<Long> runningPids() {
        return running.stream().filter(Process::isAlive).map(Process::pid).toList();
    }

    /** The environment an action with this timeout runs with (for a stop run from outside the host). */
    Map<String, String> environmentFor(Duration timeout) {
        Map<String, String> env = new java.util.HashMap<>();
        environment(env, timeout);
        return env;
    }

    /** The agent's executable. */
    Path agentPath() {
        return settings.agentPath();
    }

    /** Kills every running action's process tree and closes the records of running actions and agent.log. */
    @Override
    public void close() {
        killAll();
        records.close();
        log.close();
    }

    /** Kills every running action's process tree. Never blocks for long. */
    void killAll() {
        for (Process p : List.copyOf(running)) {
            kill(p);
        }
    }

    /**
     * Kills an action's process group. The action is not awaited into its group when it starts (that
     * cost every action a wait on setsid): a kill waits for it instead, so that a kill in the moment
     * between the start and setsid's call still finds the group the action then makes.
     */
    private static void kill(Process p) {
        ProcessTree.awaitOwnGroup(p.toHandle(), Duration.ofSeconds(1));
        ProcessTree.killTree(p.toHandle());
    }

    private void environment(Map<String, String> env, Duration timeout) {
        env.put("OCF_ROOT", settings.ocfRoot().toString());
        env.put("OCF_RA_VERSION_MAJOR", "1");
        env.put("OCF_RA_VERSION_MINOR", "1");
        env.put("OCF_RESOURCE_INSTANCE", instance);
        env.put("OCF_RESOURCE_TYPE", settings.agent());
        env.put("OCF_RESOURCE_PROVIDER", settings.provider());
        env.put("OCF_RESKEY_CRM_meta_timeout", Long.toString(timeout.toMillis()));
        env.put("HA_RSCTMP", workDirectory.resolve("rsctmp").toString());
        env.put("HA_LOGFACILITY", "none");
        settings.params().forEach((k, v) -> env.put("OCF_RESKEY_" + k, v));
        env.putAll(settings.environment());
        env.putAll(fencing.get());
    }

    private String readAndLog(ProcessTree.Output out, String action, String exit, boolean quiet) {
        String output = "";
        try {
            output = out.read();
        } catch (IOException e) {
            LOG.warn("{}: cannot read the output of {}: {}", instance, action, e.toString());
        }
        if (!quiet) {
            String entry = Instant.now() + " " + action + " -> " + exit + System.lineSeparator()
                    + (output.isEmpty() ? "" : output.endsWith("\n") ? output : output + System.lineSeparator());
            try {
                log.append(entry);
            } catch (IOException e) {
                LOG.warn("{}: cannot keep the output of {} in agent.log: {}", instance, action, e.toString());
            }
        }
        return output;
    }

    private static String exitReason(String output) {
        String reason = null;
        for (String line : output.split("\n")) {
            int at = line.indexOf(EXIT_REASON);
            if (at >= 0) {
                reason = line.substring(at + EXIT_REASON.length()).strip();
            }
        }
        return reason;
    }
}
