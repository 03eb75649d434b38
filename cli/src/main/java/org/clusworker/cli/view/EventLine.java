package org.clusworker.cli.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceEvent;
import org.clusworker.host.ResourceStatus;

/**
 * One event as a log line, e.g. {@code 2025-01-01 10:00:00.000 web: Offline -> OnlinePending (online requested)}
 * for a transition, {@code ... cache: OnlinePending, checkpoint 3: warming 3/5} for a progress report.
 */
public final class EventLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private EventLine() {
    }

    /** A time as the lines write it. */
    public static String time(Instant t) {
        return TIME.format(t);
    }

    public static String of(ResourceEvent e) {
        return (e.time() == null ? "" : TIME.format(e.time()) + " ") + e.resource() + ": " + e.from().displayName()
                + " -> " + e.to().displayName() + (e.cause() == null || e.cause().isBlank() ? "" : " (" + e.cause() + ")");
    }

    /** Any event: a transition or progress report as above, else {@code TIME web: failure: ...}, {@code TIME host ...}. */
    public static String of(HostEvent e) {
        return switch (e.kind()) {
            case TRANSITION -> of(e.asTransition());
            case PROGRESS -> progress(e.time(), e.status());
            case FAILURE, RETRY -> TIME.format(e.time()) + " " + e.resource() + ": " + e.kind().wireName() + ": " + e.message();
            case HOST -> TIME.format(e.time()) + " " + e.message();
            default -> throw new IllegalStateException("event kind " + e.kind());
        };
    }

    /** {@code TIME cache: OnlinePending, checkpoint 3: warming 3/5} (without the message if it had none). */
    static String progress(Instant time, ResourceStatus s) {
        return TIME.format(time) + " " + s.name() + ": " + s.state().displayName() + ", checkpoint " + s.checkpoint()
                + (s.progress() == null ? "" : ": " + s.progress());
    }

    /** The same, with the time only ({@code 10:00:00}), for the live view. */
    public static String brief(ResourceEvent e) {
        String line = of(e);
        return line.length() > 11 && e.time() != null ? line.substring(11, 19) + line.substring(23) : line;
    }
}
