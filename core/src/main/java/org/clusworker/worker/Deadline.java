package org.clusworker.worker;

import java.time.Duration;

/**
 * A real-time deadline ({@link System#nanoTime()}), for code that waits for threads in several steps
 * under one time limit, as {@link Worker#terminateAll} does. A timeout too long for a {@code long} of
 * nanoseconds (about 146 years or more) is no limit at all. Immutable.
 */
public final class Deadline {

    private final long deadline;

    private Deadline(long deadline) {
        this.deadline = deadline;
    }

    /**
     * The deadline {@code timeout} from now.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static Deadline after(Duration timeout) {
        return new Deadline(Durations.deadline(Durations.toNanos(timeout, "timeout")));
    }

    /** {@code timeout} in nanoseconds, saturating at {@link Long#MAX_VALUE} (no limit). */
    public static long nanos(Duration timeout) {
        return Durations.toNanos(timeout, "timeout");
    }

    /** Whether there is no limit. */
    public boolean isForever() {
        return deadline == Durations.FOREVER;
    }

    /** The time left, never negative; {@code Long.MAX_VALUE} nanoseconds for no limit. */
    public Duration remaining() {
        return Duration.ofNanos(Durations.remaining(deadline));
    }

    /** Whether it has passed. */
    public boolean expired() {
        return Durations.remaining(deadline) == 0;
    }

    /**
     * Waits with {@code wait} until it answers {@code true} or this deadline passes, through interrupts:
     * an interrupt does not end the wait early, and the interrupt status is restored when it ends (the
     * one uninterruptible wait of clusworker, shared with the terminate functions).
     *
     * @return what {@code wait} last answered
     */
    public boolean awaitUninterruptibly(TimedWait wait) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return wait.await(remaining());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A wait of at most {@code remaining} that may be interrupted. */
    @FunctionalInterface
    public interface TimedWait {
        boolean await(Duration remaining) throws InterruptedException;
    }

    @Override
    public String toString() {
        return isForever() ? "Deadline[none]" : "Deadline[in " + remaining() + "]";
    }
}
