package org.clusworker.cluster.watchdog;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.host.agent.FenceActions;

/** What a watchdog does to stop a dead host's resources: kill their process trees and groups, run their stop commands. */
final class Fence {

    /** How long a killed process may take to be gone. */
    private static final long GONE_WITHIN_MS = 5_000;

    private Fence() {
    }

    /**
     * Keeps, between fences, the processes marked with a host's node and host id ({@code CLUSWORKER_NODE},
     * {@code CLUSWORKER_HOST}) and their group: each update lists /proc and reads the environment of the
     * processes that appeared since the last one only, so that it costs little however many run.
     */
    static final class Scanner {

        static final java.time.Duration PERIOD = java.time.Duration.ofMillis(500);

        /** Written by {@link #update} under {@code this}; read without it by {@link #of}, so a fence never waits for a scan. */
        private final java.util.Map<Long, String> marked = new java.util.concurrent.ConcurrentHashMap<>();
        @GuardedBy("this")
        private final Set<Long> seen = new java.util.HashSet<>();
        @GuardedBy("this")
        private String key;

        /** Looks at the processes started since the last update (all of them when the node or host changed). */
        synchronized void update(String node, String host) {
            if (node == null || host == null) {
                return;
            }
            String k = node + " " + host;
            if (!k.equals(key)) {
                key = k;
                seen.clear();
                marked.clear();
            }
            byte[] nodeMark = ("CLUSWORKER_NODE=" + node).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] hostMark = ("CLUSWORKER_HOST=" + host).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Set<Long> now;
            try {
                now = new java.util.HashSet<>(pids());
            } catch (IOException e) {
                return;
            }
            for (long pid : now) {
                if (seen.contains(pid)) {
                    continue;
                }
                try {
                    byte[] env = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(pid), "environ"));
                    if (contains(env, nodeMark) && contains(env, hostMark)) {
                        group(env).ifPresent(g -> marked.put(pid, g));
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited, or not ours to read
                }
            }
            seen.clear();
            seen.addAll(now);
            marked.keySet().retainAll(now);
        }

        /** The marked processes seen of these groups. */
        List<Long> of(List<String> groups) {
            // read as a fence begins: a loop, with nothing to link on its first run
            List<Long> of = new java.util.ArrayList<>();
            for (java.util.Map.Entry<Long, String> e : marked.entrySet()) {
                if (groups.contains(e.getValue())) {
                    of.add(e.getKey());
                }
            }
            return of;
        }

        private static java.util.Optional<String> group(byte[] env) {
            for (String e : new String(env, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (e.startsWith("CLUSWORKER_GROUP=")) {
                    return java.util.Optional.of(e.substring("CLUSWORKER_GROUP=".length()));
                }
            }
            return java.util.Optional.empty();
        }
    }

    /**
     * {@code SIGKILL} at once, from this JVM, to every process, its descendants and the members of the process
     * group it leads (a double-forked member is re-parented away: no descendant), all found in one look at
     * /proc taken before any of them dies: no command started, so that the fence lands within milliseconds
     * of its time. {@link #killGroups} then reaches what joined those groups since the look, and {@link #kill}
     * waits (on a busy machine, commands and scans took up to a few hundred ms: most of the margin between
     * the fence time and the earliest takeover). The watchdog runs it once ahead ({@link #warmUp}): the
     * first run in a JVM loads classes, which took 0.2 s on an idle machine and 0.5 s on a saturated one.
     *
     * @return the process groups that {@code pids} lead, for {@link #killGroups}
     */
    static List<Long> killNow(List<Long> pids) {
        ProcessTable table = ProcessTable.read();
        for (long pid : table.treesAndGroups(pids)) {
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isPresent()) {
                p.get().destroyForcibly();
            }
        }
        return table.leaders(pids);
    }

    /** {@code SIGKILL} to every member of these process groups (through {@code kill}: a JVM signals processes only one by one). */
    static void killGroups(List<Long> groups) {
        if (groups.isEmpty()) {
            return;
        }
        List<String> cmd = new java.util.ArrayList<>(List.of("kill", "-s", "KILL", "--"));
        groups.forEach(g -> cmd.add("-" + g));
        try {
            Process k = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // kill() reaches the groups it still finds
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs what a fence runs first, on this JVM's own process (its descendants and group, none of them killed),
     * so that the classes and call sites of the first kills are loaded and linked before a fence needs them.
     */
    static void warmUp() {
        long self = ProcessHandle.current().pid();
        ProcessTable table = ProcessTable.read();
        for (long pid : table.treesAndGroups(List.of(self))) {
            java.util.Optional<ProcessHandle> p = ProcessHandle.of(pid);
            if (p.isPresent()) {
                p.get().isAlive();
            }
        }
        table.leaders(List.of(self));
        ProcessTable.stat(0);       // no such process: the way a process that exits during the look is passed over
        ProcessTree.ownSessions();  // loads the stop commands' spawner
        marked("warm-up", "0", List.of("warm-up"));
        bootTicks();
    }

    /** One look at /proc: every process's parent and process group ({@code /proc/PID/stat}). */
    record ProcessTable(java.util.Map<Long, List<Long>> children, java.util.Map<Long, List<Long>> members, java.util.Map<Long, Long> groupOf) {

        static ProcessTable read() {
            java.util.Map<Long, List<Long>> children = new java.util.HashMap<>();
            java.util.Map<Long, List<Long>> members = new java.util.HashMap<>();
            java.util.Map<Long, Long> groupOf = new java.util.HashMap<>();
            List<Long> all;
            try {
                all = pids();
            } catch (IOException e) {
                all = List.of();
            }
            for (long pid : all) {
                long[] pg = stat(pid);
                if (pg != null) {
                    children.computeIfAbsent(pg[0], k -> new java.util.ArrayList<>()).add(pid);
                    members.computeIfAbsent(pg[1], k -> new java.util.ArrayList<>()).add(pid);
                    groupOf.put(pid, pg[1]);
                }
            }
            return new ProcessTable(children, members, groupOf);
        }

        /**
         * The parent and process group of {@code pid}, or null if it is gone. A zombie is kept: dead
         * already, but while its parent has not reaped it (a host JVM stopped by SIGSTOP reaps nothing) it
         * still leads its process group, whose other members live on and must be killed.
         */
        static long[] stat(long pid) {
            byte[] s = new byte[512];       // a line is ~300 bytes; ppid and pgrp come within its first 64 bytes after comm (<= 64)
            int n;
            // a plain read (the fewest calls: run once a fence, uncompiled, it is the cost of the look)
            try (java.io.FileInputStream in = new java.io.FileInputStream("/proc/" + pid + "/stat")) {
                n = in.read(s);
            } catch (IOException | RuntimeException gone) {
                return null;
            }
            if (n <= 0) {
                return null;
            }
            s = java.util.Arrays.copyOf(s, n);
            // "pid (comm) state ppid pgrp ...", comm as the process named itself: parsed from its last ')'
            int i = s.length - 1;
            while (i >= 0 && s[i] != ')') {
                i--;
            }
            if (i < 0 || i + 2 >= s.length) {
                return null;
            }
            long[] fields = new long[2];
            int at = i + 4;      // past ") S "
            for (int f = 0; f < 2; f++) {
                long v = 0;
                int start = at;
                while (at < s.length && s[at] >= '0' && s[at] <= '9') {
                    v = v * 10 + (s[at++] - '0');
                }
                if (at == start) {
                    return null;
                }
                fields[f] = v;
                at++;
            }
            return fields;
        }

        /** Those of {@code pids} that lead their process group. */
        List<Long> leaders(List<Long> pids) {
            List<Long> leaders = new java.util.ArrayList<>();
            for (long pid : pids) {
                if (Long.valueOf(pid).equals(groupOf.get(pid)) && !leaders.contains(pid)) {
                    leaders.add(pid);
                }
            }
            return leaders;
        }

        /** {@code roots}, their descendants and the members of the groups they lead. */
        Set<Long> treesAndGroups(List<Long> roots) {
            Set<Long> found = new LinkedHashSet<>();
            java.util.ArrayDeque<Long> next = new java.util.ArrayDeque<>(roots);
            for (long leader : leaders(roots)) {
                next.addAll(members.getOrDefault(leader, List.of()));
            }
            while (!next.isEmpty()) {
                long pid = next.poll();
                if (found.add(pid)) {
                    next.addAll(children.getOrDefault(pid, List.of()));
                }
            }
            return found;
        }
    }

    /**
     * Kills every process, its descendants (found before any dies: orphans are re-parented and lost) and
     * every member of the process group it leads (so a double-forked descendant is found too), with the
     * rules of {@link ProcessTree}, and waits until they are gone.
     *
     * @return whether all of them are gone
     */
    static boolean kill(List<Long> pids, Consumer<String> log) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> all.addAll(ProcessTree.killGroup(p)));
        }
        if (all.isEmpty()) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GONE_WITHIN_MS);
        while (all.stream().anyMatch(ProcessTree::running) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Long> left = all.stream().filter(ProcessTree::running).map(ProcessHandle::pid).toList();
        log.accept("killed " + all.size() + " process(es)" + (left.isEmpty() ? "" : "; still alive: " + left));
        return left.isEmpty();
    }

    /**
     * The image a process the host was spawning runs in between its fork and its exec: the host's own (its
     * executable, its environment), since a spawn's child shares the host's address space until its exec
     * gives it its own. Such a child carries none of its group's marks yet, so a scan of the marks made in
     * that moment misses it, and if the host died meanwhile it execs unguarded a moment later. Read while the
     * host lives (it is the watchdog's parent).
     *
     * @param exe     the host's executable
     * @param helper  the JDK's spawn helper beside it, which a spawn through {@link ProcessBuilder} runs
     *                before the resource's program, with the host's environment
     * @param environ the host's environment, as /proc shows it
     * @param vmKb    the host's address space when it was read (its heap and code reserved): a child that
     *                shares it is at least as large, where a new JVM of the same command, single-threaded only
     *                in its first moments, has not reserved its heap yet
     */
    record HostImage(java.nio.file.Path exe, java.nio.file.Path helper, byte[] environ, long vmKb) {

        /** The image of the live process {@code pid}; null if it cannot be read (no /proc, or it is gone). */
        static HostImage of(long pid) {
            try {
                java.nio.file.Path proc = java.nio.file.Path.of("/proc", Long.toString(pid));
                java.nio.file.Path exe = java.nio.file.Files.readSymbolicLink(proc.resolve("exe"));
                java.nio.file.Path jdk = exe.getParent() == null ? null : exe.getParent().getParent();
                return new HostImage(exe, jdk == null ? exe : jdk.resolve("lib/jspawnhelper"),
                        java.nio.file.Files.readAllBytes(proc.resolve("environ")), status(proc, "VmSize:"));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /**
         * The processes, but {@code host} itself, with one thread, that started no later than {@code goneAt}
         * and may be spawns of the host that have not exec'd their program yet, so carry none of its group's
         * marks: in one of three moments of a spawn, each of which a scan can catch, and which a spawn on a
         * machine that keeps it from a CPU can stay in for a long while (chaos seeds 390221 and 470086).
         * <ol>
         *   <li>Between its fork and its exec it runs in the host's image: the host's executable and
         *       environment, and the host's address space (at least half the size the host had when read). A new
         *       JVM started with the host's command and environment, as a service manager restarts it, is
         *       single-threaded in its first moments too; it started after the host was known gone, and, if it
         *       was started sooner (the clock ticks are 10 ms), has not reserved its heap yet.</li>
         *   <li>In the JDK's spawn helper, which a spawn through {@link ProcessBuilder} runs first: it was given
         *       the host's environment as the host's C library holds it then, which may hold more than the host
         *       started with (libfaketime, for one, adds {@code FAKETIME_SHARED} to it), so it holds at least
         *       every entry of the host's; one of another JVM of the same JDK is waited for too, for its moment.</li>
         *   <li>Inside its exec: once the kernel has given it the new program's image and until it has laid out
         *       that program's arguments and environment, /proc shows neither, only the new executable. A
         *       process that shows no argument and no environment is waited for, whoever started it: such a
         *       moment ends as soon as the process gets a CPU.</li>
         * </ol>
         *
         * @param goneAt {@link #bootTicks()} when the host was known dead or frozen: no spawn of it starts later
         */
        List<Long> spawning(long host, long goneAt) {
            return scan(host, goneAt, false);
        }

        /**
         * Those of {@link #spawning} in the first of its moments, between fork and exec in the host's own image:
         * the host's spawns without doubt (the spawn helper may be another JVM's, and a process inside its exec
         * may be anyone's).
         */
        List<Long> inHostImage(long host, long goneAt) {
            return scan(host, goneAt, true);
        }

        private List<Long> scan(long host, long goneAt, boolean hostImageOnly) {
            List<Long> found = new java.util.ArrayList<>();
            List<Long> all;
            try {
                all = pids();
            } catch (IOException e) {
                return found;
            }
            for (long pid : all) {
                if (pid == host || pid == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    java.nio.file.Path proc = java.nio.file.Path.of("/proc", Long.toString(pid));
                    java.nio.file.Path exe = java.nio.file.Files.readSymbolicLink(proc.resolve("exe"));
                    if (status(proc, "Threads:") != 1 || startTicks(proc) > goneAt) {
                        continue;
                    }
                    boolean own = exe.equals(this.exe)
                            && java.util.Arrays.equals(java.nio.file.Files.readAllBytes(proc.resolve("environ")), environ)
                            && status(proc, "VmSize:") >= vmKb / 2;
                    boolean spawn = own || !hostImageOnly && (exe.equals(helper)
                            && entries(java.nio.file.Files.readAllBytes(proc.resolve("environ"))).containsAll(entries(environ))
                            || blank(java.nio.file.Files.readAllBytes(proc.resolve("cmdline")))
                            && java.nio.file.Files.readAllBytes(proc.resolve("environ")).length == 0);
                    if (spawn) {
                        found.add(pid);
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited, a kernel thread, or not ours to read
                }
            }
            return found;
        }

        /** The NAME=VALUE entries of an environment as /proc shows it (NUL-separated). */
        private static Set<String> entries(byte[] env) {
            Set<String> all = new java.util.HashSet<>();
            for (String e : new String(env, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (!e.isEmpty()) {
                    all.add(e);
                }
            }
            return all;
        }

        /** Whether a command line as /proc shows it holds no argument but empty ones (none at all inside an exec). */
        private static boolean blank(byte[] cmdline) {
            for (byte b : cmdline) {
                if (b != 0) {
                    return false;
                }
            }
            return true;
        }

        /** When the process started, in clock ticks since boot: field 22 of /proc/PID/stat (counted past the command's parentheses). */
        private static long startTicks(java.nio.file.Path proc) throws IOException {
            String stat = java.nio.file.Files.readString(proc.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[22 - 3]);
        }

        /** A number of /proc/PID/status, e.g. {@code Threads:}, or {@code VmSize:} in kB; -1 where it has none. */
        private static long status(java.nio.file.Path proc, String field) throws IOException {
            for (String line : java.nio.file.Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).strip().split("\\s+")[0]);
                }
            }
            return -1;
        }
    }

    /**
     * Waits, up to {@code timeoutMs}, until no spawn of a host that died or froze is on its way to its program
     * any more ({@link HostImage#spawning}): every spawn it began before {@code goneAt} has then exec'd, and
     * carries its group's marks, or has died. (A frozen host's spawns go on to their exec: a stopped parent does not hold its children back.)
     *
     * @param goneAt {@link #bootTicks()} when the host was known dead or frozen
     * @return the spawns that were waited for (empty when there was none)
     */
    static List<Long> awaitSpawns(HostImage image, long host, long goneAt, long timeoutMs) {
        List<Long> first = image.spawning(host, goneAt);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        List<Long> now = first;
        while (!now.isEmpty() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = image.spawning(host, goneAt);
        }
        return first;
    }

    /**
     * The spawns of a host that died or froze, at the end of the fence's wait for their exec
     * ({@link #awaitSpawns}).
     *
     * @param waited  those the wait began with
     * @param killed  those still in the host's image when it ended: the host's own spawns, killed, for each
     *                would exec its resource's program unguarded, after the fence's last look for marks
     * @param unknown those still in the spawn helper or inside an exec: whose they are is unknown, left alone
     */
    record LateSpawns(List<Long> waited, List<Long> killed, List<Long> unknown) {
    }

    /**
     * {@link #awaitSpawns}, then {@code SIGKILL} to the spawns still in the host's own image (a machine can
     * keep a child from a CPU longer than the wait); those in another moment of their spawn are reported.
     */
    static LateSpawns awaitOrKillSpawns(HostImage image, long host, long goneAt, long timeoutMs) {
        List<Long> waited = awaitSpawns(image, host, goneAt, timeoutMs);
        if (waited.isEmpty()) {
            return new LateSpawns(waited, List.of(), List.of());
        }
        List<Long> killed = new java.util.ArrayList<>();
        for (long pid : image.inHostImage(host, goneAt)) {
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroyForcibly();
                killed.add(pid);
            });
        }
        List<Long> unknown = new java.util.ArrayList<>(image.spawning(host, goneAt));
        unknown.removeAll(killed);
        return new LateSpawns(waited, killed, unknown);
    }

    /**
     * The processes whose environment says they belong to one of {@code groups} of {@code node} on the host
     * JVM {@code host} ({@code CLUSWORKER_NODE}, {@code CLUSWORKER_HOST}, {@code CLUSWORKER_GROUP}, which every
     * process and OCF action of a group gets, and their descendants inherit): found even when they started
     * after the last renewal. {@code host} null: any host with that node name.
     */
    static List<Long> marked(String node, String host, List<String> groups) {
        List<Long> found = new java.util.ArrayList<>();
        if (node == null || groups.isEmpty()) {
            return found;
        }
        byte[] nodeMark = ("CLUSWORKER_NODE=" + node).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // another host on this machine may use the same node and group names (another cluster, a test): its processes are not ours
        byte[] hostMark = host == null ? null : ("CLUSWORKER_HOST=" + host).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<byte[]> groupMarks = groups.stream().map(g -> ("CLUSWORKER_GROUP=" + g).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList();
        List<Long> all;
        try {
            all = pids();
        } catch (IOException e) {
            return found;
        }
        for (long pid : all) {
            try {
                byte[] env = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(pid), "environ"));
                if (contains(env, nodeMark) && (hostMark == null || contains(env, hostMark)) && groupMarks.stream().anyMatch(g -> contains(env, g))) {
                    found.add(pid);
                }
            } catch (IOException | RuntimeException gone) {
                // exited, or not ours to read
            }
        }
        return found;
    }

    /** The ids of the processes /proc lists now. */
    private static List<Long> pids() throws IOException {
        try (java.util.stream.Stream<java.nio.file.Path> procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> !n.isEmpty() && n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();     // a listing that failed while it was read: the callers' IOException, not a thread's death
        }
    }

    /**
     * The time since boot in clock ticks, the unit of a process's start time in /proc/PID/stat (USER_HZ, 100
     * on every Linux architecture Java runs on); {@link Long#MAX_VALUE} where /proc/uptime cannot be read, so
     * that a start time compared with it rules nothing out.
     */
    static long bootTicks() {
        try {
            String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")).strip().split("\\s+")[0];
            return new java.math.BigDecimal(up).movePointRight(2).longValue();
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Whether {@code env} (NUL-separated NAME=VALUE) holds exactly the entry {@code entry}. */
    private static boolean contains(byte[] env, byte[] entry) {
        outer:
        for (int i = 0; i + entry.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < entry.length; j++) {
                if (env[i + j] != entry[j]) {
                    continue outer;
                }
            }
            if (i + entry.length == env.length || env[i + entry.length] == 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs every stop command, each within its timeout; an OCF stop succeeds with exit 0, or 7 (not running).
     *
     * @return whether all of them succeeded
     */
    static boolean runStops(List<FenceActions.StopCommand> commands, Consumer<String> log) {
        boolean all = true;
        for (FenceActions.StopCommand c : commands) {
            try {
                // in a session and process group of its own, as the host runs an action: a stop that times out is
                // killed with everything it started (a hung stop's children must not outlive it)
                ProcessBuilder pb = new ProcessBuilder(c.command()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                pb.environment().putAll(c.environment());
                Process p = ProcessTree.start(pb);
                if (!p.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    ProcessTree.awaitOwnGroup(p.toHandle(), java.time.Duration.ofSeconds(1));
                    ProcessTree.killGroup(p.toHandle());
                    log.accept(String.join(" ", c.command()) + " timed out after " + c.timeout().toMillis() + "ms; killed with its process group");
                    all = false;
                } else if (p.exitValue() != 0 && p.exitValue() != 7) {
                    log.accept(String.join(" ", c.command()) + " failed with exit " + p.exitValue());
                    all = false;
                } else {
                    log.accept(String.join(" ", c.command()) + " succeeded (exit " + p.exitValue() + ")");
                }
            } catch (IOException e) {
                log.accept("cannot run " + String.join(" ", c.command()) + ": " + e.getMessage());
                all = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return all;
    }
}
