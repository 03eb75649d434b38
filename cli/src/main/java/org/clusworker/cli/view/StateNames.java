package org.clusworker.cli.view;

import java.time.Duration;

/** How ages read on screen; states read as {@link org.clusworker.host.ResourceState#displayName()}. */
public final class StateNames {

    private StateNames() {
    }

    /** A short age: {@code 450ms}, {@code 12s}, {@code 3m05s}, {@code 2h10m}, {@code 3d4h}. */
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
