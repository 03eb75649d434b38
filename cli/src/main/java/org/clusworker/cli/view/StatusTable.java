package org.clusworker.cli.view;

import org.clusworker.host.time.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clusworker.host.ResourceStatus;

/**
 * The resources as a table, one row each: state, time in state, restarts, last failure; under a
 * pending resource its last progress report, under a failed one its next attempt. Stateless.
 */
public final class StatusTable {

    private static final String[] HEADER = {"RESOURCE", "TYPE", "STATE", "FOR", "RESTARTS", "LAST FAILURE"};

    private StatusTable() {
    }

    /** The table's lines, at most {@code width} characters each (0 for no limit). */
    public static List<String> render(List<ResourceStatus> statuses, Instant now, int width) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ResourceStatus s : statuses) {
            rows.add(new String[] {s.name(), s.type(), s.state().displayName(),
                    s.since() == null ? "-" : Durations.age(Duration.between(s.since(), now)),
                    Integer.toString(s.restarts()), s.lastFailure() == null ? "-" : oneLine(s.lastFailure())});
        }
        int[] w = new int[HEADER.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(i == r.length - 1 ? r[i] : pad(r[i], w[i] + 2));
            }
            lines.add(clip(b.toString().stripTrailing(), width));
            if (k > 0) {
                detail(statuses.get(k - 1), now).ifPresent(d -> lines.add(clip(d, width)));
            }
        }
        return lines;
    }

    private static java.util.Optional<String> detail(ResourceStatus s, Instant now) {
        if (s.state().isPending() && (s.checkpoint() > 0 || s.progress() != null)) {
            return java.util.Optional.of("  └ checkpoint " + s.checkpoint()
                    + (s.progress() == null ? "" : ": " + oneLine(s.progress())));
        }
        if (s.nextAttempt() != null && !s.state().isPending()) {
            return java.util.Optional.of("  └ next attempt in " + Durations.age(Duration.between(now, s.nextAttempt())));
        }
        return java.util.Optional.empty();
    }

    private static String pad(String s, int n) {
        return s.length() >= n ? s : s + " ".repeat(n - s.length());
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String clip(String s, int width) {
        return width <= 0 || s.length() <= width ? s : s.substring(0, Math.max(0, width - 1)) + "…";
    }
}
