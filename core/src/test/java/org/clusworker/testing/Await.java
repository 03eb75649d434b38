package org.clusworker.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition that the test expects to become true, with a generous bound that is never
 * the thing under test: it only keeps a broken build from hanging.
 */
public final class Await {

    /** Long enough for any thread hand-off on a loaded 2-core machine. */
    public static final Duration GENEROUS = Duration.ofSeconds(30);

    private Await() {
    }

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + GENEROUS + " waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Waits until {@code thread} is blocked (WAITING or TIMED_WAITING). */
    public static void blocked(Thread thread) {
        until(thread.getName() + " is blocked", () -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }

    /** Starts a platform thread that runs {@code body}. */
    public static Thread startThread(String name, Runnable body) {
        Thread t = Thread.ofPlatform().name(name).daemon(true).start(body);
        return t;
    }
}
