package org.clusworker.worker;

/**
 * Thrown by {@link Worker#start()} when the worker's thread could not be created or started, typically
 * {@code OutOfMemoryError: unable to create native thread}, which is kept as the cause. The worker is
 * then {@link WorkerState#EXITED} with exit code {@link WorkerExit#NOT_ENOUGH_MEMORY}.
 */
public final class WorkerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    WorkerStartException(String workerName, Throwable cause) {
        super("Could not start the thread of worker " + workerName + ": " + cause, cause);
    }
}
