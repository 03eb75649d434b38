package org.clusworker.cluster.watchdog;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.clusworker.host.agent.FenceActions;

/**
 * A cluster node's watchdog: a small separate process that its host renews through a pipe, and that
 * stops the resources of the node's groups when the host cannot (CLUSTER.md §6.4):
 * <ul>
 *   <li>at the fence time the host last sent, if no renewal came since (the host JVM froze): it kills the
 *       recorded processes (with their descendants and process groups) and runs the recorded stop commands;</li>
 *   <li>at once when the pipe closes without a {@code release} (the host JVM died): the same; then, if
 *       everything is confirmed stopped, it closes the dead host's ZooKeeper session itself (it holds its
 *       id and password), so that another node takes over at once instead of after a session timeout.</li>
 * </ul>
 * The host and the watchdog run on one machine and read one monotonic clock ({@link System#nanoTime()}
 * is CLOCK_MONOTONIC on Linux in every JVM), so the fence time needs no translation.
 *
 * <p>Protocol: one command a line, see {@link Protocol}; the watchdog's own messages go to its standard
 * error, and its standard output carries one line, {@code fired}, when it fences before the host died.
 * Implementation notes: one reader thread records the commands under {@link #lock}; the main thread sleeps
 * until the fence time or the end of the pipe.
 */
public final class Watchdog {

    private final Object lock = new Object();
    @GuardedBy("lock")
    private long fenceAt = Long.MAX_VALUE;
    @GuardedBy("lock")
    private List<Long> processes = List.of();
    /** This node, and the groups it owns: every process whose environment carries them is theirs. */
    @GuardedBy("lock")
    private String node;
    /** The host JVM it guards ({@code CLUSWORKER_HOST} of its processes): another host with the same node name is not its. */
    @GuardedBy("lock")
    private String host;
    /** The host JVM's image, read when it said who it is: what its spawns look like before their exec. */
    @GuardedBy("lock")
    private Fence.HostImage hostImage;
    @GuardedBy("lock")
    private List<String> groups = List.of();
    /** The owned groups with their epochs and epoch versions, and where the cluster lives in ZooKeeper. */
    @GuardedBy("lock")
    private List<Protocol.Group> groupRecords = List.of();
    @GuardedBy("lock")
    private String namespace;
    @GuardedBy("lock")
    private List<FenceActions.StopCommand> stops = List.of();
    @GuardedBy("lock")
    private Protocol.Session session;
    @GuardedBy("lock")
    private boolean released;
    @GuardedBy("lock")
    private boolean ended;
    /** {@link Fence#bootTicks()} when {@link #ended} became true: no spawn of the host starts later. */
    @GuardedBy("lock")
    private long endedAt = Long.MAX_VALUE;
    /**
     * The host's marked processes seen so far, with their group ({@link Fence.Scanner}): found ahead of the
     * fence, so that a process the host does not know (an OCF agent's daemon) dies with the first kills.
     */
    private final Fence.Scanner scanner = new Fence.Scanner();

    public static void main(String[] args) throws Exception {
        Thread.ofPlatform().name("clusworker-watchdog-warmup").daemon().start(Watchdog::warmUp);
        Watchdog w = new Watchdog();
        w.raisePriority();
        System.exit(w.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))));
    }

    /**
     * Asks for real-time scheduling for every thread of this JVM (SCHED_RR, priority 1: ahead of every
     * ordinary process, behind the kernel's own real-time threads), as corosync and sbd do for theirs: on a
     * machine whose CPUs are saturated an ordinary process can wait for a CPU well past its fence time, and
     * the margin to the earliest takeover elsewhere is short. Asked once started, so that the JVM's start-up
     * competes as an ordinary process. It needs CAP_SYS_NICE (root, or a systemd unit's
     * {@code AmbientCapabilities=CAP_SYS_NICE}); without it the watchdog says so and runs as an ordinary process.
     */
    private void raisePriority() {
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            Process p = new ProcessBuilder("chrt", "--all-tasks", "--rr", "--pid", "1", pid).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                log("runs at real-time priority (SCHED_RR 1)");
            } else {
                log("runs as an ordinary process: real-time priority was refused (chrt: " + said
                        + "); a machine whose CPUs are saturated can delay its fence");
            }
        } catch (IOException e) {
            log("runs as an ordinary process: cannot run chrt to ask for real-time priority: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loads what closing the dead host's session needs (the ZooKeeper client, the records' JSON) and what the
     * first kills run ({@link Fence#warmUp}) while nothing is wrong: done only when the host dies, the loading
     * delayed every failover by ~0.4 s, and the first kills by up to 0.5 s.
     */
    static void warmUp() {
        try {
            for (String c : List.of("org.apache.zookeeper.ZooKeeper", "org.apache.zookeeper.ClientCnxn",
                    "org.apache.zookeeper.ClientCnxnSocketNIO", "org.apache.zookeeper.Op", "org.apache.zookeeper.MultiOperationRecord",
                    "org.apache.zookeeper.proto.ConnectRequest", "org.apache.zookeeper.proto.ConnectResponse")) {
                Class.forName(c, true, Watchdog.class.getClassLoader());
            }
            org.clusworker.cluster.zk.Records.encode(new org.clusworker.cluster.zk.Records.State(0, "warm-up",
                    org.clusworker.cluster.zk.Records.Phase.OFFLINE, true, 0, "warm-up", false));
            Fence.warmUp();
        } catch (ClassNotFoundException | RuntimeException | LinkageError e) {
            // only slower: the same classes are loaded when they are needed
        }
    }

    /** Runs until released (exit 0), or until it fenced (exit 3). */
    int run(BufferedReader in) throws InterruptedException {
        Thread reader = Thread.ofPlatform().name("clusworker-watchdog-reader").daemon().start(() -> read(in));
        Thread.ofPlatform().name("clusworker-watchdog-scan").daemon().start(this::scan);
        synchronized (lock) {
            while (true) {
                if (released) {
                    log("released by the host: exiting");
                    return 0;
                }
                if (ended) {
                    break;
                }
                long wait = fenceAt == Long.MAX_VALUE ? Long.MAX_VALUE : fenceAt - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(lock, Math.min(wait, TimeUnit.SECONDS.toNanos(1)));
            }
        }
        long woke = System.nanoTime();
        long due;
        boolean hostGone;
        List<Long> pids;
        List<FenceActions.StopCommand> commands;
        Protocol.Session s;
        String me;
        String hostId;
        List<String> owned;
        synchronized (lock) {
            due = fenceAt;
            hostGone = ended;
            pids = processes;
            commands = stops;
            s = session;
            me = node;
            hostId = host;
            owned = groups;
        }
        List<Long> now = new ArrayList<>(pids);
        now.addAll(scanner.of(owned));
        List<Long> leaders = Fence.killNow(now);        // first, before anything slower: the margin to the earliest takeover is short
        long killed = System.nanoTime();
        Fence.killGroups(leaders);
        if (!hostGone) {
            // then the host hears it (its standard output is the host's): it fences once, and guards nothing the
            // host starts from now on, so the host must not count on it
            System.out.println(Protocol.FIRED);
            System.out.flush();
        }
        String timing = "; the first kills of " + now.size() + " process(es) took " + (killed - woke) / 1_000_000 + " ms";
        log(hostGone ? "the host's pipe closed without a release: the host is gone; stopping its groups' resources" + timing
                : "the host did not renew its lease before the fence time: stopping its groups' resources (woke "
                        + (woke - due) / 1_000_000 + " ms after the fence time" + timing + ")");
        List<Long> all = new ArrayList<>(pids);
        all.addAll(Fence.marked(me, hostId, owned));      // a process started since the last renewal is found by its environment
        boolean stopped = Fence.kill(all, this::log) & Fence.runStops(commands, this::log);
        // a host that is gone, or frozen (SIGSTOP, a stalled machine) while a spawn of its was between its fork
        // and its exec, which a stopped parent does not hold back
        stopped &= killLateSpawns(me, hostId, owned, all);
        if (hostGone && stopped && s != null) {
            List<Protocol.Group> records;
            String ns;
            synchronized (lock) {
                records = groupRecords;
                ns = namespace;
            }
            closeSession(s, me, ns, records);
        } else if (hostGone) {
            log(stopped ? "no session to close" : "not everything could be confirmed stopped: the session is left to expire");
        }
        reader.interrupt();
        return 3;
    }

    /**
     * The processes of {@code owned} that a scan of the marks could not see yet: the host died, or froze,
     * while it spawned them, each between its fork and its exec, still in the host's image and without its
     * marks. Waits for their exec (a short moment, or as long as the machine keeps them from a CPU; those
     * still in the host's image after {@link #LATE_SPAWNS_MS} are killed), then scans the marks again and
     * kills what it finds beyond {@code killed}; a spawn cannot begin once the host is gone, so nothing
     * escapes this second look (a frozen host that goes on later was told it fired, and
     * its own lease stops what it starts).
     *
     * @return whether everything found was confirmed stopped
     */
    private boolean killLateSpawns(String me, String hostId, List<String> owned, List<Long> killed) {
        long now = Fence.bootTicks();
        Fence.HostImage image;
        long goneAt;
        synchronized (lock) {
            image = hostImage;
            goneAt = ended ? endedAt : now;     // a frozen host: it spawns nothing from the fence on
        }
        if (image != null && hostId != null) {
            // a process started after that is none of its spawns (a service manager's restart of the host, say)
            Fence.LateSpawns spawns = Fence.awaitOrKillSpawns(image, Long.parseLong(hostId), goneAt, LATE_SPAWNS_MS);
            if (!spawns.waited().isEmpty()) {
                log("waited for " + spawns.waited().size() + " process(es) the host was starting when it died or froze: " + spawns.waited());
            }
            if (!spawns.killed().isEmpty()) {
                log("killed " + spawns.killed().size() + " of them still short of their exec after " + LATE_SPAWNS_MS + " ms: " + spawns.killed());
            }
            if (!spawns.unknown().isEmpty()) {
                log("left " + spawns.unknown().size() + " process(es) still in a spawn helper or inside an exec after " + LATE_SPAWNS_MS
                        + " ms (whose they are is unknown): " + spawns.unknown());
            }
        }
        List<Long> late = new ArrayList<>(Fence.marked(me, hostId, owned));
        late.removeAll(killed);
        if (late.isEmpty()) {
            return true;
        }
        log("found " + late.size() + " process(es) of its groups that its first scan missed (started as the host died or froze): " + late);
        return Fence.kill(late, this::log);
    }

    /** How long the fence waits at most for the spawns of a host that died or froze to exec. */
    private static final long LATE_SPAWNS_MS = 5_000;

    /** The image of the host JVM {@code id} (its pid), or null. */
    private static Fence.HostImage image(String id) {
        try {
            return Fence.HostImage.of(Long.parseLong(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Every {@link Fence.Scanner#PERIOD}: the host's marked processes that started since the last look. */
    private void scan() {
        while (true) {
            String me;
            String hostId;
            synchronized (lock) {
                me = node;
                hostId = host;
            }
            scanner.update(me, hostId);
            try {
                Thread.sleep(Fence.Scanner.PERIOD.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(BufferedReader in) {
        List<Long> pids = new ArrayList<>();
        List<FenceActions.StopCommand> commands = new ArrayList<>();
        List<String> owned = new ArrayList<>();
        List<Protocol.Group> ownedGroups = new ArrayList<>();
        try {
            String line;
            while ((line = in.readLine()) != null) {
                Protocol.Command c = Protocol.parse(line);
                synchronized (lock) {
                    switch (c) {
                        case Protocol.Fence f -> fenceAt = f.at();
                        case Protocol.Session s -> session = s;
                        case Protocol.Begin b -> {
                            pids.clear();
                            commands.clear();
                            owned.clear();
                            ownedGroups.clear();
                        }
                        case Protocol.Node n -> node = n.name();
                        case Protocol.Host h -> {
                            if (hostImage == null || !h.id().equals(host)) {
                                hostImage = image(h.id());      // once: every renewal names the host again
                            }
                            host = h.id();
                        }
                        case Protocol.Group g -> {
                            owned.add(g.name());
                            ownedGroups.add(g);
                        }
                        case Protocol.Namespace ns -> namespace = ns.path();
                        case Protocol.Proc p -> pids.add(p.pid());
                        case Protocol.Stop st -> commands.add(st.command());
                        case Protocol.End e -> {
                            processes = List.copyOf(pids);
                            stops = List.copyOf(commands);
                            groups = List.copyOf(owned);
                            groupRecords = List.copyOf(ownedGroups);
                        }
                        case Protocol.Release r -> released = true;
                    }
                    lock.notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            log("cannot read the host's pipe: " + e);
        }
        long now = Fence.bootTicks();
        synchronized (lock) {
            ended = true;
            endedAt = now;
            lock.notifyAll();
        }
    }

    private void closeSession(Protocol.Session s, String me, String ns, List<Protocol.Group> records) {
        CountDownLatch connected = new CountDownLatch(1);
        try {
            ZooKeeper zk = new ZooKeeper(s.servers(), s.timeoutMs(), e -> {
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            }, s.id(), s.password());
            if (connected.await(Math.max(1_000, s.timeoutMs()), TimeUnit.MILLISECONDS)) {
                markStoppedCleanly(zk, me, ns, records);
                zk.close();
                log("closed the dead host's session 0x" + Long.toHexString(s.id()) + ": its groups are free at once");
            } else {
                zk.close();
                log("could not reach ZooKeeper to close session 0x" + Long.toHexString(s.id()) + ": it will expire by itself");
            }
        } catch (IOException | InterruptedException e) {
            log("could not close session 0x" + Long.toHexString(s.id()) + " (" + e + "): it will expire by itself");
        }
    }

    /**
     * Everything of the dead host's groups is confirmed stopped: records each group's breadcrumb as cleanly
     * stopped (checked against the epoch's version, as its owner would), so that the next owner needs no
     * takeover delay. A group another node acquired meanwhile fails the check and is left alone.
     */
    private void markStoppedCleanly(ZooKeeper zk, String me, String ns, List<Protocol.Group> records) {
        if (ns == null) {
            return;
        }
        for (Protocol.Group g : records) {
            if (g.epoch() < 0) {
                continue;
            }
            String base = (ns.isEmpty() ? "" : "/" + ns) + "/groups/" + g.name();
            byte[] state = org.clusworker.cluster.zk.Records.encode(new org.clusworker.cluster.zk.Records.State(g.epoch(), me,
                    org.clusworker.cluster.zk.Records.Phase.OFFLINE, true, System.currentTimeMillis(),
                    "stopped by the watchdog of " + me + " after its host died", false));
            try {
                zk.multi(List.of(org.apache.zookeeper.Op.check(base + "/epoch", g.epochVersion()),
                        org.apache.zookeeper.Op.setData(base + "/state", state, -1)));
                log("group " + g.name() + " (epoch " + g.epoch() + ") recorded as stopped cleanly");
            } catch (org.apache.zookeeper.KeeperException e) {
                log("group " + g.name() + " not recorded as stopped (" + e.code() + "): the next owner waits its takeover delay");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void log(String message) {
        System.err.println(java.time.Instant.now() + " clusworker watchdog (pid " + ProcessHandle.current().pid() + "): " + message);
        System.err.flush();
    }

    /** The lines the host sends, and the one it reads back. */
    static final class Protocol {

        /** The one line a watchdog writes to its standard output: it has fenced; it guards nothing from now on. */
        static final String FIRED = "fired";

        private Protocol() {
        }

        sealed interface Command permits Fence, Session, Node, Host, Namespace, Begin, Group, Proc, Stop, End, Release {
        }

        /** {@code host <id>}: the host JVM this watchdog guards (its processes carry CLUSWORKER_HOST=id). */
        record Host(String id) implements Command {
        }

        /** {@code node <name>}: the node this watchdog guards. */
        record Node(String name) implements Command {
        }

        /** {@code group <name>}: a group the node owns (its processes carry CLUSWORKER_GROUP=name). */
        record Group(String name, long epoch, int epochVersion) implements Command {
        }

        /** {@code namespace <path>}: the cluster's chroot in ZooKeeper (its groups are below it). */
        record Namespace(String path) implements Command {
        }

        /** {@code fence <nanoTime>}: the lease holds until then ({@code fence none}: no group is owned). */
        record Fence(long at) implements Command {
        }

        /** {@code session <servers> <id hex> <password base64> <timeout ms>}. */
        record Session(String servers, long id, byte[] password, int timeoutMs) implements Command {
        }

        /** {@code begin}: a new set of actions follows. */
        record Begin() implements Command {
        }

        /** {@code proc <pid>}. */
        record Proc(long pid) implements Command {
        }

        /** {@code stop <timeout ms> <base64 of NUL-separated command, then a NUL-NUL, then NAME=VALUE NUL-separated>}. */
        record Stop(FenceActions.StopCommand command) implements Command {
        }

        /** {@code end}: the set is complete. */
        record End() implements Command {
        }

        /** {@code release}: the host stopped in order; exit without killing anything. */
        record Release() implements Command {
        }

        static Command parse(String line) {
            String[] w = line.strip().split(" ");
            return switch (w[0]) {
                case "fence" -> new Fence(w[1].equals("none") ? Long.MAX_VALUE : Long.parseLong(w[1]));
                case "session" -> new Session(w[1], Long.parseUnsignedLong(w[2], 16), Base64.getDecoder().decode(w[3]), Integer.parseInt(w[4]));
                case "begin" -> new Begin();
                case "node" -> new Node(w[1]);
                case "host" -> new Host(w[1]);
                case "group" -> new Group(w[1], w.length > 2 ? Long.parseLong(w[2]) : -1, w.length > 3 ? Integer.parseInt(w[3]) : -1);
                case "namespace" -> new Namespace(w[1]);
                case "proc" -> new Proc(Long.parseLong(w[1]));
                case "stop" -> new Stop(decodeStop(Long.parseLong(w[1]), w[2]));
                case "end" -> new End();
                case "release" -> new Release();
                default -> throw new IllegalArgumentException("unknown watchdog command: " + line);
            };
        }

        static String fence(long at) {
            return at == Long.MAX_VALUE ? "fence none" : "fence " + at;
        }

        static String session(String servers, long id, byte[] password, int timeoutMs) {
            return "session " + servers + " " + Long.toHexString(id) + " " + Base64.getEncoder().encodeToString(password) + " " + timeoutMs;
        }

        static String stop(FenceActions.StopCommand c) {
            StringBuilder sb = new StringBuilder(String.join("\0", c.command())).append("\0\0");
            c.environment().forEach((k, v) -> sb.append(k).append('=').append(v).append('\0'));
            return "stop " + c.timeout().toMillis() + " " + Base64.getEncoder().encodeToString(sb.toString().getBytes(StandardCharsets.UTF_8));
        }

        private static FenceActions.StopCommand decodeStop(long timeoutMs, String b64) {
            String all = new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
            int split = all.indexOf("\0\0");
            List<String> command = List.of(all.substring(0, split).split("\0"));
            java.util.Map<String, String> env = new java.util.HashMap<>();
            for (String kv : all.substring(split + 2).split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return new FenceActions.StopCommand(command, env, Duration.ofMillis(timeoutMs));
        }
    }
}
