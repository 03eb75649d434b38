package org.clusworker.benchmarks;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Helpers the benchmarks share: wait until a thread is parked, and daemon thread factories. */
final class Threads {

    /** How long a benchmark waits for a thread to park or to stop before it fails. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    private Threads() {
    }

    /**
     * Waits until {@code thread} is parked with {@code blocker} as its park blocker, so that a timed
     * region that follows measures a wake-up from a real park, not a race with a thread still starting.
     *
     * @throws IllegalStateException if it has not parked within {@link #PATIENCE}
     */
    static void awaitParked(Thread thread, Object blocker) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (LockSupport.getBlocker(thread) != blocker || thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(thread + " did not park on " + blocker + " within " + PATIENCE
                        + "; it is " + thread.getState());
            }
            if (!thread.isAlive() && thread.getState() == Thread.State.TERMINATED) {
                throw new IllegalStateException(thread + " ended before it parked");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Waits until {@code thread} is in {@code state} (e.g. {@code TIMED_WAITING} in {@code Thread.sleep}).
     *
     * @throws IllegalStateException if it has not got there within {@link #PATIENCE}
     */
    static void awaitState(Thread thread, Thread.State state) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (thread.getState() != state) {
            if (System.nanoTime() - deadline > 0 || thread.getState() == Thread.State.TERMINATED) {
                throw new IllegalStateException(thread + " is " + thread.getState() + ", not " + state
                        + ", after " + PATIENCE);
            }
            Thread.onSpinWait();
        }
    }

    /** Joins {@code thread} for up to {@link #PATIENCE}, keeping the interrupt status. */
    static boolean join(Thread thread) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return thread.join(PATIENCE);
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

    /** A factory of platform daemon threads, as {@code Worker.builder(..).platform()} makes. */
    static ThreadFactory platformDaemons() {
        return Thread.ofPlatform().daemon(true).factory();
    }

    static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A benchmark's tear-down, as a value. */
    @FunctionalInterface
    interface TearDown {
        void run() throws InterruptedException;
    }

    /**
     * JMH skips {@code @TearDown} when a benchmark throws: stop everything, then let the failure through.
     * A failure of the tear-down itself is kept as suppressed; an interrupt is restored.
     */
    static void cleanUpAfter(Throwable failure, TearDown tearDown) {
        try {
            tearDown.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.addSuppressed(e);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
