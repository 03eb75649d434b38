package org.clusworker.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chaos harness (issue 12, first slice): per run, three ZooKeeper servers as a real ensemble
 * ({@code QuorumPeerMain} JVMs), three {@code clusworker run} nodes, each reaching each server through a
 * {@link TcpProxy} in this JVM, and five groups whose process resources ({@code writer.py}) append
 * heartbeats to a shared history file. Faults drawn from {@code new Random(seed)} are injected for
 * {@code --seconds}, every fault is then healed and the cluster left alone for {@code --quiet} seconds, and
 * {@link HistoryChecker} judges the history. Every process it starts is killed by its process id at the
 * end, on Ctrl-C too (a shutdown hook), its descendants included.
 *
 * <p>{@code ChaosHarness --jar cli/target/clusworker.jar [--runs N] [--seed S] [--seconds M] [--faults F]
 * [--quiet Q] [--port-base P] [--work DIR]}
 */
public final class ChaosHarness {

    static final List<String> NODES = List.of("a", "b", "c");
    static final List<String> GROUPS = List.of("pref", "possible", "anti1", "anti2", "manual");
    static final List<String> AUTO_GROUPS = List.of("pref", "possible", "anti1", "anti2");
    /** The group whose resource is an OCF agent (its stop can hang: the stuck-offline fault). */
    static final String OCF_GROUP = "anti1";
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    /** Debian's libfaketime (package {@code faketime}), for the clock-rate fault; null if it is not installed. */
    static final Path LIBFAKETIME = libfaketime();

    private static Path libfaketime() {
        try (Stream<Path> lib = Files.list(Path.of("/usr/lib"))) {
            return lib.map(d -> d.resolve("faketime/libfaketimeMT.so.1")).filter(Files::isReadable).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private final Path jar;
    private final Path workRoot;
    private final int portBase;
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    /** Every process this harness started, and every descendant of one it has seen: killed at the end. */
    private final Set<ProcessHandle> started = ConcurrentHashMap.newKeySet();
    /**
     * The run's proxies: added and cleared by the run's thread, closed and cleared by the cleanup hook's
     * {@link #killAll} too, at any moment (copy-on-write: a Ctrl-C during a run's set-up cannot end the hook
     * with a ConcurrentModificationException before its other passes).
     */
    private final List<TcpProxy> proxies = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Set by the shutdown hook: nothing starts any more. */
    private volatile boolean closing;

    ChaosHarness(Path jar, Path workRoot, int portBase) {
        this.jar = jar;
        this.workRoot = workRoot;
        this.portBase = portBase;
    }

    // ------------------------------------------------------------------ ports

    int zkClientPort(int s) {
        return portBase + 1 + s;
    }

    int zkQuorumPort(int s) {
        return portBase + 11 + s;
    }

    int zkElectionPort(int s) {
        return portBase + 21 + s;
    }

    int groupPort(int g) {
        return portBase + 31 + g;
    }

    int storePort() {
        return portBase + 40;
    }

    int proxyPort(int node, int server) {
        return portBase + 100 + node * 10 + server;
    }

    List<Integer> allPorts() {
        List<Integer> l = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            l.add(zkClientPort(s));
            l.add(zkQuorumPort(s));
            l.add(zkElectionPort(s));
            for (int n = 0; n < 3; n++) {
                l.add(proxyPort(n, s));
            }
        }
        for (int g = 0; g < GROUPS.size(); g++) {
            l.add(groupPort(g));
        }
        l.add(storePort());
        return l;
    }

    // ------------------------------------------------------------------ refusals

    /** The processes of an earlier run still alive: any whose command line names the work root. */
    List<String> leftovers() {
        List<String> found = new ArrayList<>();
        String mark = workRoot.toString() + "/";
        long me = ProcessHandle.current().pid();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == me) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
                    if (cmd.contains(mark)) {
                        found.add(name + " " + (cmd.length() > 160 ? cmd.substring(0, 160) + "..." : cmd));
                    }
                } catch (IOException gone) {
                    // ended meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    List<Integer> takenPorts() {
        List<Integer> taken = new ArrayList<>();
        for (int port : allPorts()) {
            try (ServerSocket s = new ServerSocket()) {
                // as the servers and proxies bind: a connection of the last run in TIME_WAIT does not count as taken
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                taken.add(port);
            }
        }
        return taken;
    }

    // ------------------------------------------------------------------ processes

    /**
     * One process of the cluster under test, started again with the same command after a kill. Used by the run's
     * thread only (the plan's actions and the supervision run on it).
     */
    final class Proc {
        final String name;
        final List<String> command;
        final Path log;
        Process process;
        /** Killed by a fault and not yet restarted by its heal (a node that ended by itself is not). */
        volatile boolean killed;
        /**
         * A node's clock rate: not 1, it is started under libfaketime at that rate (the clock-rate fault); each
         * start of a node whose rate is or was not 1 writes {@code clock NODE RATE WALLNS MONONS} to {@link #clocks}
         * first, so that the checker can put its events back on the real clock.
         */
        volatile double rate = 1;
        private double startedRate = 1;
        /** Where a node's clock markers go; null for a process that is not a node. */
        Path clocks;

        Proc(String name, List<String> command, Path log) {
            this.name = name;
            this.command = command;
            this.log = log;
        }

        /** Starts the process, unless it is alive (a heal may find a node that another heal restarted already) or the harness is closing. */
        void start() {
            killed = false;
            if (closing) {
                return;
            }
            if (process != null && process.isAlive()) {
                return;
            }
            try {
                ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                if (rate != 1) {
                    // libfaketime fakes CLOCK_MONOTONIC too, as the real time of day at its start, running at RATE
                    pb.environment().put("LD_PRELOAD", LIBFAKETIME.toString());
                    pb.environment().put("FAKETIME", "+0 x" + rate);
                }
                if (clocks != null && (rate != 1 || startedRate != 1)) {
                    long[] pair = clockPair();
                    marker(clocks, "clock " + name.substring(name.indexOf('-') + 1) + " " + rate + " " + pair[1] + " " + pair[0]);
                }
                startedRate = rate;
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
            started.add(process.toHandle());
        }

        long pid() {
            return process.pid();
        }

        void signal(String sig) {
            ChaosHarness.signal(sig, List.of(pid()));
        }

        /** {@code kill -9} of this process and every descendant (a node's watchdog and resources) in one command. */
        void crash() {
            killed = true;
            // frozen first, then what it started, until nothing new appears: a process spawned while the tree is
            // read would otherwise be left out, alive, which no machine crash can do
            List<Long> pids = new ArrayList<>(List.of(pid()));
            ChaosHarness.signal("STOP", pids);
            for (int round = 0; round < 10; round++) {
                java.util.Set<Long> found = new java.util.LinkedHashSet<>();
                process.toHandle().descendants().forEach(h -> {
                    started.add(h);
                    found.add(h.pid());
                });
                // and what it started that left its tree (an OCF agent's daemon): all of a machine's processes die with it
                found.addAll(startedByHost(pid()));
                found.removeAll(pids);
                if (found.isEmpty()) {
                    break;
                }
                ChaosHarness.signal("STOP", List.copyOf(found));
                pids.addAll(found);
            }
            ChaosHarness.signal("KILL", pids);
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void kill9() {
            killed = true;
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The processes whose environment names {@code hostPid} as their host ({@code CLUSWORKER_HOST}, given to every group's process). */
    static List<Long> startedByHost(long hostPid) {
        byte[] mark = ("CLUSWORKER_HOST=" + hostPid).getBytes(StandardCharsets.UTF_8);
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    byte[] env = Files.readAllBytes(p.resolve("environ"));
                    for (String e : new String(env, StandardCharsets.UTF_8).split("\0")) {
                        if (e.equals(new String(mark, StandardCharsets.UTF_8))) {
                            found.add(Long.parseLong(name));
                            break;
                        }
                    }
                } catch (IOException gone) {
                    // ended meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** {@code kill -SIG pid...}, one command: the signals arrive together. */
    static void signal(String sig, List<Long> pids) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        pids.forEach(p -> cmd.add(Long.toString(p)));
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Remembers every descendant of the processes started so far (watchdogs, resources), to kill them at the end. */
    void trackDescendants() {
        for (ProcessHandle h : List.copyOf(started)) {
            h.descendants().forEach(started::add);
        }
    }

    /** Kills every process started or seen, by process id (descendants first), then any left naming the run directory. */
    void killAll(Path runDir) {
        trackDescendants();
        List<ProcessHandle> all = new ArrayList<>(started);
        all.sort(Comparator.comparingLong(ProcessHandle::pid).reversed());
        for (ProcessHandle h : all) {
            h.destroyForcibly();
        }
        for (TcpProxy p : proxies) {
            try {
                p.close();
            } catch (RuntimeException e) {
                System.err.println("chaos: closing " + p + ": " + e.getMessage());
            }
        }
        proxies.clear();
        if (runDir != null) {
            String mark = runDir + "/";
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.toList()) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == ProcessHandle.current().pid()) {
                        continue;
                    }
                    try {
                        String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                        if (cmd.replace('\0', ' ').contains(mark)) {
                            ProcessHandle.of(Long.parseLong(name)).ifPresent(h -> {
                                h.descendants().forEach(ProcessHandle::destroyForcibly);      // a node's watchdog, too
                                h.destroyForcibly();
                            });
                        }
                    } catch (IOException gone) {
                        // ended meanwhile
                    }
                }
            } catch (IOException e) {
                System.err.println("chaos: cannot list /proc: " + e.getMessage());
            }
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("chaos: process " + h.pid() + " did not end: " + e);
            }
        }
        started.clear();
    }

    // ------------------------------------------------------------------ the run

    /** The result of one run. */
    record RunResult(long seed, HistoryChecker.Report report, Map<String, Integer> injected, Path dir) {}

    record Action(long atMs, int id, String kind, Runnable body, String marker) {}

    RunResult run(long seed, int seconds, int faults, int quiet) throws Exception {
        Path dir = workRoot.resolve("run-" + seed);
        if (Files.exists(dir)) {
            try (Stream<Path> w = Files.walk(dir)) {
                for (Path p : w.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Path history = dir.resolve("history");
        Files.createFile(history);
        try (InputStream in = ChaosHarness.class.getResourceAsStream("writer.py")) {
            Files.write(dir.resolve("writer.py"), in.readAllBytes());
        }
        Path agent = Files.createDirectories(dir.resolve("ocf/resource.d/chaos")).resolve("Writer");
        try (InputStream in = ChaosHarness.class.getResourceAsStream("Writer.ocf")) {
            Files.write(agent, in.readAllBytes());
        }
        Files.setPosixFilePermissions(agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        System.out.printf("chaos: run seed %d in %s: %d faults in %d s, then %d s of quiet%n", seed, dir, faults, seconds, quiet);
        OracleStore store = OracleStore.start(storePort(), history);
        try {
            // ZooKeeper ensemble
            List<Proc> zk = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                Path zdir = dir.resolve("zk" + (s + 1));
                Files.createDirectories(zdir.resolve("data"));
                Files.writeString(zdir.resolve("data/myid"), Integer.toString(s + 1) + "\n");
                StringBuilder cfg = new StringBuilder();
                cfg.append("tickTime=200\ninitLimit=50\nsyncLimit=5\n")
                        .append("dataDir=").append(zdir.resolve("data")).append('\n')
                        .append("clientPort=").append(zkClientPort(s)).append("\nclientPortAddress=127.0.0.1\n")
                        .append("admin.enableServer=false\n4lw.commands.whitelist=srvr,mntr,ruok\n")
                        .append("forceSync=no\npreAllocSize=1024\nmaxClientCnxns=100\n");
                for (int o = 0; o < 3; o++) {
                    cfg.append("server.").append(o + 1).append("=127.0.0.1:").append(zkQuorumPort(o)).append(':').append(zkElectionPort(o)).append('\n');
                }
                Files.writeString(zdir.resolve("zoo.cfg"), cfg);
                Proc p = new Proc("zk" + (s + 1), List.of(javaBin, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-cp", jar.toString(), "org.apache.zookeeper.server.quorum.QuorumPeerMain", zdir.resolve("zoo.cfg").toString()),
                        zdir.resolve("zk.log"));
                p.start();
                zk.add(p);
            }
            // proxies, node x server
            TcpProxy[][] proxy = new TcpProxy[3][3];
            for (int n = 0; n < 3; n++) {
                for (int s = 0; s < 3; s++) {
                    proxy[n][s] = TcpProxy.to(proxyPort(n, s), "127.0.0.1", zkClientPort(s));
                    proxies.add(proxy[n][s]);
                }
            }
            // nodes
            List<Proc> nodes = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                Path cfg = dir.resolve("node-" + NODES.get(n) + ".yaml");
                Files.writeString(cfg, config(dir, n));
                Proc p = new Proc("node-" + NODES.get(n), List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                        "-jar", jar.toString(), "run", cfg.toString(), "--node", NODES.get(n), "--view", "plain"),
                        dir.resolve("node-" + NODES.get(n) + ".log"));
                p.clocks = history;
                p.start();
                nodes.add(p);
            }
            // wait until every auto-start group writes
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!allOnline(history)) {
                for (Proc p : nodes) {
                    if (!p.process.isAlive()) {
                        throw new IllegalStateException(p.name + " ended at start with exit code " + p.process.exitValue() + "; see " + p.log);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the groups did not all come online within 120 s; see " + dir);
                }
                Thread.sleep(200);
                trackDescendants();
            }
            fencedSince.clear();
            marker(history, "start seed " + seed);
            lastBreak = 0;
            Thread stalls = Thread.ofPlatform().daemon().name("chaos-stall-probe").start(() -> probeStalls(history));
            Map<String, Integer> injected = new TreeMap<>();
            List<Action> plan = plan(new Random(seed), seconds, faults, dir, zk, nodes, proxy, injected);
            long t0 = System.nanoTime();
            for (Action a : plan) {
                long wait = a.atMs() - (System.nanoTime() - t0) / 1_000_000;
                while (wait > 0) {
                    Thread.sleep(Math.min(wait, 500));
                    trackDescendants();
                    supervise(nodes);
                    wait = a.atMs() - (System.nanoTime() - t0) / 1_000_000;
                }
                if (a.marker() != null) {
                    marker(history, a.marker());
                    System.out.printf("chaos:   %6.1f s  %s%n", (System.nanoTime() - t0) / 1e9, a.marker());
                }
                a.body().run();
            }
            // heal everything that may be left (the plan heals every fault by --seconds; this is a safety net)
            for (TcpProxy[] row : proxy) {
                for (TcpProxy p : row) {
                    p.heal();
                }
            }
            for (Proc p : nodes) {
                p.signal("CONT");
                if (!p.process.isAlive()) {
                    p.start();
                }
            }
            for (Proc p : zk) {
                p.signal("CONT");
                if (!p.process.isAlive()) {
                    p.start();
                }
            }
            for (String g : GROUPS) {
                delete(dir.resolve("hang-" + g));
                delete(dir.resolve("hang-stop-" + g));
            }
            marker(history, "settle");
            settleOperators(dir);
            marker(history, "quiet");
            long quietStart = System.nanoTime();
            long quietEnd = quietStart + quiet * 1_000_000_000L;
            // a stall of the machine past the lease's pause allowance breaks the quiet (the checker judges I7 only after
            // it): the quiet period is made as long again after the last one, up to QUIET_EXTENSION_MAX more
            while (System.nanoTime() < Math.min(lastBreak > quietStart ? Math.max(quietEnd, lastBreak + quiet * 1_000_000_000L) : quietEnd,
                    quietEnd + QUIET_EXTENSION_MAX.toNanos())) {
                Thread.sleep(500);
                trackDescendants();
                supervise(nodes);
            }
            if (lastBreak > quietStart) {
                System.out.printf(java.util.Locale.ROOT, "chaos: the machine stalled past the lease's pause allowance in the quiet period: quiet for %.1f s%n",
                        (System.nanoTime() - quietStart) / 1e9);
            }
            if (closing) {
                // the cleanup (Ctrl-C, kill) stopped this run's processes under it: its history ends with their
                // deaths, not with a fault; it is not checked, and a summary leaves it out (it has no end marker)
                marker(history, "interrupted");
                throw new InterruptedException("interrupted during the run: not checked");
            }
            marker(history, "end");
            stalls.interrupt();
            killAll(dir);
            HistoryChecker.Report report = HistoryChecker.check(dir.resolve("node-a.yaml"), history);
            report.print(seed, System.out);
            report.summary(System.out);
            if (report.ok()) {
                deleteTree(dir.resolve("zk1"));
                deleteTree(dir.resolve("zk2"));
                deleteTree(dir.resolve("zk3"));
            }
            return new RunResult(seed, report, injected, dir);
        } finally {
            killAll(dir);
            store.close();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> w = Files.walk(p)) {
            for (Path f : w.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    private static boolean allOnline(Path history) throws IOException {
        List<String> lines = Files.readAllLines(history);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String l : lines) {
            String[] w = l.split(" ");
            if (w.length >= 5) {
                seen.add(w[1]);
            }
        }
        return seen.containsAll(AUTO_GROUPS);
    }

    /** The nodes' lease pauseAllowance (see the configuration written): a longer stall of the machine may let leases run out. */
    static final java.time.Duration PAUSE_ALLOWANCE = java.time.Duration.ofMillis(300);
    /** How much longer a quiet period may be made after a stall of the machine broke it. */
    static final java.time.Duration QUIET_EXTENSION_MAX = java.time.Duration.ofSeconds(60);
    /** When the stall probe last saw a stall past {@link #PAUSE_ALLOWANCE} (System.nanoTime), 0 if not in this run. */
    private static volatile long lastBreak;

    /** A wake-up of the harness this late is a stall of the machine, logged: the lease's margin covers no more than its pauseAllowance. */
    static final long STALL_MS = 100;

    /**
     * Until interrupted, wakes every 20 ms and logs {@code stall MS} when a wake-up came {@link #STALL_MS} or more late:
     * the machine did not run a waiting thread for that long (CPU starvation), which no watchdog escapes either.
     */
    private static void probeStalls(Path history) {
        try {
            while (true) {
                long due = System.nanoTime() + 20_000_000L;
                Thread.sleep(20);
                long late = (System.nanoTime() - due) / 1_000_000;
                if (late >= STALL_MS) {
                    marker(history, "stall " + late);
                }
                if (late > PAUSE_ALLOWANCE.toMillis()) {
                    lastBreak = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("chaos: stall probe: " + e.getMessage());
        }
    }

    /**
     * The monotonic clock and the time of day read together, {@code {monotonic ns, time of day ns}}: the
     * time of day between two monotonic reads that are at most 0.2 ms apart (the best of 50 tries), paired with
     * their middle. Read apart, a stall of the harness between them (tens of ms on a loaded machine) shifted
     * every event of a node under libfaketime by as much on the checker's time line (CI seed 1, a false I4).
     */
    static long[] clockPair() {
        long[] best = null;
        long width = Long.MAX_VALUE;
        for (int i = 0; i < 50 && width > 200_000; i++) {
            long a = System.nanoTime();
            java.time.Instant now = java.time.Instant.now();
            long b = System.nanoTime();
            if (b - a < width) {
                width = b - a;
                best = new long[] {a + (b - a) / 2, now.getEpochSecond() * 1_000_000_000L + now.getNano()};
            }
        }
        return best;
    }

    private static void marker(Path history, String text) throws IOException {
        Files.write(history, (System.nanoTime() + " @ " + text + "\n").getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
    }

    /** The fault kinds, each drawn with the same chance (CLUSTER.md §4.2). */
    static final List<String> KINDS = List.of("node-kill", "node-crash", "node-pause", "node-partition", "node-cut", "zk-kill", "zk-pause",
            "resource-fail", "hung-move", "stuck-offline", "drain", "move", "clock-rate");

    /**
     * The faults of a run, all drawn from {@code rnd} up front (so the seed alone says what was injected and
     * when): times uniform in the first 90 % of the fault period; a node, ZooKeeper server or group under
     * one fault gets no other until healed (a node kind drawn while every node is busy becomes a planned
     * move); at most one ZooKeeper server down or paused at a time (the ensemble keeps its quorum), one drain
     * at a time; every fault healed by the end of the period.
     */
    List<Action> plan(Random rnd, int seconds, int faults, Path dir, List<Proc> zk, List<Proc> nodes, TcpProxy[][] proxy,
                      Map<String, Integer> injected) {
        long periodMs = seconds * 1000L;
        long[] times = new long[faults];
        for (int i = 0; i < faults; i++) {
            times[i] = (long) (rnd.nextDouble() * periodMs * 0.9);
        }
        java.util.Arrays.sort(times);
        long[] nodeBusy = new long[3];
        long zkBusy = 0;
        long drainBusy = 0;
        Map<String, Long> groupBusy = new HashMap<>();
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < faults; i++) {
            int id = i + 1;
            long t = times[i];
            String kind = KINDS.get(rnd.nextInt(KINDS.size()));
            List<Integer> free = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                if (nodeBusy[n] <= t) {
                    free.add(n);
                }
            }
            List<String> freeGroups = AUTO_GROUPS.stream().filter(g -> groupBusy.getOrDefault(g, 0L) <= t).toList();
            if ((kind.startsWith("node-") || kind.equals("drain") || kind.equals("clock-rate")) && free.isEmpty()
                    || kind.equals("clock-rate") && LIBFAKETIME == null || kind.startsWith("zk-") && zkBusy > t
                    || kind.equals("drain") && drainBusy > t || (kind.equals("hung-move") || kind.equals("resource-fail")) && freeGroups.isEmpty()
                    || kind.equals("stuck-offline") && (groupBusy.getOrDefault(OCF_GROUP, 0L) > t || t + 9000 > periodMs)) {
                kind = "move";
            }
            injected.merge(kind, 1, Integer::sum);
            Path cfg = dir.resolve("node-" + NODES.get(rnd.nextInt(3)) + ".yaml");
            switch (kind) {
                case "node-kill", "node-crash" -> {
                    int n = free.get(rnd.nextInt(free.size()));
                    long down = 1000 + rnd.nextInt(3000);
                    long heal = Math.min(t + down, periodMs);
                    nodeBusy[n] = heal + 4000;     // it joins again before its next fault
                    Proc p = nodes.get(n);
                    boolean whole = kind.equals("node-crash");
                    actions.add(new Action(t, id, kind, whole ? p::crash : p::kill9, "fault " + id + " " + kind + " " + NODES.get(n)
                            + (whole ? " (JVM, watchdog and resources)" : "") + " down " + down + "ms"));
                    actions.add(new Action(heal, id, kind, p::start, "heal " + id + " restart " + NODES.get(n)));
                }
                case "clock-rate" -> {
                    // the node's JVM killed and started again at once under libfaketime, its clock running at RATE
                    // (within the lease's drift allowance of 1 %, or fast); the heal kills and restarts it on the real clock
                    int n = free.get(rnd.nextInt(free.size()));
                    double rate = Math.round((0.993 + 0.027 * rnd.nextDouble()) * 10_000) / 10_000.0;
                    long len = 8000 + rnd.nextInt(12001);
                    long heal = Math.min(t + len, periodMs);
                    nodeBusy[n] = heal + 4000;
                    Proc p = nodes.get(n);
                    actions.add(new Action(t, id, kind, () -> {
                        p.kill9();
                        p.rate = rate;
                        p.start();
                    }, "fault " + id + " clock-rate " + NODES.get(n) + " x" + rate + " " + (heal - t) + "ms (killed, restarted under faketime)"));
                    actions.add(new Action(heal, id, kind, () -> {
                        p.kill9();
                        p.rate = 1;
                        p.start();
                    }, "heal " + id + " clock " + NODES.get(n) + " (killed, restarted on the real clock)"));
                }
                case "node-pause" -> {
                    int n = free.get(rnd.nextInt(free.size()));
                    long pause = 1500 + rnd.nextInt(7501);       // 0.5 to 3 session timeouts of 3 s
                    long heal = Math.min(t + pause, periodMs);
                    nodeBusy[n] = heal + 4000;
                    Proc p = nodes.get(n);
                    actions.add(new Action(t, id, kind, () -> p.signal("STOP"), "fault " + id + " node-pause " + NODES.get(n) + " " + (heal - t) + "ms"));
                    actions.add(new Action(heal, id, kind, () -> p.signal("CONT"), "heal " + id + " cont " + NODES.get(n)));
                }
                case "node-partition", "node-cut" -> {
                    int n = free.get(rnd.nextInt(free.size()));
                    List<Integer> servers = new ArrayList<>(List.of(0, 1, 2));
                    java.util.Collections.shuffle(servers, rnd);
                    int k = rnd.nextBoolean() ? 3 : 1 + rnd.nextInt(2);     // half the time from every server
                    List<Integer> cut = List.copyOf(servers.subList(0, k));
                    long len = 1000 + rnd.nextInt(7001);
                    long heal = Math.min(t + len, periodMs);
                    nodeBusy[n] = heal + 4000;
                    boolean reset = kind.equals("node-cut");
                    String which = cut.stream().map(s -> "zk" + (s + 1)).reduce((x, y) -> x + "," + y).orElse("");
                    actions.add(new Action(t, id, kind, () -> cut.forEach(s -> {
                        if (reset) {
                            proxy[n][s].cut();
                        } else {
                            proxy[n][s].freeze();
                        }
                    }), "fault " + id + " " + kind + " " + NODES.get(n) + " from " + which + (reset ? " (reset)" : " (silent)") + " " + (heal - t) + "ms"));
                    actions.add(new Action(heal, id, kind, () -> cut.forEach(s -> proxy[n][s].heal()), "heal " + id + " partition " + NODES.get(n)));
                }
                case "zk-kill", "zk-pause" -> {
                    int s = rnd.nextInt(3);
                    long down = 1000 + rnd.nextInt(4001);
                    long heal = Math.min(t + down, periodMs);
                    zkBusy = heal + 3000;      // it rejoins the ensemble before another server goes
                    Proc p = zk.get(s);
                    boolean kill = kind.equals("zk-kill");
                    actions.add(new Action(t, id, kind, () -> {
                        System.out.printf("chaos:            zk%d was %s%n", s + 1, mode(zkClientPort(s)));
                        if (kill) {
                            p.kill9();
                        } else {
                            p.signal("STOP");
                        }
                    }, "fault " + id + " " + kind + " zk" + (s + 1) + " " + down + "ms"));
                    actions.add(new Action(heal, id, kind, kill ? p::start : () -> p.signal("CONT"), "heal " + id + " zk" + (s + 1)));
                }
                case "resource-fail" -> {
                    // its process killed twice, 1.5 s apart: anti2 (restart-then-failover, threshold 1) fails over
                    String g = freeGroups.get(rnd.nextInt(freeGroups.size()));
                    groupBusy.put(g, t + 6000);
                    Path history = dir.resolve("history");
                    actions.add(new Action(t, id, kind, () -> killWriter(history, g), "fault " + id + " resource-fail " + g));
                    actions.add(new Action(Math.min(t + 1500, periodMs), id, kind, () -> killWriter(history, g), "fault-again " + id + " resource-fail " + g));
                }
                case "hung-move" -> {
                    // its process ignores SIGTERM while the hang file exists: the move waits for the host's SIGKILL
                    String g = freeGroups.get(rnd.nextInt(freeGroups.size()));
                    long heal = Math.min(t + 3000, periodMs);
                    groupBusy.put(g, heal + 3000);
                    Path hang = dir.resolve("hang-" + g);
                    actions.add(new Action(t, id, kind, () -> {
                        touch(hang);
                        command(dir, "move-" + id, List.of("cluster", "move", g, "--config", cfg.toString()));
                    }, "fault " + id + " hung-move " + g));
                    actions.add(new Action(heal, id, kind, () -> delete(hang), "heal " + id + " unhang " + g));
                }
                case "stuck-offline" -> {
                    // the OCF group's stop hangs during a move: the stop times out, the group is Stuck, its owner fences
                    // itself (its JVM ends; its watchdog kills what is left); the heal restarts whichever node ended
                    long heal = t + 9000;      // the stop's timeout is 5 s; the node then fences itself
                    groupBusy.put(OCF_GROUP, heal + 3000);
                    Path hang = dir.resolve("hang-stop-" + OCF_GROUP);
                    actions.add(new Action(t, id, kind, () -> {
                        touch(hang);
                        command(dir, "move-" + id, List.of("cluster", "move", OCF_GROUP, "--config", cfg.toString()));
                    }, "fault " + id + " stuck-offline " + OCF_GROUP));
                    actions.add(new Action(heal, id, kind, () -> {
                        delete(hang);
                        for (Proc p : nodes) {
                            if (!p.process.isAlive() && !p.killed) {
                                System.out.printf("chaos:            %s ended (it fenced itself): restarted%n", p.name);
                                p.start();
                            }
                        }
                    }, "heal " + id + " unhang-stop " + OCF_GROUP));
                }
                case "drain" -> {
                    int n = free.get(rnd.nextInt(free.size()));
                    long len = 4000 + rnd.nextInt(6001);
                    long heal = Math.min(t + len, periodMs);
                    nodeBusy[n] = heal + 3000;
                    drainBusy = heal + 3000;
                    String node = NODES.get(n);
                    actions.add(new Action(t, id, kind, () -> command(dir, "drain-" + id, List.of("cluster", "drain", node, "--config", cfg.toString())),
                            "fault " + id + " drain " + node));
                    actions.add(new Action(heal, id, kind, () -> command(dir, "resume-" + id, List.of("cluster", "resume", node, "--config", cfg.toString())),
                            "heal " + id + " resume " + node));
                }
                default -> {
                    String g = AUTO_GROUPS.get(rnd.nextInt(AUTO_GROUPS.size()));
                    actions.add(new Action(t, id, kind, () -> command(dir, "move-" + id, List.of("cluster", "move", g, "--config", cfg.toString())),
                            "fault " + id + " move " + g));
                }
            }
        }
        actions.sort(Comparator.comparingLong(Action::atMs));
        return actions;
    }

    /** When each node that ended by fencing itself was first seen ended. The run's thread only. */
    private final Map<Proc, Long> fencedSince = new java.util.HashMap<>();

    /**
     * The nodes' service manager ({@code Restart=on-failure}, {@code RestartSec=1}): a node that fenced itself
     * (exit 4) and was not killed by a fault is started again a second after it ended. Without it a node that
     * fenced itself after the heal of the fault that made it do so stayed down to the end of the run.
     */
    private void supervise(List<Proc> nodes) {
        long now = System.nanoTime();
        for (Proc p : nodes) {
            if (closing || p.process == null || p.killed || p.process.isAlive() || p.process.exitValue() != 4) {
                fencedSince.remove(p);
                continue;
            }
            long since = fencedSince.computeIfAbsent(p, k -> now);
            if (now - since >= 1_000_000_000L) {
                System.out.printf("chaos:            %s fenced itself (exit 4): started again, as its service manager would%n", p.name);
                fencedSince.remove(p);
                p.start();
            }
        }
    }

    /** Runs {@code clusworker ARGS} in the background, its output appended to {@code operator.log}. */
    private Proc command(Path dir, String name, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        cmd.addAll(args);
        Proc p = new Proc(name, cmd, dir.resolve("operator.log"));
        p.start();
        operators.add(p);
        return p;
    }

    /** The operator commands of this run (moves, drains, resumes): they must be done before the quiet period. */
    private final List<Proc> operators = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Ends the fault period's operator work: waits (at most 30 s) for every command issued, kills what is
     * left, then resumes every node (a drain that reached ZooKeeper after its resume leaves its node
     * paused), so that nothing an operator asked for during the faults lands in the quiet period.
     */
    private void settleOperators(Path dir) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Proc p : operators) {
            if (p.process == null) {
                continue;               // not started: the harness is closing
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !p.process.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
                System.out.printf("chaos:            %s still running after the fault period: killed%n", p.name);
                p.kill9();
            }
        }
        operators.clear();
        Path cfg = dir.resolve("node-a.yaml");
        List<Proc> resumes = new ArrayList<>();
        for (String n : NODES) {
            resumes.add(command(dir, "resume-" + n, List.of("cluster", "resume", n, "--config", cfg.toString())));
        }
        for (Proc p : resumes) {
            if (p.process != null && !p.process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                p.kill9();
            }
        }
        operators.clear();
    }

    /** {@code kill -9} of the process that wrote the group's last line (its current instance), if it is alive. */
    private static void killWriter(Path history, String group) {
        try {
            List<String> lines = Files.readAllLines(history);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String[] w = lines.get(i).split(" ");
                if (w.length >= 5 && w[1].equals(group) && w[4].chars().allMatch(Character::isDigit)) {
                    long pid = Long.parseLong(w[4]);
                    System.out.printf("chaos:            %s's process %d%s%n", group, pid, ProcessHandle.of(pid).isPresent() ? "" : " (already gone)");
                    signal("KILL", List.of(pid));
                    return;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void touch(Path p) {
        try {
            Files.writeString(p, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ZooKeeper server's mode by its {@code srvr} four-letter word: leader, follower, or unknown. */
    static String mode(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            s.setSoTimeout(500);
            OutputStream out = s.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            for (String l : reply.split("\n")) {
                if (l.startsWith("Mode: ")) {
                    return l.substring(6).trim();
                }
            }
            return "unknown";
        } catch (IOException e) {
            return "unreachable";
        }
    }

    /** Node {@code n}'s configuration: the cluster under test, reaching ZooKeeper through its own proxies. */
    String config(Path dir, int n) {
        StringBuilder connect = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            connect.append(s > 0 ? "," : "").append("127.0.0.1:").append(proxyPort(n, s));
        }
        String writer = dir.resolve("writer.py").toString();
        String history = dir.resolve("history").toString();
        StringBuilder y = new StringBuilder();
        y.append("host:\n  name: chaos-").append(NODES.get(n)).append("\n  stateDirectory: ").append(dir.resolve("state-" + NODES.get(n))).append('\n');
        y.append("cluster:\n  name: chaos\n  nodes: [a, b, c]\n");
        y.append("  zookeeper: {connect: \"").append(connect).append("/clusworker/chaos\", sessionTimeout: 3s, tickTime: 200ms}\n");
        y.append("  lease: {probeInterval: 200ms, pauseAllowance: " + PAUSE_ALLOWANCE.toMillis() + "ms, takeoverDelay: 200ms}\n");
        y.append("  ownershipLog: ").append(history).append('\n');
        y.append("""
                groups:
                  - name: pref          # preferred owners a then b; no failback
                    resources: [w-pref]
                    preferredOwners: [a, b]
                    stopBudget: 500ms
                    failover: {threshold: 1000}
                  - name: possible      # its resource may run on b and c only
                    resources: [w-possible]
                    stopBudget: 500ms
                    failover: {threshold: 1000}
                  - name: anti1         # soft anti-affinity with anti2; an OCF agent's daemon; a stop that fails fences its node
                    resources: [w-anti1]
                    onStopFailure: fence-self
                    antiAffinity: {classes: [chaos]}
                    stopBudget: 500ms
                    failover: {threshold: 1000}
                  - name: anti2         # soft anti-affinity with anti1; its resource fails over past its restarts; Failed
                    resources: [w-anti2]   # past 4 failovers in a minute
                    antiAffinity: {classes: [chaos]}
                    priority: high
                    stopBudget: 500ms
                    failover: {threshold: 4, period: 60s}
                  - name: manual        # never started but by an operator's move (the harness makes none)
                    resources: [w-manual]
                    priority: no-auto-start
                    stopBudget: 500ms
                    failover: {threshold: 1000}
                resources:
                """);
        for (int g = 0; g < GROUPS.size(); g++) {
            String name = GROUPS.get(g);
            if (name.equals(OCF_GROUP)) {
                // an OCF agent that runs the writer as a daemon; its stop can be made to hang (the stuck-offline fault)
                y.append("  - name: w-").append(name).append("\n    type: ocf\n    restart: {threshold: 1000}\n    parameters:\n      agent: chaos/Writer\n      ocfRoot: ")
                        .append(dir.resolve("ocf")).append("\n      timeout.start: 5s\n      timeout.stop: 5s\n      timeout.monitor: 5s\n      params:\n")
                        .append("        python: ").append(PYTHON).append("\n        writer: ").append(writer).append("\n        history: ").append(history)
                        .append("\n        port: \"").append(groupPort(g)).append("\"\n        store: \"").append(storePort()).append("\"\n        piddir: ")
                        .append(dir.resolve("state-" + NODES.get(n))).append('\n');
                continue;
            }
            y.append("  - name: w-").append(name).append("\n    type: process\n");
            if (name.equals("possible")) {
                y.append("    possibleOwners: [b, c]\n");
            }
            if (name.equals("anti2")) {
                y.append("    restart: {action: restart-then-failover, threshold: 1}\n");
            } else {
                // restarted in place however often a run kills it: a resource left Failed past its restarts is
                // the host's business, not the cluster's (its group would stay owned but offline)
                y.append("    restart: {threshold: 1000}\n");
            }
            y.append("    parameters:\n      stopTimeout: 2s\n      command: [").append(PYTHON).append(", ").append(writer).append(", ")
                    .append(history).append(", \"").append(groupPort(g)).append("\", \"").append(storePort()).append("\"]\n");
        }
        return y.toString();
    }

    // ------------------------------------------------------------------ main

    /** How many ports above {@code --port-base} a run uses (ZooKeeper, proxies, the groups' ports, the oracle store). */
    static final int PORT_SPAN = 240;

    static final String USAGE = "usage: stress/cluster-chaos [--runs N] [--seed S] [--minutes M | --seconds S] [--faults F] [--quiet Q]"
            + " [--port-base P] [--work DIR]\n       (the class itself: ChaosHarness --jar CLUSWORKER_JAR [the same options])";

    /** The command line, checked: every option known, every number a number in its range. */
    record Options(Path jar, Path work, int runs, long seed, int seconds, int faults, int quiet, int portBase) {

        /** @throws IllegalArgumentException naming the option and what is wrong with it */
        static Options parse(String[] args, java.util.function.LongSupplier randomSeed) {
            Set<String> known = Set.of("--jar", "--work", "--runs", "--seed", "--minutes", "--seconds", "--faults", "--quiet", "--port-base");
            Map<String, String> opt = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!known.contains(args[i])) {
                    throw new IllegalArgumentException(args[i].startsWith("--") ? "unknown option " + args[i]
                            : "expected an option, got '" + args[i] + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                if (opt.put(args[i], args[++i]) != null) {
                    throw new IllegalArgumentException(args[i - 1] + " given twice");
                }
            }
            if (!opt.containsKey("--jar")) {
                throw new IllegalArgumentException("--jar PATH (the clusworker command jar) is required");
            }
            if (opt.containsKey("--minutes") && opt.containsKey("--seconds")) {
                throw new IllegalArgumentException("--minutes and --seconds say the same thing: give one");
            }
            Path jar = Path.of(opt.get("--jar")).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("--jar " + opt.get("--jar") + ": no such file");
            }
            int seconds;
            if (opt.containsKey("--minutes")) {
                double m;
                try {
                    m = Double.parseDouble(opt.get("--minutes").strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--minutes: '" + opt.get("--minutes") + "' is not a number");
                }
                if (!(m * 60 >= 1 && m <= 24 * 60)) {
                    throw new IllegalArgumentException("--minutes " + opt.get("--minutes") + ": must be from 1/60 (one second) to 1440");
                }
                seconds = (int) Math.round(m * 60);
            } else {
                seconds = (int) number(opt, "--seconds", 60, 1, 24 * 3600);
            }
            long seed = opt.containsKey("--seed") ? number(opt, "--seed", 0, Long.MIN_VALUE, Long.MAX_VALUE) : randomSeed.getAsLong();
            return new Options(jar, Path.of(opt.getOrDefault("--work", "/tmp/clusworker-chaos")).toAbsolutePath(),
                    (int) number(opt, "--runs", 1, 1, 1_000_000), seed, seconds, (int) number(opt, "--faults", 20, 0, 10_000),
                    (int) number(opt, "--quiet", 30, 1, 3600), (int) number(opt, "--port-base", 27000, 1024, 65535 - PORT_SPAN));
        }

        private static long number(Map<String, String> opt, String name, long dflt, long min, long max) {
            String v = opt.get(name);
            if (v == null) {
                return dflt;
            }
            long n;
            try {
                n = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + ": '" + v + "' is not a whole number");
            }
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " " + v + ": must be from " + min + " to " + max);
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args, () -> new Random().nextInt(1_000_000));
        } catch (IllegalArgumentException bad) {
            System.err.println("chaos: " + bad.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        long seed = o.seed();
        int runs = o.runs();
        int seconds = o.seconds();
        int faults = o.faults();
        int quiet = o.quiet();
        ChaosHarness h = new ChaosHarness(o.jar(), o.work(), o.portBase());
        Files.createDirectories(h.workRoot);
        List<String> left = h.leftovers();
        if (!left.isEmpty()) {
            System.err.println("chaos: refusing to start: processes of an earlier run under " + h.workRoot + " are alive:");
            left.forEach(l -> System.err.println("  pid " + l));
            System.exit(3);
        }
        List<Integer> taken = h.takenPorts();
        if (!taken.isEmpty()) {
            System.err.println("chaos: refusing to start: these ports of 127.0.0.1 are taken: " + taken + " (choose another --port-base)");
            System.exit(3);
        }
        // on Ctrl-C too: every process started or seen, and any whose command line names the work root (an OCF
        // agent's daemon is re-parented away from the node that started it)
        Thread hook = new Thread(() -> {
            h.closing = true;           // no process starts from now on (a heal under way would race the cleanup)
            h.killAll(h.workRoot);
            try {
                Thread.sleep(300);      // and one started just before the flag: found by its command line
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            h.killAll(h.workRoot);
        }, "chaos-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.printf("chaos: %d runs from seed %d (run i uses seed %d + i)%n", runs, seed, seed);
        if (LIBFAKETIME == null) {
            System.out.println("chaos: libfaketime not found (Debian package faketime): each clock-rate fault drawn becomes a planned move");
        }
        List<RunResult> results = new ArrayList<>();
        Map<String, Integer> injected = new TreeMap<>();
        int violations = 0;
        List<String> errors = new ArrayList<>();
        long lastSeed = seed - 1;
        for (int r = 0; r < runs; r++) {
            RunResult res;
            lastSeed = seed + r;
            try {
                res = h.run(seed + r, seconds, faults, quiet);
            } catch (Exception e) {
                if (h.closing) {
                    // interrupted (Ctrl-C): the cleanup stopped this run's processes under it; nothing to report
                    System.out.printf("chaos:   seed %d: interrupted%n", seed + r);
                    break;
                }
                // a run that could not be set up or carried out proves nothing either way: said, and the next one goes on
                System.out.printf("chaos:   seed %d: ERROR, the run did not complete: %s%n", seed + r, e);
                errors.add("seed " + (seed + r) + ": " + e.getMessage());
                continue;
            }
            results.add(res);
            res.injected().forEach((k, v) -> injected.merge(k, v, Integer::sum));
            violations += res.report().violations.size();
        }
        System.out.println();
        System.out.printf("chaos: %d runs (seeds %d..%d), faults injected: %s, violations: %d%n", results.size(), seed, lastSeed, injected, violations);
        for (String e : errors) {
            System.out.printf("chaos:   did not complete: %s%n", e);
        }
        for (RunResult res : results) {
            System.out.printf("chaos:   seed %d: %s%n", res.seed(), res.report().ok() ? "ok" : res.report().violations.size() + " violations, see " + res.dir());
        }
        // the figures of these runs, as stress/cluster-chaos --summarize gives them for kept runs
        List<Campaign.Run> figures = new ArrayList<>();
        for (RunResult res : results) {
            try {
                figures.add(Campaign.Run.of(res.seed(), res.dir(), res.report()));
            } catch (IOException e) {
                System.out.printf("chaos:   seed %d: its watchdogs' logs cannot be read (%s): not in the figures%n", res.seed(), e.getMessage());
            }
        }
        Campaign.summarize(figures, System.out);
        System.exit(violations == 0 && errors.isEmpty() ? 0 : 1);
    }
}
