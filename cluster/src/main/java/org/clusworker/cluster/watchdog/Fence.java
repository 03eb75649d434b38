package org.clusworker.cluster.watchdog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.clusworker.host.agent.FenceActions;

/** What a watchdog does to stop a dead host's resources: kill their process trees and groups, run their stop commands. */
final class Fence {

    /** How long a killed process may take to be gone. */
    private static final long GONE_WITHIN_MS = 5_000;

    private Fence() {
    }

    /**
     * Kills every process, its descendants (found before any dies: orphans are re-parented and lost) and
     * every member of the process group it leads (so a double-forked descendant is found too).
     *
     * @return whether all of them are gone
     */
    static boolean kill(List<Long> pids, Consumer<String> log) {
        Set<ProcessHandle> all = new LinkedHashSet<>();
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                all.add(p);
                try (Stream<ProcessHandle> d = p.descendants()) {
                    d.forEach(all::add);
                }
            });
            all.addAll(groupMembers(pid));
        }
        if (all.isEmpty()) {
            return true;
        }
        for (long pid : pids) {
            if (groupMembers(pid).stream().anyMatch(h -> h.pid() == pid)) {
                signalGroup(pid);
            }
        }
        all.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GONE_WITHIN_MS);
        while (all.stream().anyMatch(Fence::running) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<Long> left = all.stream().filter(Fence::running).map(ProcessHandle::pid).toList();
        log.accept("killed " + all.size() + " process(es)" + (left.isEmpty() ? "" : "; still alive: " + left));
        return left.isEmpty();
    }

    /**
     * Whether the process still runs: alive and not a zombie (a killed orphan stays a zombie until its new
     * parent reaps it, which some init processes do only every second or so; it runs nothing meanwhile).
     */
    static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"), StandardCharsets.US_ASCII);
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException gone) {
            return p.isAlive();
        }
    }

    /** The processes whose process group is {@code pgid} (from /proc; empty where there is no /proc). */
    static List<ProcessHandle> groupMembers(long pgid) {
        List<ProcessHandle> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(p -> {
                if (pgidOf(p).filter(g -> g == pgid).isPresent()) {
                    ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(members::add);
                }
            });
        } catch (IOException | RuntimeException e) {
            return members;
        }
        return members;
    }

    /** Field 5 of /proc/PID/stat, read after the last ')' (the command name may hold spaces and parentheses). */
    private static Optional<Long> pgidOf(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(f[2]));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    private static void signalGroup(long pgid) {
        try {
            Process k = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the per-process kills below still run
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
                ProcessBuilder pb = new ProcessBuilder(c.command()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                pb.environment().putAll(c.environment());
                Process p = pb.start();
                if (!p.waitFor(c.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    log.accept(String.join(" ", c.command()) + " timed out after " + c.timeout().toMillis() + "ms");
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
