package org.clusworker.agents.support;

import java.util.Map;

/**
 * A process's exit as a reader wants it. The JDK reports a process killed by signal N as exit value
 * 128 + N (as a shell does), so 137 reads "killed by SIGKILL (exit 137)" and 3 reads "exited with code 3".
 */
public final class ExitStatus {

    private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"),
            Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"));

    private ExitStatus() {
    }

    /** {@code "killed by SIGKILL (exit 137)"} or {@code "exited with code 3"}. */
    public static String describe(int exitValue) {
        String signal = exitValue > 128 ? SIGNALS.get(exitValue - 128) : null;
        return signal != null ? "killed by " + signal + " (exit " + exitValue + ")" : "exited with code " + exitValue;
    }
}
