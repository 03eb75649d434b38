package org.clusworker.host.events;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.clusworker.host.ResourceHost;

import java.time.Duration;
import org.clusworker.worker.Deadline;
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

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition quiet = lock.newCondition();
    @GuardedBy("lock")
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
        try {
            return await(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * As {@link #awaitQuiescence}, but an interrupt does not end the wait: it goes on until quiescent or
     * {@code timeout}, and the interrupt status is restored before returning.
     */
    public boolean awaitQuiescenceUninterruptibly(Duration timeout) {
        return Deadline.after(timeout).awaitUninterruptibly(this::await);
    }

    private boolean await(Duration timeout) throws InterruptedException {
        long nanos = Deadline.nanos(timeout);
        lock.lock();
        try {
            while (active > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = quiet.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
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
}
