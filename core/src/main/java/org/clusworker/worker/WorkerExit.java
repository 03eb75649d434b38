package org.clusworker.worker;

import java.util.Optional;

/**
 * How a worker ended.
 *
 * @param exitCode             the routine's return value; {@link #UNHANDLED_EXCEPTION} if it threw,
 *                             {@link #NOT_ENOUGH_MEMORY} if its thread could not be started
 * @param failure              what the routine threw (or why the thread could not start); {@code null} if it returned
 * @param terminationRequested whether termination had been requested when the routine ended
 */
public record WorkerExit(int exitCode, Throwable failure, boolean terminationRequested) {

    /** Exit code of a routine that threw: Win32 {@code ERROR_UNHANDLED_EXCEPTION}. */
    public static final int UNHANDLED_EXCEPTION = 574;

    /** Exit code of a worker whose thread could not be started: Win32 {@code ERROR_NOT_ENOUGH_MEMORY}. */
    public static final int NOT_ENOUGH_MEMORY = 8;

    /** Whether the routine ended by throwing, or never ran. */
    public boolean failed() {
        return failure != null;
    }

    /** What the routine threw, if it did. */
    public Optional<Throwable> failureCause() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return "WorkerExit[exitCode=" + exitCode
                + (failure == null ? "" : ", failure=" + failure)
                + (terminationRequested ? ", terminationRequested" : "") + "]";
    }
}
