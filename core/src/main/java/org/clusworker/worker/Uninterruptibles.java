package org.clusworker.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The one place where a wait keeps going through interrupts and restores the interrupt status when
 * it ends, as the terminate functions promise.
 */
final class Uninterruptibles {

    private Uninterruptibles() {
    }

    /** Waits for the latch; {@code true} if it reached zero within {@code nanos} ({@link Durations#FOREVER}: no limit). */
    static boolean await(CountDownLatch latch, long nanos) {
        return wait(nanos, remaining -> {
            if (remaining == Durations.FOREVER) {
                latch.await();
                return true;
            }
            return latch.await(remaining, TimeUnit.NANOSECONDS);
        });
    }

    /** Joins the thread; {@code true} if it terminated within {@code nanos}. */
    static boolean join(Thread thread, long nanos) {
        return wait(nanos, remaining -> {
            if (remaining == Durations.FOREVER) {
                thread.join();
                return true;
            }
            return thread.join(Duration.ofNanos(remaining));
        });
    }

    private static boolean wait(long nanos, TimedWait wait) {
        Deadline deadline = Deadline.after(Duration.ofNanos(nanos));
        return deadline.awaitUninterruptibly(remaining -> wait.await(deadline.isForever() ? Durations.FOREVER : remaining.toNanos()));
    }

    @FunctionalInterface
    private interface TimedWait {
        boolean await(long remainingNanos) throws InterruptedException;
    }
}
