package org.clusworker.host.time;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write and read them, the one home of their syntax for the configuration, the
 * host's messages and the command line: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 1h}, {@code 2d},
 * and sums of them such as {@code 1m30s}. A bare {@code 0} is zero; any other number needs a unit.
 * {@link #format} writes what {@link #parse} reads; {@link #age} is the short, rounded form of a
 * status table.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** The form every message about a bad duration shows. */
    public static final String EXPECTED = "expected a duration such as 500ms, 30s, 15m or 1h";

    private Durations() {
    }

    /** The duration {@code text} denotes, or empty if it is not a duration. */
    public static Optional<Duration> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        try {
            while (m.lookingAt()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> throw new IllegalStateException("unit " + m.group(2));
                });
                end = m.end();
                m.region(end, s.length());
            }
        } catch (ArithmeticException | NumberFormatException tooBig) {
            return Optional.empty();
        }
        return end == s.length() && end > 0 ? Optional.of(total) : Optional.empty();
    }

    /** Writes {@code d} in the same form, e.g. {@code 1m30s}, {@code 500ms}, {@code 0}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        if (d.isNegative()) {
            b.append('-');
            d = d.negated();
        }
        long days = d.toDays();
        int hours = d.toHoursPart();
        int minutes = d.toMinutesPart();
        int seconds = d.toSecondsPart();
        int millis = d.toMillisPart();
        if (days > 0) {
            b.append(days).append('d');
        }
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (minutes > 0) {
            b.append(minutes).append('m');
        }
        if (seconds > 0) {
            b.append(seconds).append('s');
        }
        if (millis > 0) {
            b.append(millis).append("ms");
        }
        return b.length() == 0 || b.toString().equals("-") ? d.toNanos() + "ns" : b.toString();
    }

    /** A short age for a table, rounded down to two units: {@code 450ms}, {@code 12s}, {@code 3m05s}, {@code 2h10m}, {@code 3d4h}. */
    public static String age(Duration d) {
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long s = d.toSeconds();
        if (s < 1) {
            return d.toMillis() + "ms";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format("%dh%02dm", s / 3600, (s % 3600) / 60);
        }
        return String.format("%dd%dh", s / 86400, (s % 86400) / 3600);
    }
}
