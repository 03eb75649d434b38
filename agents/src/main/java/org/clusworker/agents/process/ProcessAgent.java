package org.clusworker.agents.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusworker.agents.support.ExitStatus;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.agents.support.Waiter;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one {@code process} resource (the Windows Generic Application).
 *
 * <h2>Implementation notes</h2>
 * <p><b>Concurrency.</b> The host never runs two entry points of this agent at once, except
 * {@link #terminate()}; so {@link #process} has a single writer at a time
 * (the entry point running) and is volatile for {@code terminate()} and the exit callback, which
 * run on other threads; {@link #running} is an atomic flag so that an exit is reported once.
 *
 * <p><b>Failure.</b> A process that exits while {@link #running} (online has returned and no offline
 * or terminate has begun) is reported with {@link AgentContext#signalFailure}; the host then runs
 * {@link #isAlive()}, which is false, and applies the restart policy.
 *
 * <p><b>Stopping.</b> Offline sends the stop signal to the process and its descendants (as found just
 * before signalling), waits the stop timeout in the operation's worker (so a terminate wakes it at
 * once), then kills whatever is left with SIGKILL. Terminate kills the whole tree at once.
 */
final class ProcessAgent implements ResourceAgent {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessAgent.class);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final AgentContext context;
    private final ProcessSettings settings;
    private final Optional<HealthCheck> check;
    private final PidFile pidFile;

    /** The running process, or null. Written by online (under the host's one-entry-point rule); volatile. */
    private volatile Process process;
    /** Online has returned and no stop has begun: an exit now is a failure. */
    private final AtomicBoolean running = new AtomicBoolean();

    ProcessAgent(AgentContext context, ProcessSettings settings) {
        this.context = context;
        this.settings = settings;
        this.check = settings.check().map(c -> c instanceof HealthCheck.Command cmd && cmd.directory() == null
                ? new HealthCheck.Command(cmd.command(), workingDirectory(), cmd.environment(), cmd.inherit()) : c);
        this.pidFile = new PidFile(context.workDirectory().resolve("process.pid"));
    }

    @Override
    public void online(Operation operation) {
        running.set(false);
        Process old = process;
        if (old != null && old.isAlive()) {
            ProcessTree.killTree(old.toHandle());
        }
        pidFile.killOrphan(context.resourceName());
        operation.reportProgress("starting " + String.join(" ", settings.command()));
        Process p = start();
        process = p;
        pidFile.write(p.toHandle());
        p.onExit().thenAccept(this::exited);
        LOG.info("{}: started pid {}: {}", context.resourceName(), p.pid(), String.join(" ", settings.command()));
        if (check.isPresent()) {
            operation.reportProgress("started pid " + p.pid() + "; waiting until " + check.get() + " passes");
            awaitReady(operation, p, check.get());
            operation.reportProgress("ready: " + check.get() + " passes");
        }
        if (!p.isAlive()) {
            throw new AgentException("process pid " + p.pid() + " " + ExitStatus.describe(p.exitValue())
                    + " as soon as it started (see " + stderrFile() + ")");
        }
        running.set(true);
        if (!p.isAlive()) {
            exited(p); // it exited between the check above and now: its exit callback may have missed it
        }
    }

    private Process start() {
        ProcessBuilder pb = new ProcessBuilder(settings.command())
                .directory(workingDirectory().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(stdoutFile())))
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile(stderrFile())));
        if (!settings.inheritEnvironment()) {
            pb.environment().clear();
        }
        pb.environment().putAll(settings.environment());
        context.fencing().ifPresent(f -> pb.environment().putAll(f.environment()));    // CLUSWORKER_EPOCH, _GROUP, _NODE
        ProcessTree.notRunnable(settings.command().getFirst(), pb.environment(), workingDirectory()).ifPresent(why -> {
            throw new AgentException("cannot start " + String.join(" ", settings.command()) + ": " + why);
        });
        if (!context.leaseValid()) {
            // asked right before the spawn: a JVM paused since the online began may have lost its group
            throw new AgentException("not started: the lease of the resource's group no longer holds on this node");
        }
        try {
            Process p = ProcessTree.start(pb);
            ProcessTree.awaitOwnGroup(p.toHandle(), java.time.Duration.ofSeconds(1));
            return p;
        } catch (IOException e) {
            throw new AgentException("cannot start " + String.join(" ", settings.command()) + ": " + e.getMessage(), e);
        }
    }

    private void awaitReady(Operation operation, Process p, HealthCheck c) {
        Waiter waiter = Waiter.of(operation);
        while (!c.passes(settings.checkTimeout())) {
            if (!p.isAlive()) {
                throw new AgentException("process pid " + p.pid() + " " + ExitStatus.describe(p.exitValue())
                        + " before " + c + " passed (see " + stderrFile() + ")");
            }
            waiter.pause(settings.checkInterval(), List.of(p.toHandle()));
            if (!p.isAlive()) {
                throw new AgentException("process pid " + p.pid() + " " + ExitStatus.describe(p.exitValue())
                        + " before " + c + " passed (see " + stderrFile() + ")");
            }
        }
    }

    private void exited(Process p) {
        if (process == p && running.compareAndSet(true, false)) {
            String reason = "process pid " + p.pid() + " " + ExitStatus.describe(p.exitValue()) + ", on its own";
            LOG.warn("{}: {}", context.resourceName(), reason);
            context.signalFailure(reason);
        }
    }

    @Override
    public void offline(Operation operation) {
        running.set(false);
        Process p = process;
        if (p == null || !p.isAlive()) {
            pidFile.delete();
            return;
        }
        List<ProcessHandle> tree = ProcessTree.snapshotWithGroup(p.toHandle());
        ProcessTree.signalGroup(p.toHandle(), tree, settings.stopSignal());
        operation.reportProgress("sent SIG" + settings.stopSignal() + " to pid " + p.pid()
                + (tree.size() > 1 ? " and " + (tree.size() - 1) + " descendant(s)" : "")
                + "; waiting up to " + settings.stopTimeout().toMillis() + " ms");
        Waiter waiter = Waiter.of(operation);
        if (!waiter.await(() -> ProcessTree.allExited(tree), settings.stopTimeout(), tree)) {
            Set<ProcessHandle> alive = new LinkedHashSet<>(tree);
            alive.addAll(ProcessTree.snapshotWithGroup(p.toHandle()));
            alive.removeIf(h -> !ProcessTree.running(h));
            List<ProcessHandle> left = List.copyOf(alive);
            LOG.warn("{}: {} process(es) still alive {} ms after SIG{}; sending SIGKILL", context.resourceName(),
                    left.size(), settings.stopTimeout().toMillis(), settings.stopSignal());
            operation.reportProgress("still alive after " + settings.stopTimeout().toMillis() + " ms; sent SIGKILL");
            ProcessTree.signalGroup(p.toHandle(), left, "KILL");
            if (!waiter.await(() -> ProcessTree.allExited(left), KILL_WAIT, left)) {
                throw new AgentException("processes " + left.stream().filter(ProcessTree::running)
                        .map(h -> Long.toString(h.pid())).toList() + " survived SIGKILL");
            }
        }
        pidFile.delete();
        LOG.info("{}: pid {} stopped", context.resourceName(), p.pid());
    }

    @Override
    public void terminate() {
        running.set(false);
        Process p = process;
        if (p != null) {
            ProcessTree.killTree(p.toHandle());
        }
    }

    /**
     * {@code true} while the process runs; {@link AgentException} naming why not (killed by which signal,
     * or its exit code), so that the resource's failure says it.
     */
    @Override
    public boolean looksAlive() {
        Process p = process;
        if (p == null) {
            throw new AgentException("no process: it was never started");
        }
        if (!p.isAlive()) {
            throw new AgentException("process pid " + p.pid() + " " + ExitStatus.describe(p.exitValue()));
        }
        return true;
    }

    /** As {@link #looksAlive()}, and the configured health check passes ({@link AgentException} naming it if not). */
    @Override
    public boolean isAlive() {
        looksAlive();
        if (check.isPresent() && !check.get().passes(settings.checkTimeout())) {
            throw new AgentException("health check " + check.get() + " failed");
        }
        return true;
    }

    @Override
    public org.clusworker.host.agent.FenceActions fenceActions() {
        Process p = process;
        return p == null || !p.isAlive() ? org.clusworker.host.agent.FenceActions.NONE
                : new org.clusworker.host.agent.FenceActions(java.util.List.of(p.pid()), java.util.Optional.empty());
    }

    @Override
    public void close() {
        running.set(false);
        Process p = process;
        if (p != null && p.isAlive()) {
            LOG.warn("{}: closed while pid {} still runs; killing it", context.resourceName(), p.pid());
            ProcessTree.killTree(p.toHandle());
        }
        pidFile.delete();
    }

    private Path workingDirectory() {
        return settings.workingDirectory().orElse(context.workDirectory());
    }

    private Path stdoutFile() {
        return settings.stdout().orElse(context.workDirectory().resolve("stdout.log"));
    }

    private Path stderrFile() {
        return settings.stderr().orElse(context.workDirectory().resolve("stderr.log"));
    }

    private static File logFile(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new AgentException("cannot create the directory of log file " + file + ": " + e.getMessage(), e);
        }
        return file.toFile();
    }
}
