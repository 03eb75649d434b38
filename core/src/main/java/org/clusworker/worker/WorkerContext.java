package org.clusworker.worker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * What a {@link Routine} sees of its worker: the termination flag, and waits that wake the moment
 * termination is requested instead of polling.
 *
 * <p>The waits may only be called on the worker's own thread (they park it); they throw
 * {@link IllegalStateException} elsewhere. Each checks the flag before it parks, so a request that
 * arrives before or during the wait ends it at once. They throw {@link InterruptedException} when the
 * thread is interrupted, clearing the interrupt status; when the worker interrupts on terminate, the
 * flag is checked first, so such a wait returns {@code true} and leaves the interrupt status set.
 *
 * <p>Implementation note: the context is the {@link Worker} itself, seen through a narrower type, and
 * holds the worker's state word. So the check a routine polls in its loop,
 * {@link #isTerminationRequested()}, is one volatile read of the object it was handed, with no
 * indirection.
 */
public abstract sealed class WorkerContext permits Worker {

    static final int STARTED = 1;
    static final int TERMINATE = 2;
    static final int EXITED = 4;

    static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WorkerContext.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bits STARTED | TERMINATE | EXITED of the {@link Worker}; changed only by CAS / getAndBitwiseOr. */
    volatile int state;

    WorkerContext() {
    }

    /** The worker running this routine. */
    public final Worker worker() {
        return (Worker) this;
    }

    /** Whether termination has been requested: one volatile read, never blocks. */
    public final boolean isTerminationRequested() {
        return (state & TERMINATE) != 0;
    }

    /**
     * Sleeps up to {@code timeout}, waking at once if termination is requested.
     *
     * @return {@code true} if termination has been requested, {@code false} if the time passed first
     * @throws InterruptedException if the thread was interrupted (and termination was not requested)
     */
    public final boolean awaitTermination(Duration timeout) throws InterruptedException {
        return await(NEVER, timeout) == Wake.TERMINATION_REQUESTED;
    }

    /** Waits without limit until termination is requested. Interrupts as {@link #awaitTermination(Duration)}. */
    public final void awaitTermination() throws InterruptedException {
        awaitTermination(Duration.ofNanos(Durations.FOREVER));
    }

    /**
     * Waits up to {@code timeout} until {@code condition} holds, waking at once if termination is
     * requested. Whoever makes the condition true calls {@link Worker#signal()} so the wait re-checks it
     * (a missed signal costs nothing but a later re-check; the condition is also checked after every
     * spurious wake-up). The condition runs on this thread and must not block.
     *
     * @return {@code true} if the condition holds; {@code false} on timeout or termination request
     *         (tell them apart with {@link #isTerminationRequested()})
     * @throws InterruptedException if the thread was interrupted (and termination was not requested)
     */
    public final boolean awaitCondition(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(condition, "condition");
        return await(condition, timeout) == Wake.CONDITION_MET;
    }

    private enum Wake { TERMINATION_REQUESTED, CONDITION_MET, TIMED_OUT }

    private static final BooleanSupplier NEVER = () -> false;

    /** The one wait loop: the flag first, then the condition, then the interrupt, then the time left. */
    private Wake await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long nanos = Durations.toNanos(timeout, "timeout");
        Worker worker = worker();
        worker.requireOwnThread("wait in its context");
        long deadline = Durations.deadline(nanos);
        for (;;) {
            if (isTerminationRequested()) {
                return Wake.TERMINATION_REQUESTED;
            }
            if (condition.getAsBoolean()) {
                return Wake.CONDITION_MET;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException(worker.name() + " was interrupted");
            }
            long remaining = Durations.remaining(deadline);
            if (remaining == 0) {
                return Wake.TIMED_OUT;
            }
            park(remaining);
        }
    }

    /**
     * Registers a callback that runs once when termination is requested (e.g. close the socket this
     * routine is blocked reading). See {@link Worker#onTermination(Runnable)}.
     */
    public abstract Registration onTermination(Runnable callback);

    private void park(long nanos) {
        if (nanos == Durations.FOREVER) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, nanos);
        }
    }
}
