package org.clusworker.resapi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Optional;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerStartException;

/**
 * {@code CLUS_WORKER}: the record a caller owns for one worker thread, {@code {hThread, Terminate}}.
 *
 * <p>It starts zeroed (no thread, flag false) and is reused across create/terminate cycles: each
 * {@link ResUtils#clusWorkerCreate} puts a new {@link Worker} in it, so a new routine never sees an old
 * routine's flag, and a late terminate aimed at an old thread never touches the new one. Callers treat
 * it as read-only; only {@link ResUtils} changes it.
 *
 * <p>Thread-safety: the current worker is a single volatile reference, replaced by compare-and-set, so
 * of two concurrent creates on one record exactly one succeeds.
 */
public final class ClusWorker {

    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(ClusWorker.class, "current", Worker.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The worker of the latest successful create; {@code null} while zeroed. Replaced only by CAS. */
    private volatile Worker current;

    /** A zeroed record: no thread, flag false. */
    public ClusWorker() {
    }

    /** {@code hThread}: the thread of the latest create, or {@code null} if there has been none. */
    public Thread hThread() {
        Worker w = current;
        return w == null ? null : w.thread();
    }

    /** {@code Terminate}: the flag, as {@link ResUtils#clusWorkerCheckTerminate} reads it. */
    public boolean terminateFlag() {
        Worker w = current;
        return w != null && w.isTerminationRequested();
    }

    /**
     * The Java worker of the latest create, for what Windows lacks: its exit code and failure, its
     * stack, wake-on-terminate waits ({@link Worker#context()}), termination callbacks.
     */
    public Optional<Worker> worker() {
        return Optional.ofNullable(current);
    }

    Worker current() {
        return current;
    }

    int create(WorkerStartRoutine start, Object parameter, Worker.Builder builder) {
        Worker previous = current;
        if (previous != null && (!previous.isExited() || previous.thread().isAlive())) {
            return Win32Error.ERROR_BUSY;           // its routine runs, or its thread has not yet terminated
        }
        Worker next;
        try {
            next = builder.unstarted(context -> start.run(this, parameter));
        } catch (WorkerStartException e) {
            return Win32Error.ERROR_NOT_ENOUGH_MEMORY;
        }
        if (!CURRENT.compareAndSet(this, previous, next)) {
            return Win32Error.ERROR_BUSY;           // a concurrent create won
        }
        try {
            next.start();
        } catch (WorkerStartException e) {
            CURRENT.compareAndSet(this, next, previous);
            return Win32Error.ERROR_NOT_ENOUGH_MEMORY;
        }
        return Win32Error.ERROR_SUCCESS;
    }

    @Override
    public String toString() {
        Worker w = current;
        return w == null ? "ClusWorker[zeroed]" : "ClusWorker[" + w + "]";
    }
}
