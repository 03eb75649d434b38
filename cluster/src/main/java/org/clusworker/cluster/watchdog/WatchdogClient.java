package org.clusworker.cluster.watchdog;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clusworker.host.agent.FenceActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's side of its {@link Watchdog}: starts it as a separate process (in a session of its own, so
 * that a terminal's signals do not reach it), and renews it through its standard input. Thread-safe.
 *
 * <p>A watchdog fences once: when the fence time it was last told passes before a renewal reaches it, it
 * kills and stops what it guards, says {@code fired} on its standard output, and then only finishes that
 * work. So a watchdog is <em>spent</em>, and guards nothing from then on, as soon as it said so, or its
 * fence time passed before a renewal was sent: {@link #guards(long)} says so, and the host replaces it.
 */
public final class WatchdogClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchdogClient.class);
    private final Process process;
    private final Path log;
    @GuardedBy("this")
    private final Writer pipe;
    @GuardedBy("this")
    private boolean broken;
    /** The fence time last sent ({@link Long#MAX_VALUE}: none, it guards no group), on the caller's clock. */
    @GuardedBy("this")
    private long armedUntil = Long.MAX_VALUE;
    /** The number of the last numbered renewal sent (see {@link #renew(long, long, long, String, String, List, List)}). */
    @GuardedBy("this")
    private long lastCopy = Long.MIN_VALUE;
    /** Set once its fence time passed before a renewal was sent: it fires, or has. */
    @GuardedBy("this")
    private boolean spent;
    /** Set when the watchdog said it fired (by its reader thread). */
    private volatile boolean fired;

    private WatchdogClient(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.pipe = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("clusworker-watchdog-" + process.pid() + "-out").start(this::listen);
    }

    /** Reads what the watchdog says: {@code fired} when it has fenced; anything else goes to its log. */
    private void listen() {
        try (java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.strip().equals(Watchdog.Protocol.FIRED)) {
                    fired = true;
                    LOG.warn("The watchdog (pid {}) has fenced this node's groups: it guards nothing from now on", process.pid());
                } else {
                    Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            }
        } catch (IOException e) {
            LOG.debug("reading the watchdog's output", e);
        }
    }

    /** Whether the watchdog said it fenced (it guards nothing from then on). */
    public boolean fired() {
        return fired;
    }

    /**
     * Starts a watchdog with this JVM's java and class path; its own messages go to {@code log}.
     *
     * @throws UncheckedIOException if it cannot be started
     */
    public static WatchdogClient start(Path log) {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(List.of(java, "-Xmx24m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k",
                org.clusworker.agents.support.ProcessTree.NATIVE_ACCESS, "-cp", System.getProperty("java.class.path"), Watchdog.class.getName()));
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            LOG.info("Watchdog started: pid {} (log {})", p.pid(), log);
            return new WatchdogClient(p, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog process: " + e.getMessage(), e);
        }
    }

    /** The watchdog's pid. */
    public long pid() {
        return process.pid();
    }

    /** Whether the watchdog still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Whether this watchdog guards the host at {@code now} (the clock of the fence times given to
     * {@link #renew(long, long, String, String, List, List)}): it runs, listens, has not said it fired, and
     * its fence time has not passed. Once false, false for good.
     */
    public synchronized boolean guards(long now) {
        if (armedUntil != Long.MAX_VALUE && now - armedUntil >= 0) {
            spent = true;
        }
        return !spent && !fired && !broken && process.isAlive();
    }

    /** Tells the watchdog the host's ZooKeeper session, so that it can close it once it has stopped everything. */
    public synchronized void session(String servers, long id, byte[] password, int timeoutMs) {
        send(Watchdog.Protocol.session(servers, id, password, timeoutMs));
    }

    /**
     * Renews the watchdog: the lease holds until {@code fenceAt} ({@link System#nanoTime()}; {@link Long#MAX_VALUE}
     * when no group is owned), and these are the actions that stop the resources of the groups owned now.
     */
    public synchronized void renew(long fenceAt, List<FenceActions> actions) {
        renew(fenceAt, null, List.of(), actions);
    }

    /**
     * Renews the watchdog with the node and the groups it owns now: at the fence, besides the actions, every
     * process whose environment carries {@code CLUSWORKER_NODE=node} and one of these groups is killed (a
     * process started since the last renewal included). Send it before a group's resources start.
     */
    public synchronized void renew(long fenceAt, String node, List<String> groups, List<FenceActions> actions) {
        renew(fenceAt, node, null, groups.stream().map(g -> new OwnedGroup(g, -1, -1)).toList(), actions);
    }

    /** A group this node owns, with the epoch and epoch version it acquired it with. */
    public record OwnedGroup(String name, long epoch, int epochVersion) {
    }

    /**
     * As {@link #renew(long, String, List, List)}, with the epochs: a watchdog that has stopped everything
     * after its host died records each group as stopped cleanly (in {@code namespace}), so the next owner
     * needs no takeover delay.
     */
    public synchronized void renew(long fenceAt, String node, String namespace, List<OwnedGroup> groups, List<FenceActions> actions) {
        renew(System.nanoTime(), fenceAt, node, namespace, groups, actions);
    }

    /**
     * As {@link #renew(long, String, String, List, List)}, at {@code now} on the clock of {@code fenceAt}: a
     * renewal sent once the fence time before it has passed leaves this watchdog {@linkplain #guards(long) spent}.
     */
    public synchronized void renew(long now, long fenceAt, String node, String namespace, List<OwnedGroup> groups, List<FenceActions> actions) {
        renew(Long.MAX_VALUE, now, fenceAt, node, namespace, groups, actions);
    }

    /**
     * As {@link #renew(long, long, String, String, List, List)}, for what the caller copied as its
     * {@code copy}-th renewal: a renewal copied before the last one sent is dropped. Two threads of a node
     * renew (its prober, its decisions); without the numbers, an older copy that reached the pipe last would
     * replace what the watchdog guards with what was owned before, a group acquired in between left out.
     */
    public synchronized void renew(long copy, long now, long fenceAt, String node, String namespace, List<OwnedGroup> groups,
                                   List<FenceActions> actions) {
        if (armedUntil != Long.MAX_VALUE && now - armedUntil >= 0) {
            spent = true;
        }
        if (copy != Long.MAX_VALUE) {
            if (copy < lastCopy) {
                LOG.debug("renewal {} dropped: renewal {} was sent already", copy, lastCopy);
                return;
            }
            lastCopy = copy;
        }
        armedUntil = fenceAt;
        StringBuilder sb = new StringBuilder("begin\n");
        if (node != null) {
            sb.append("node ").append(node).append('\n');
            sb.append("host ").append(ProcessHandle.current().pid()).append('\n');      // its processes' CLUSWORKER_HOST
        }
        if (namespace != null) {
            sb.append("namespace ").append(namespace).append('\n');
        }
        groups.forEach(g -> sb.append("group ").append(g.name()).append(' ').append(g.epoch()).append(' ').append(g.epochVersion()).append('\n'));
        for (FenceActions a : actions) {
            a.processes().forEach(pid -> sb.append("proc ").append(pid).append('\n'));
            a.stop().ifPresent(s -> sb.append(Watchdog.Protocol.stop(s)).append('\n'));
        }
        sb.append("end\n").append(Watchdog.Protocol.fence(fenceAt));
        send(sb.toString());
    }

    /** The host stops in order: the watchdog exits without touching anything. */
    @Override
    public synchronized void close() {
        if (!process.isAlive()) {
            broken = true;          // it has ended already (after a fence): nothing to release
        }
        send("release");
        try {
            pipe.close();
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.debug("closing the watchdog's pipe", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lets a replaced watchdog go without waiting for it: one that has not fired exits without touching
     * anything; one that has fired finishes its stops and exits.
     */
    public synchronized void retire() {
        send("release");
        broken = true;
        try {
            pipe.close();
        } catch (IOException e) {
            LOG.debug("closing the retired watchdog's pipe", e);
        }
    }

    /** Closes the pipe without a release, as the host's death does (for tests). */
    synchronized void dropPipe() throws IOException {
        broken = true;
        pipe.close();
    }

    /** Waits for the watchdog to exit; its exit code, or -1 if it still runs after {@code millis}. */
    int awaitExit(long millis) throws InterruptedException {
        return process.waitFor(millis, java.util.concurrent.TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    @GuardedBy("this")
    private void send(String lines) {
        if (broken) {
            return;
        }
        try {
            pipe.write(lines);
            pipe.write('\n');
            pipe.flush();
        } catch (IOException e) {
            broken = true;
            LOG.error("The watchdog (pid {}) no longer listens ({}): this node's resources are not guarded against a host crash",
                    process.pid(), e.getMessage());
        }
    }
}
