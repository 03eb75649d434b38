package org.clusworker.worker;

import java.time.Duration;
import java.util.Objects;

/** Timeouts as nanoseconds, where {@link #FOREVER} means no limit. */
final class Durations {

    /** No limit. Any timeout of about 146 years or more is treated as this. */
    static final long FOREVER = Long.MAX_VALUE;

    private Durations() {
    }

    static long toNanos(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(name + ": " + timeout + " (expected: >= 0)");
        }
        try {
            long nanos = timeout.toNanos();
            return nanos >= FOREVER / 2 ? FOREVER : nanos;
        } catch (ArithmeticException tooLong) {
            return FOREVER;
        }
    }

    static long deadline(long nanos) {
        return nanos == FOREVER ? FOREVER : System.nanoTime() + nanos;
    }

    static long remaining(long deadline) {
        return deadline == FOREVER ? FOREVER : Math.max(0L, deadline - System.nanoTime());
    }
}
