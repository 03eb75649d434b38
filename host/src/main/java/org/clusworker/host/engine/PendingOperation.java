package org.clusworker.host.engine;

import org.clusworker.host.time.HostClock;

import java.time.Duration;
import java.util.Objects;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.agent.Operation;
import org.clusworker.worker.WorkerContext;

/**
 * A running online or offline, as its agent sees it ({@link Operation}), and as its resource tracks it:
 * the last checkpoint and message, the pending-timeout and ceiling timers. Reports go to the owning
 * {@link ResourceController}, which checks and records them under its lock; fields are guarded by that
 * lock unless marked otherwise.
 */
public final class PendingOperation implements Operation {

    /** A checkpoint that means "the last one plus one". */
    static final long NEXT = Long.MIN_VALUE;

    private final ResourceController owner;
    private final EntryPoint entry;
    private final Duration pendingTimeout;
    /** The offline that stops a resource after its failure. */
    final boolean recovery;

    /** Written once before the worker starts (start happens-before the agent's calls). */
    private WorkerContext context;
    /** Set when the operation is being terminated, or once it is over; volatile for the agent's polling. */
    volatile boolean terminating;

    long checkpoint;
    String message;
    int reports;
    /** Why the pending online is being terminated, when an offline took it over. */
    String abortCause;
    HostClock.Scheduled pendingTimer;
    HostClock.Scheduled ceilingTimer;

    PendingOperation(ResourceController owner, EntryPoint entry, Duration pendingTimeout) {
        this(owner, entry, pendingTimeout, false);
    }

    /**
     * @param recovery whether it is the offline that stops a resource after its failure (the resource
     *                 stays Failed meanwhile)
     */
    PendingOperation(ResourceController owner, EntryPoint entry, Duration pendingTimeout, boolean recovery) {
        this.owner = owner;
        this.entry = entry;
        this.pendingTimeout = pendingTimeout;
        this.recovery = recovery;
    }

    EntryPoint entry() {
        return entry;
    }

    void bind(WorkerContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Ends it: reports now answer {@link ExitState#TERMINATE}, and its timers are cancelled. */
    void finish() {
        terminating = true;
        if (pendingTimer != null) {
            pendingTimer.cancel();
            pendingTimer = null;
        }
        if (ceilingTimer != null) {
            ceilingTimer.cancel();
            ceilingTimer = null;
        }
    }

    @Override
    public String name() {
        return entry.displayName();
    }

    @Override
    public ExitState reportProgress(long checkpoint, String message) {
        if (checkpoint == NEXT) {
            throw new IllegalArgumentException("checkpoint: " + checkpoint + " (expected: > 0)");
        }
        return owner.onProgress(this, checkpoint, message);
    }

    @Override
    public ExitState reportProgress(String message) {
        return owner.onProgress(this, NEXT, message);
    }

    @Override
    public boolean isTerminationRequested() {
        return terminating || context.isTerminationRequested();
    }

    @Override
    public WorkerContext worker() {
        return context;
    }

    @Override
    public Duration pendingTimeout() {
        return pendingTimeout;
    }

    /** The last report, for messages: {@code " (last checkpoint 3: loading)"}, or that there was none. */
    String lastReport() {
        if (reports == 0) {
            return " (no progress reported since it started)";
        }
        return " (last checkpoint " + checkpoint + (message == null ? "" : ": " + message) + ")";
    }

    @Override
    public String toString() {
        return name() + " at checkpoint " + checkpoint + (terminating ? ", terminating" : "");
    }
}
