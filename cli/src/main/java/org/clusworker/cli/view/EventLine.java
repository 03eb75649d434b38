package org.clusworker.cli.view;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.clusworker.host.ResourceEvent;

/** One transition as a log line: {@code 2025-01-01 10:00:00.000 web: Offline -> OnlinePending (online requested)}. */
public final class EventLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private EventLine() {
    }

    /** A time as the lines write it. */
    public static String time(java.time.Instant t) {
        return TIME.format(t);
    }

    public static String of(ResourceEvent e) {
        return (e.time() == null ? "" : TIME.format(e.time()) + " ") + e.resource() + ": " + e.from().displayName()
                + " -> " + e.to().displayName() + (e.cause() == null || e.cause().isBlank() ? "" : " (" + e.cause() + ")");
    }

    /** The same, with the time only ({@code 10:00:00}), for the live view. */
    public static String brief(ResourceEvent e) {
        String line = of(e);
        return line.length() > 11 && e.time() != null ? line.substring(11, 19) + line.substring(23) : line;
    }
}
