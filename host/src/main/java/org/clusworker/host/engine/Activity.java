package org.clusworker.host.engine;

import org.clusworker.host.ResourceHost;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts what the host is doing: entry-point calls in flight, timer tasks and requests being handled,
 * events not yet delivered. Zero means quiescent: nothing will change until a clock tick, a request or
 * an agent's signal. {@link ResourceHost#close()} waits for it, and so do tests after advancing a fake clock.
 *
 * <p>Implementation notes: a counter under its own lock, which is always the innermost lock (taken under
 * resource locks, never taking any). An abandoned call leaves the count when it is abandoned and
 * re-enters while it handles its late return.
 */
public final class Activity {

    private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    /** @GuardedBy("lock") */
    private int active;

    public void enter() {
        lock.lock();
        try {
            active++;
        } finally {
            lock.unlock();
        }
    }

    public void exit() {
        lock.lock();
        try {
            if (active <= 0) {
                throw new IllegalStateException("Expected activity to be above 0, but was " + active);
            }
            if (--active == 0) {
                quiet.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits, in real time, until nothing is active.
     *
     * <p>Interrupts: the wait ends at once and the interrupt status is kept; the result is then {@code false}.
     *
     * @return {@code true} once quiescent, {@code false} if {@code timeout} passed first (or on interrupt)
     */
    public boolean awaitQuiescence(Duration timeout) {
        long nanos = nanos(timeout);
        lock.lock();
        try {
            while (active > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = quiet.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #awaitQuiescence}, but an interrupt does not end the wait: it goes on until quiescent or
     * {@code timeout}, and the interrupt status is restored before returning.
     */
    public boolean awaitQuiescenceUninterruptibly(Duration timeout) {
        long deadline = deadline(timeout);
        boolean interrupted = false;
        try {
            for (;;) {
                boolean quiet = awaitQuiescence(remaining(deadline));
                if (quiet || !Thread.interrupted()) {
                    return quiet;
                }
                interrupted = true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** How much is active now (diagnostics). */
    public int active() {
        lock.lock();
        try {
            return active;
        } finally {
            lock.unlock();
        }
    }

    /** A real-time deadline {@code timeout} from now, for {@link #remaining}. */
    public static long deadline(Duration timeout) {
        long nanos = nanos(timeout);
        long now = System.nanoTime();
        return nanos >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE : now + nanos;
    }

    /** What is left until {@code deadline}, never negative. */
    public static Duration remaining(long deadline) {
        return deadline == Long.MAX_VALUE ? FOREVER : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    /** The duration in nanoseconds, saturating at {@link Long#MAX_VALUE}. */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
