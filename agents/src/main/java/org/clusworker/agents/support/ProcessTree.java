package org.clusworker.agents.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Processes of resources, each started in a session and process group of its own ({@link #start}: one
 * posix_spawn, or setsid), so that a terminal's signals reach the host alone and a resource is stopped
 * by signalling its whole group, which finds a double-forked descendant whose parent has exited.
 * Signals to single processes go through {@link ProcessHandle#destroy()} and
 * {@link ProcessHandle#destroyForcibly()} ({@code TERM}, {@code KILL}) or the {@code kill} command; to a
 * group, through {@code kill -s SIGNAL -- -PGID}. Members of a group are found in {@code /proc}. A killed
 * process that is a zombie (not yet reaped by its parent, or by init for an orphan) counts as exited: it
 * runs nothing. Stateless; safe from any thread.
 */
public final class ProcessTree {

    /** The signals a configuration may name (without the {@code SIG} prefix). */
    public static final Set<String> SIGNALS = Set.of("TERM", "INT", "HUP", "QUIT", "KILL", "USR1", "USR2");

    private ProcessTree() {
    }

    /** {@code "SIGTERM"}, {@code "term"} or {@code "TERM"} as {@code "TERM"}; empty if it is no known signal. */
    public static java.util.Optional<String> signalName(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("SIG")) {
            s = s.substring(3);
        }
        return SIGNALS.contains(s) ? java.util.Optional.of(s) : java.util.Optional.empty();
    }

    /**
     * The process and its descendants that are alive now, the process first. Take this before
     * signalling: a child whose parent has died is re-parented and no longer found.
     */
    public static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        if (root.isAlive()) {
            all.add(root);
        }
        try (Stream<ProcessHandle> d = root.descendants()) {
            d.filter(ProcessHandle::isAlive).forEach(all::add);
        }
        return all;
    }

    /** Sends {@code signal} (a name from {@link #SIGNALS}) to each process still alive. */
    public static void signal(List<ProcessHandle> processes, String signal) {
        List<ProcessHandle> alive = processes.stream().filter(ProcessTree::running).toList();
        if (alive.isEmpty()) {
            return;
        }
        switch (signal) {
            case "TERM" -> alive.forEach(ProcessHandle::destroy);
            case "KILL" -> alive.forEach(ProcessHandle::destroyForcibly);
            default -> kill(signal, alive);
        }
    }

    /**
     * Kills the process, all its descendants and, when it leads one, its whole process group, at once
     * ({@code SIGKILL}). Never blocks for long.
     */
    public static void killTree(ProcessHandle root) {
        killGroup(root);
    }

    /** Whether every process of the list has exited (a zombie has). */
    public static boolean allExited(List<ProcessHandle> processes) {
        return processes.stream().noneMatch(ProcessTree::running);
    }

    /**
     * Whether the process still runs: alive and not a zombie. A killed orphan stays a zombie until init
     * reaps it, which some init processes do only every second or so.
     */
    public static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        return stat(p.pid()).map(f -> !f[0].equals("Z")).orElse(p.isAlive());
    }

    /** The fields of /proc/PID/stat after the command name (state first), or empty if there is no such process. */
    private static java.util.Optional<String[]> stat(long pid) {
        try {
            String s = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"),
                    java.nio.charset.StandardCharsets.US_ASCII);
            return java.util.Optional.of(s.substring(s.lastIndexOf(')') + 2).split(" "));
        } catch (IOException | RuntimeException gone) {
            return java.util.Optional.empty();
        }
    }

    /**
     * When a process started, in epoch milliseconds: the same value as
     * {@code p.info().startInstant().get().toEpochMilli()} (boot time plus the start in clock ticks, as the
     * JDK reckons it), from one read of {@code /proc/PID/stat}, where {@code info()} reads four files.
     * Empty if the process is gone.
     */
    public static java.util.OptionalLong startMillis(ProcessHandle p) {
        if (BOOT_MILLIS < 0) {
            return p.info().startInstant().map(i -> java.util.OptionalLong.of(i.toEpochMilli())).orElse(java.util.OptionalLong.empty());
        }
        return stat(p.pid()).filter(f -> f.length > 19)
                .map(f -> java.util.OptionalLong.of(BOOT_MILLIS + Long.parseLong(f[19]) * 1000 / CLOCK_TICKS))
                .orElse(java.util.OptionalLong.empty());
    }

    /** USER_HZ, the unit of the start times in /proc: 100 wherever Linux runs the JVM (checked below). */
    private static final long CLOCK_TICKS = 100;
    /**
     * The boot time of /proc/stat in milliseconds, read once as the JDK does; -1 where the reckoning above
     * does not give the JDK's start time of this very process (then {@link #startMillis} asks the JDK).
     */
    private static final long BOOT_MILLIS = bootMillis();

    private static long bootMillis() {
        try {
            long boot = -1;
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat"), java.nio.charset.StandardCharsets.US_ASCII)) {
                if (line.startsWith("btime ")) {
                    boot = Long.parseLong(line.substring(6).strip()) * 1000;
                }
            }
            ProcessHandle self = ProcessHandle.current();
            long expected = self.info().startInstant().orElseThrow().toEpochMilli();
            long ticks = Long.parseLong(stat(self.pid()).orElseThrow()[19]);
            return boot >= 0 && boot + ticks * 1000 / CLOCK_TICKS == expected ? boot : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The process group of a process, or empty if it is gone. */
    public static java.util.Optional<Long> processGroup(long pid) {
        return stat(pid).map(f -> Long.parseLong(f[2]));
    }

    /** The processes of process group {@code pgid} that still run, found in /proc (empty where there is none). */
    public static List<ProcessHandle> groupMembers(long pgid) {
        List<ProcessHandle> members = new ArrayList<>();
        try (Stream<java.nio.file.Path> procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit)).forEach(n -> {
                long pid = Long.parseLong(n);
                if (processGroup(pid).filter(g -> g == pgid).isPresent()) {
                    ProcessHandle.of(pid).filter(ProcessTree::running).ifPresent(members::add);
                }
            });
        } catch (IOException | RuntimeException e) {
            return members;
        }
        return members;
    }

    /**
     * {@code command} run in a session and process group of its own, through {@code setsid} (util-linux):
     * a child of the JVM leads no group, so setsid makes the session and execs the command in place, and the
     * pid the JVM holds is the command's, leader of its group. Without setsid, the command as it is (logged).
     */
    public static List<String> inOwnSession(List<String> command) {
        if (SETSID == null) {
            return command;
        }
        List<String> c = new ArrayList<>(command.size() + 1);
        c.add(SETSID);
        c.addAll(command);
        return c;
    }

    /**
     * Why {@code program} (a command's first word) cannot be run, or empty if it can: started through
     * setsid, a missing program would only show as setsid's exit code, so it is checked first, as exec
     * would look for it (a name without '/' on the {@code PATH}).
     */
    public static java.util.Optional<String> notRunnable(String program, java.util.Map<String, String> environment, java.nio.file.Path directory) {
        if (program.contains("/")) {
            java.nio.file.Path p = directory.resolve(program);
            if (!java.nio.file.Files.exists(p)) {
                return java.util.Optional.of(program + ": no such file");
            }
            return java.nio.file.Files.isExecutable(p) && !java.nio.file.Files.isDirectory(p) ? java.util.Optional.empty()
                    : java.util.Optional.of(program + ": not an executable file");
        }
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(":")) {
            java.nio.file.Path p = java.nio.file.Path.of(dir.isEmpty() ? "." : dir, program);
            if (java.nio.file.Files.isExecutable(p) && !java.nio.file.Files.isDirectory(p)) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of(program + ": not found on the PATH (" + path + ")");
    }

    /**
     * Waits (briefly, real time) until a process started {@link #inOwnSession} leads its own group: between
     * the JVM's start and setsid's call there is a moment when it is still in the host's group, and a
     * group signal then would miss it. Returns at once without setsid, or when the process exits.
     */
    public static void awaitOwnGroup(ProcessHandle process, java.time.Duration timeout) {
        if (SETSID == null) {
            return;
        }
        // setsid calls setsid() a fraction of a millisecond after its exec: check every 100 us at first (a
        // Thread.sleep(1) oversleeps to 1.1 ms or more, which a short action pays in full), then every ms
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (process.isAlive() && !leadsGroup(process.pid())) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(now - start < 5_000_000L ? 100_000L : 1_000_000L);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whether processes can be started in sessions of their own here. */
    public static boolean ownSessions() {
        return SPAWNER != null || SETSID != null;
    }

    /**
     * Starts {@code pb}'s command in a session and process group of its own: with one {@code posix_spawn}
     * where it can ({@link #nativeSpawn()}: Java 22 or later, glibc, and no pipe asked for), else through
     * {@code setsid} ({@link #inOwnSession}), else as it is. The pid of the process returned is the
     * command's, leader of its group (through setsid, from a moment after its start: see
     * {@link #awaitOwnGroup}).
     *
     * @throws IOException as {@link ProcessBuilder#start()}
     */
    public static Process start(ProcessBuilder pb) throws IOException {
        Spawner s = SPAWNER;
        if (s != null && s.supports(pb)) {
            return s.start(pb);
        }
        List<String> command = pb.command();
        pb.command(inOwnSession(command));
        try {
            return pb.start();
        } finally {
            pb.command(command);
        }
    }

    /** A process started by {@link #startCapturing}, and what it writes. */
    public record Captured(Process process, Output output) {
    }

    /**
     * What a process started by {@link #startCapturing} writes to its standard output and error (one
     * stream, in the order written). Close it once read: an unclosed one holds a descriptor (and, in
     * memory, what was written).
     */
    public interface Output extends AutoCloseable {

        /** Everything written so far, as UTF-8 (malformed bytes replaced, never an error). */
        String read() throws IOException;

        /**
         * If more than {@code maxBytes} have been written, refuses every further write (the writer gets
         * {@code EPERM}) and returns {@code true}: a runaway writer cannot fill the memory. From then on
         * {@link #read} gives the first {@code maxBytes} only. Cheap (one system call): meant to be called
         * at every wake of a wait. In a file, {@code false} always.
         */
        boolean limit(long maxBytes);

        /** Lets go of it; a descendant of the process that still writes to it can no longer grow it. Idempotent. */
        @Override
        void close();
    }

    /**
     * Starts {@code pb}'s command as {@link #start} does, with its standard output and error (merged, the
     * builder's redirects of both ignored) kept for the caller: in a file in memory where the process is
     * spawned natively, else in {@code spill}, which is made, or emptied, for it and removed on
     * {@link Output#close()}.
     *
     * @throws IOException as {@link ProcessBuilder#start()}
     */
    public static Captured startCapturing(ProcessBuilder pb, java.nio.file.Path spill) throws IOException {
        Spawner s = SPAWNER;
        if (s != null) {
            Captured c = s.startCapturing(pb);
            if (c != null) {
                return c;
            }
        }
        return startCapturingToFile(pb, spill);
    }

    /** {@link #startCapturing} through a file: where a process cannot be given a file in memory. */
    static Captured startCapturingToFile(ProcessBuilder pb, java.nio.file.Path spill) throws IOException {
        pb.redirectOutput(spill.toFile()).redirectErrorStream(true);
        return new Captured(start(pb), new FileOutput(spill));
    }

    /** Output in a file, removed on close. */
    private static final class FileOutput implements Output {

        private final java.nio.file.Path file;

        FileOutput(java.nio.file.Path file) {
            this.file = file;
        }

        @Override
        public String read() throws IOException {
            return new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public boolean limit(long maxBytes) {
            return false;
        }

        @Override
        public void close() {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(ProcessTree.class).debug("cannot delete {}", file, e);
            }
        }
    }

    /**
     * Whether {@link #start} spawns natively here (one exec, the session made in the child before it), rather
     * than through {@code setsid} and the JVM's spawn helper. {@code -Dclusworker.spawn=setsid} turns it off.
     */
    public static boolean nativeSpawn() {
        return SPAWNER != null;
    }

    /**
     * The JVM option that lets {@link #start} call posix_spawn without the JDK's warning about native access
     * (JDK 24 and later warn once a JVM, to its standard error): for a JVM started with this module on its
     * class path. {@code clusworker.jar} says it in its manifest ({@code Enable-Native-Access}).
     */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";

    /** A way to start a process in a session of its own. */
    interface Spawner {

        /** Whether it can honour the builder's redirects (files and inherit; not pipes). */
        boolean supports(ProcessBuilder pb);

        Process start(ProcessBuilder pb) throws IOException;

        /** Starts it with its output and error in memory; {@code null} if it cannot here. */
        Captured startCapturing(ProcessBuilder pb) throws IOException;
    }

    private static final Spawner SPAWNER = loadSpawner();

    /** {@code PosixSpawn}, compiled for Java 22: on Java 21 its class does not load, and setsid serves. */
    private static Spawner loadSpawner() {
        if ("setsid".equals(System.getProperty("clusworker.spawn"))) {
            return null;
        }
        try {
            return (Spawner) Class.forName(ProcessTree.class.getPackageName() + ".PosixSpawn").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ProcessTree.class).debug("processes start through setsid: no native spawn here ({})", e.toString());
            return null;
        }
    }

    private static final String SETSID = findSetsid();

    private static String findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            java.nio.file.Path p = java.nio.file.Path.of(dir, "setsid");
            if (java.nio.file.Files.isExecutable(p)) {
                return p.toString();
            }
        }
        org.slf4j.LoggerFactory.getLogger(ProcessTree.class).warn("setsid (util-linux) not found: resource processes share the"
                + " host's process group, so a terminal's Ctrl-C reaches them too and a double-forked descendant can escape a stop");
        return null;
    }

    /**
     * The process, its descendants and the members of the process group it leads that run now: what a
     * stop must reach. Take it before signalling (an orphan is re-parented and no longer a descendant).
     */
    public static List<ProcessHandle> snapshotWithGroup(ProcessHandle root) {
        // one handle a pid, the caller's first: the root of a process started natively has a handle of its own,
        // not equal to the one /proc gives for the same process
        java.util.Map<Long, ProcessHandle> all = new java.util.LinkedHashMap<>();
        snapshot(root).forEach(p -> all.putIfAbsent(p.pid(), p));
        if (leadsGroup(root.pid())) {
            groupMembers(root.pid()).forEach(p -> all.putIfAbsent(p.pid(), p));
        }
        return all.values().stream().filter(ProcessTree::running).toList();
    }

    private static boolean leadsGroup(long pid) {
        return processGroup(pid).filter(g -> g == pid).isPresent();
    }

    /**
     * Sends {@code signal} to the group led by {@code root} (if it leads one) and to each process of
     * {@code processes} that still runs.
     */
    public static void signalGroup(ProcessHandle root, List<ProcessHandle> processes, String signal) {
        if (leadsGroup(root.pid())) {
            kill(signal, List.of(), "-" + root.pid());
        }
        signal(processes, signal);
    }

    /** Kills the process, its descendants and its process group at once ({@code SIGKILL}). Never blocks for long. */
    public static List<ProcessHandle> killGroup(ProcessHandle root) {
        List<ProcessHandle> all = snapshotWithGroup(root);
        signalGroup(root, all, "KILL");
        return all;
    }

    private static void kill(String signal, List<ProcessHandle> alive) {
        kill(signal, alive, null);
    }

    private static void kill(String signal, List<ProcessHandle> alive, String group) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-s", signal, "--"));
        if (group != null) {
            cmd.add(group);
        }
        alive.forEach(p -> cmd.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run 'kill -s " + signal + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
