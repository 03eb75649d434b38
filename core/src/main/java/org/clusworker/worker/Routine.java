package org.clusworker.worker;

/**
 * The work a {@link Worker} runs: the Java counterpart of {@code PWORKER_START_ROUTINE}.
 *
 * <p>A routine is a plain interface, kept apart from the thread that runs it. It receives the
 * {@link WorkerContext} of its worker, through which it polls for termination
 * ({@link WorkerContext#isTerminationRequested()}) or waits in a way that wakes the moment
 * termination is requested ({@link WorkerContext#awaitTermination(java.time.Duration)}).
 *
 * <p>Its return value is the worker's exit code. A routine that throws ends with exit code
 * {@link WorkerExit#UNHANDLED_EXCEPTION} and the throwable is kept in {@link WorkerExit#failureCause()}.
 */
@FunctionalInterface
public interface Routine {

    /**
     * Runs on the worker's thread.
     *
     * @param context the worker's context; valid only on the worker's own thread
     * @return the exit code
     * @throws InterruptedException if the routine was interrupted while waiting; the worker ends with
     *         {@link WorkerExit#UNHANDLED_EXCEPTION} and keeps the exception
     */
    int run(WorkerContext context) throws InterruptedException;
}
