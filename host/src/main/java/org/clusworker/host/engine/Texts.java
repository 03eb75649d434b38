package org.clusworker.host.engine;

import org.clusworker.host.agent.AgentException;

import java.time.Duration;
import java.util.List;

/** How the host writes states, durations, failures and stacks in its messages. */
public final class Texts {

    private Texts() {
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
