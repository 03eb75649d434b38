package org.clusworker.host.agent;

import java.time.Duration;
import org.clusworker.worker.WorkerContext;

/**
 * A running online or offline, as its agent sees it: where to report progress (Windows
 * {@code SetResourceStatus}) and the worker it runs in. Valid only for the duration of the call, on
 * the worker's thread.
 */
public interface Operation {

    /** {@code "online"} or {@code "offline"}. */
    String name();

    /**
     * Reports progress: the checkpoint must increase with every report (a report whose checkpoint does
     * not increase is rejected with {@link IllegalArgumentException} naming both values). Each accepted
     * report restarts the pending timeout.
     *
     * @return {@link ExitState#TERMINATE} if the operation is being terminated; stop then
     */
    ExitState reportProgress(long checkpoint, String message);

    /** Reports progress with the next checkpoint (last + 1). */
    ExitState reportProgress(String message);

    /** Whether the operation is being terminated (one volatile read). */
    boolean isTerminationRequested();

    /**
     * The worker's context: {@link WorkerContext#awaitTermination(Duration)} sleeps and wakes the moment
     * the operation is terminated; {@link WorkerContext#onTermination(Runnable)} registers a callback.
     */
    WorkerContext worker();

    /** The time allowed between two progress reports. */
    Duration pendingTimeout();
}
