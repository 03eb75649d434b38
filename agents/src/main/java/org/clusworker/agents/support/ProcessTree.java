package org.clusworker.agents.support;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Signals to a process and its descendants, by {@link ProcessHandle}. {@code TERM} and {@code KILL}
 * go through {@link ProcessHandle#destroy()} and {@link ProcessHandle#destroyForcibly()}; any other
 * signal through the {@code kill -s SIGNAL PID...} command. Stateless; safe from any thread.
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
        List<ProcessHandle> alive = processes.stream().filter(ProcessHandle::isAlive).toList();
        if (alive.isEmpty()) {
            return;
        }
        switch (signal) {
            case "TERM" -> alive.forEach(ProcessHandle::destroy);
            case "KILL" -> alive.forEach(ProcessHandle::destroyForcibly);
            default -> kill(signal, alive);
        }
    }

    /** Kills the process and all its descendants at once ({@code SIGKILL}). Never blocks for long. */
    public static void killTree(ProcessHandle root) {
        List<ProcessHandle> all = snapshot(root);
        // children first, then the parent, so none of them can fork a new child behind our back
        for (int i = all.size() - 1; i >= 0; i--) {
            all.get(i).destroyForcibly();
        }
    }

    /** Whether every process of the list has exited. */
    public static boolean allExited(List<ProcessHandle> processes) {
        return processes.stream().noneMatch(ProcessHandle::isAlive);
    }

    private static void kill(String signal, List<ProcessHandle> alive) {
        List<String> cmd = new ArrayList<>(List.of("kill", "-s", signal));
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
