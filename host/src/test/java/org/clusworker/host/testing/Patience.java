package org.clusworker.host.testing;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one real-time bound of the host tests' waits, generous and never what a test measures, and the
 * one wait loop the test doubles share.
 */
public final class Patience {

    public static final Duration PATIENCE = Duration.ofSeconds(10);

    private Patience() {
    }

    /**
     * Under {@code lock}, waits on {@code changed} until {@code probe} answers non-null, and returns that
     * answer; after {@link #PATIENCE}, fails with "Expected " + {@code expectation} (computed then, under
     * the lock). An interrupt fails at once, the interrupt status restored.
     */
    static <T> T await(ReentrantLock lock, Condition changed, Supplier<T> probe, Supplier<String> expectation) {
        long nanos = PATIENCE.toNanos();
        lock.lock();
        try {
            for (;;) {
                T found = probe.get();
                if (found != null) {
                    return found;
                }
                if (nanos <= 0) {
                    throw new AssertionError("Expected " + expectation.get());
                }
                nanos = changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            lock.unlock();
        }
    }
}
