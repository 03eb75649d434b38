package org.clusworker.resapi;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.clusworker.worker.TerminationReport;
import org.clusworker.worker.Worker;

/**
 * The worker functions of the Windows Failover Clustering resource utility library (resapi.h), with
 * their Win32 signatures, return codes and semantics, as a thin layer over {@link Worker}.
 *
 * <p>Where Windows is silent, these functions decide as follows (and each decision is tested):
 * <ul>
 *   <li>Timeouts: {@code 0} polls, {@link #INFINITE} waits without limit, any other negative value is
 *       {@link Win32Error#ERROR_INVALID_PARAMETER}.</li>
 *   <li>Functions that return a code report a bad argument as {@code ERROR_INVALID_PARAMETER} and do
 *       nothing; the {@code void} and {@code boolean} ones throw {@link NullPointerException} for a
 *       {@code null} worker.</li>
 *   <li>Waits keep going through interrupts and restore the interrupt status when they end.</li>
 *   <li>"Exited" means the thread has terminated, as a wait on the Win32 thread handle does.</li>
 * </ul>
 *
 * <p>Threads are platform daemon threads named {@code clusworker-worker-<n>}.
 */
public final class ResUtils {

    /** {@code INFINITE} ({@code 0xFFFFFFFF}): wait without limit. */
    public static final int INFINITE = -1;

    private static final Worker.Builder THREADS = Worker.builder("worker");
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();

    private ResUtils() {
    }

    /**
     * {@code ClusWorkerCreate}: starts a new thread running {@code lpStartAddress.run(lpWorker, lpParameter)}.
     * The flag is false and the thread is published in {@code lpWorker} before the routine runs.
     *
     * @return {@link Win32Error#ERROR_SUCCESS}; {@link Win32Error#ERROR_INVALID_PARAMETER} if the worker or
     *         the routine is {@code null}; {@link Win32Error#ERROR_BUSY} if the worker's previous thread is
     *         still alive, even if its routine has returned (nothing is started); {@link Win32Error#ERROR_NOT_ENOUGH_MEMORY} if the thread
     *         could not be created (the worker is left as it was)
     */
    public static int clusWorkerCreate(ClusWorker lpWorker, WorkerStartRoutine lpStartAddress, Object lpParameter) {
        return create(lpWorker, lpStartAddress, lpParameter, THREADS);
    }

    static int create(ClusWorker lpWorker, WorkerStartRoutine lpStartAddress, Object lpParameter, Worker.Builder threads) {
        if (lpWorker == null || lpStartAddress == null) {
            return Win32Error.ERROR_INVALID_PARAMETER;
        }
        return lpWorker.create(lpStartAddress, lpParameter, threads);
    }

    /**
     * {@code ClusWorkerCheckTerminate}: whether termination has been requested. One volatile read of the
     * worker's flag; never blocks.
     *
     * @throws NullPointerException if {@code lpWorker} is {@code null}
     */
    public static boolean clusWorkerCheckTerminate(ClusWorker lpWorker) {
        Worker w = Objects.requireNonNull(lpWorker, "lpWorker").current();
        return w != null && w.isTerminationRequested();
    }

    /**
     * {@code ClusWorkerTerminate}. With no thread, returns at once. The first call (flag false) sets the
     * flag and waits without limit until the thread has exited; later calls (flag already true) return
     * at once, possibly before the thread has exited. Called on the worker's own thread, it sets the
     * flag and returns. An interrupt does not end the wait; the interrupt status is restored after it.
     *
     * @throws NullPointerException if {@code lpWorker} is {@code null}
     */
    public static void clusWorkerTerminate(ClusWorker lpWorker) {
        Worker w = Objects.requireNonNull(lpWorker, "lpWorker").current();
        if (w != null && w.requestTermination() && w.thread() != Thread.currentThread()) {
            w.join(FOREVER);
        }
    }

    /**
     * {@code ClusWorkerTerminateEx}: waits up to {@code timeoutInMilliseconds} for the thread to exit,
     * setting the flag first unless {@code waitOnly}.
     *
     * @return {@link Win32Error#ERROR_SUCCESS} once the thread has exited (or if there is none);
     *         {@link Win32Error#WAIT_TIMEOUT} if it is still running at the deadline;
     *         {@link Win32Error#ERROR_POSSIBLE_DEADLOCK} on the worker's own thread (the flag is still set
     *         unless {@code waitOnly}); {@link Win32Error#ERROR_INVALID_PARAMETER} for a {@code null} worker
     *         or a negative timeout other than {@link #INFINITE}
     */
    public static int clusWorkerTerminateEx(ClusWorker clusWorker, int timeoutInMilliseconds, boolean waitOnly) {
        if (clusWorker == null || !isValidTimeout(timeoutInMilliseconds)) {
            return Win32Error.ERROR_INVALID_PARAMETER;
        }
        Worker w = clusWorker.current();
        if (w == null) {
            return Win32Error.ERROR_SUCCESS;
        }
        if (!waitOnly) {
            w.requestTermination();
        }
        if (w.thread() == Thread.currentThread()) {
            return Win32Error.ERROR_POSSIBLE_DEADLOCK;
        }
        return w.join(toDuration(timeoutInMilliseconds)) ? Win32Error.ERROR_SUCCESS : Win32Error.WAIT_TIMEOUT;
    }

    /**
     * {@code ClusWorkersTerminate}: {@link #clusWorkerTerminateEx} over the first {@code clusWorkersCount}
     * workers with one deadline for all. Unless {@code waitOnly}, every flag is set before any waiting,
     * so the workers stop in parallel. {@code null} entries and never-started workers are skipped.
     *
     * @return {@link Win32Error#ERROR_SUCCESS} if every thread has exited (a count of 0 included);
     *         {@link Win32Error#WAIT_TIMEOUT} if at least one is still running at the deadline;
     *         {@link Win32Error#ERROR_POSSIBLE_DEADLOCK} if one of them is the caller's own (flags are set,
     *         nothing is waited for); {@link Win32Error#ERROR_INVALID_PARAMETER} for a negative count, a
     *         count beyond the array, a {@code null} array with a positive count, or a bad timeout
     */
    public static int clusWorkersTerminate(ClusWorker[] clusWorkers, int clusWorkersCount,
                                           int timeoutInMilliseconds, boolean waitOnly) {
        if (clusWorkersCount < 0 || !isValidTimeout(timeoutInMilliseconds)
                || (clusWorkersCount > 0 && (clusWorkers == null || clusWorkersCount > clusWorkers.length))) {
            return Win32Error.ERROR_INVALID_PARAMETER;
        }
        List<Worker> workers = new ArrayList<>(clusWorkersCount);
        boolean ownThread = false;
        for (int i = 0; i < clusWorkersCount; i++) {
            Worker w = clusWorkers[i] == null ? null : clusWorkers[i].current();
            if (w != null) {
                workers.add(w);
                ownThread |= w.thread() == Thread.currentThread();
            }
        }
        if (!waitOnly) {
            for (Worker w : workers) {
                w.requestTermination();
            }
        }
        if (ownThread) {
            return Win32Error.ERROR_POSSIBLE_DEADLOCK;
        }
        long start = System.nanoTime();
        Duration timeout = toDuration(timeoutInMilliseconds);
        TerminationReport report = Worker.awaitAll(workers, timeout);
        if (!report.allExited()) {
            return Win32Error.WAIT_TIMEOUT;
        }
        for (Worker w : workers) {
            Duration left = timeout == FOREVER ? FOREVER : timeout.minusNanos(System.nanoTime() - start);
            if (!w.join(left.isNegative() ? Duration.ZERO : left)) {
                return Win32Error.WAIT_TIMEOUT;
            }
        }
        return Win32Error.ERROR_SUCCESS;
    }

    /**
     * Beyond Windows: sleeps up to {@code timeoutInMilliseconds} on the worker's own thread, waking at once
     * when termination is requested, instead of polling {@link #clusWorkerCheckTerminate} in a loop.
     * Returns the flag, like {@code clusWorkerCheckTerminate}. An interrupt ends the wait early and stays set.
     *
     * @throws NullPointerException     if {@code lpWorker} is {@code null}
     * @throws IllegalArgumentException for a negative timeout other than {@link #INFINITE}
     * @throws IllegalStateException    if not called on the worker's own thread
     */
    public static boolean clusWorkerWaitTerminate(ClusWorker lpWorker, int timeoutInMilliseconds) {
        Worker w = Objects.requireNonNull(lpWorker, "lpWorker").current();
        if (!isValidTimeout(timeoutInMilliseconds)) {
            throw new IllegalArgumentException("timeoutInMilliseconds: " + timeoutInMilliseconds
                    + " (expected: >= 0 or INFINITE)");
        }
        if (w == null || w.thread() != Thread.currentThread()) {
            throw new IllegalStateException("clusWorkerWaitTerminate must be called by the worker's own routine");
        }
        try {
            return w.context().awaitTermination(toDuration(timeoutInMilliseconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();     // restored: the caller's routine decides what it means
            return w.isTerminationRequested();
        }
    }

    private static boolean isValidTimeout(int timeoutInMilliseconds) {
        return timeoutInMilliseconds >= 0 || timeoutInMilliseconds == INFINITE;
    }

    private static Duration toDuration(int timeoutInMilliseconds) {
        return timeoutInMilliseconds == INFINITE ? FOREVER : Duration.ofMillis(timeoutInMilliseconds);
    }
}
