package org.clusworker.host.engine;

import org.clusworker.host.agent.AgentException;

import java.time.Duration;
import java.util.List;

/** How the host writes states, durations, failures and stacks in its messages. */
public final class Texts {

    private Texts() {
    }

    /** {@code 500ms}, {@code 180s}, {@code 300s}, {@code 15m}, {@code 1h}: seconds up to 10 minutes, as Windows states its defaults. */
    public static String duration(Duration d) {
        long millis = d.toMillis();
        if (millis >= 3_600_000 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis >= 600_000 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }

    private static final java.time.format.DateTimeFormatter LOCAL_TIME =
            java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneId.systemDefault());

    /** A moment as a reader on this machine wants it in a message: its local time, {@code 11:02:07}. */
    public static String time(java.time.Instant t) {
        return LOCAL_TIME.format(t);
    }

    /** An agent's failure as a reader wants it: the message of an {@link org.clusworker.host.agent.AgentException}, else the throwable. */
    static String failure(Throwable t) {
        if (t instanceof org.clusworker.host.agent.AgentException && t.getMessage() != null) {
            return t.getMessage();
        }
        return t.toString();
    }

    /** The stack as {@code Throwable.printStackTrace} writes it, one frame a line. */
    static String stack(List<StackTraceElement> stack) {
        StringBuilder sb = new StringBuilder();
        for (StackTraceElement e : stack) {
            sb.append(System.lineSeparator()).append("\tat ").append(e);
        }
        return sb.toString();
    }
}
