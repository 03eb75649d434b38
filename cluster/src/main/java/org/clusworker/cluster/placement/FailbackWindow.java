package org.clusworker.cluster.placement;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The hours in which a failback may happen (CLUSTER.md §1.5, Windows' FailbackWindowStart and
 * FailbackWindowEnd): from {@code start} (inclusive) to {@code end} (exclusive), in the cluster's local
 * time; {@code 22-6} wraps midnight (22:00 to 05:59), {@code 9-17} is 09:00 to 16:59.
 *
 * @param start the first hour of the window, 0–23
 * @param end   the hour the window closes, 0–23, other than {@code start}
 */
public record FailbackWindow(int start, int end) {

    /** What {@link #parse} accepts, for messages. */
    public static final String EXPECTED = "START-END, hours 0 to 23 in the cluster's local time, START included and END not, e.g. \"22-6\" (wraps midnight) or \"9-17\"";

    public FailbackWindow {
        if (start < 0 || start > 23 || end < 0 || end > 23) {
            throw new IllegalArgumentException("failback window " + start + "-" + end + " (expected: " + EXPECTED + ")");
        }
        if (start == end) {
            throw new IllegalArgumentException("failback window " + start + "-" + end
                    + " (expected: two different hours; leave the window out to fail back at any time)");
        }
    }

    /** {@code "22-6"} as a window; empty if it is not {@code START-END} with hours 0–23 that differ. */
    public static Optional<FailbackWindow> parse(String text) {
        String[] parts = text.strip().split("-", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            int s = Integer.parseInt(parts[0].strip());
            int e = Integer.parseInt(parts[1].strip());
            if (s < 0 || s > 23 || e < 0 || e > 23 || s == e) {
                return Optional.empty();
            }
            return Optional.of(new FailbackWindow(s, e));
        } catch (NumberFormatException x) {
            return Optional.empty();
        }
    }

    /** Whether the window wraps midnight ({@code start > end}). */
    public boolean wrapsMidnight() {
        return start > end;
    }

    /** Whether the local hour {@code hour} is inside the window. */
    public boolean containsHour(int hour) {
        return wrapsMidnight() ? hour >= start || hour < end : hour >= start && hour < end;
    }

    /** Whether {@code t} is inside the window, in {@code zone}. */
    public boolean contains(Instant t, ZoneId zone) {
        return containsHour(t.atZone(zone).getHour());
    }

    /** {@code t} if it is inside the window, else the next time the window opens after it, in {@code zone}. */
    public Instant nextOpen(Instant t, ZoneId zone) {
        if (contains(t, zone)) {
            return t;
        }
        ZonedDateTime local = t.atZone(zone);
        LocalDate day = local.toLocalDate();
        for (int i = 0; i < 3; i++) {
            Instant open = ZonedDateTime.of(day.plusDays(i), LocalTime.of(start, 0), zone).toInstant();
            if (open.isAfter(t) && contains(open, zone)) {      // not when the opening hour fell into a daylight-saving gap
                return open;
            }
        }
        throw new IllegalStateException("failback window " + this + ": no opening after " + t + " in " + zone);
    }

    /** {@code 22-6}, as the configuration writes it. */
    @Override
    public String toString() {
        return start + "-" + end;
    }
}
