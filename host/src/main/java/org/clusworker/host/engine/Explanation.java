package org.clusworker.host.engine;

import java.time.Duration;
import java.time.Instant;
import org.clusworker.host.ResourceState;
import org.clusworker.host.time.Durations;

/**
 * The answer to "what is this resource doing, and why", as {@link org.clusworker.host.ResourceHost#why}
 * gives it: a pure function of the facts its {@link ResourceController} gathers under its lock.
 */
final class Explanation {

    private Explanation() {
    }

    /** What the resource is doing about its agent after a failure. */
    enum Cleanup {
        /** Nothing to stop: the agent was never started, or its stop succeeded. */
        NONE,
        /** A start or a check failed: the agent's offline must run before anything else. */
        NEEDED,
        /** That offline (the stop after the failure) is running. */
        RUNNING,
        /** The stop failed: nothing starts the resource again until an offline or online request retries it. */
        FAILED
    }

    /**
     * What a resource's controller knows, at one moment under its lock.
     *
     * @param operation        the pending operation or the running stop, or {@code null}
     * @param stuckCall        the call abandoned past its deadlock timeout and still running, or {@code null}
     * @param blocking         the first dependency that keeps it from being Online, e.g. {@code "db is Offline"}
     * @param goingDown        Online, but no longer upheld (it is being taken offline, dependents first)
     * @param attemptReason    why the next attempt will be made ({@code null} if none is planned)
     * @param attemptDue       an attempt is due now, waiting only for the resource to be free
     */
    record Facts(String name, ResourceState state, Instant since, boolean opening, boolean closing, boolean closed,
                 boolean wantsOnline, String intent, String blocking, boolean dependenciesUp, boolean goingDown,
                 PendingOperation operation, Duration pendingTimeout, AgentCall stuckCall, String lastFailure,
                 Cleanup cleanup, Instant nextAttempt, String attemptReason, boolean attemptDue,
                 boolean restartsAutomatically) {
    }

    static String of(Facts f) {
        StringBuilder sb = new StringBuilder(f.name()).append(" is ").append(f.state().displayName()).append(" since ").append(f.since());
        switch (f.state()) {
            case UNKNOWN -> sb.append(f.opening() ? ": its agent is being opened" : ": the host has not started it");
            case ONLINE -> {
                if (f.goingDown() && !f.closed()) {
                    sb.append(": going offline (").append(f.closing() ? "host shutting down" : !f.wantsOnline() ? f.intent() : "dependency " + f.blocking())
                            .append("), dependents first");
                }
            }
            case ONLINE_PENDING, OFFLINE_PENDING -> sb.append(": ").append(operation(f.operation(), f.pendingTimeout()));
            case OFFLINE -> {
                if (f.wantsOnline() && !f.closing() && !f.closed()) {
                    sb.append(": waiting for its dependencies (").append(f.blocking()).append(")");
                } else {
                    sb.append(": ").append(f.intent());
                }
            }
            case FAILED -> sb.append(": ").append(f.lastFailure()).append(". ").append(cleanup(f)).append(attempt(f));
            default -> throw new IllegalStateException("Unexpected state " + f.state() + " of resource " + f.name());
        }
        AgentCall stuck = f.stuckCall();
        if (stuck != null) {
            sb.append(". Its ").append(stuck.entry.displayName()).append(" call (worker ").append(stuck.worker.name())
                    .append(") is stuck; nothing else of it runs until that call returns");
        }
        if (f.state() != ResourceState.FAILED && f.lastFailure() != null) {
            sb.append(". Last failure: ").append(f.lastFailure().lines().findFirst().orElse(""));
        }
        return sb.toString();
    }

    private static String operation(PendingOperation op, Duration pendingTimeout) {
        return op.name() + (op.terminating ? " is being terminated" : " is running")
                + (op.reports == 0 ? ", no progress reported yet" : ", checkpoint " + op.checkpoint + (op.message == null ? "" : " (" + op.message + ")"))
                + "; pending timeout " + Durations.format(pendingTimeout);
    }

    private static String cleanup(Facts f) {
        return switch (f.cleanup()) {
            case NONE -> "";
            case NEEDED -> "Its offline runs first, to stop what the failure may have left running. ";
            case RUNNING -> "Stopping it after the failure: " + operation(f.operation(), f.pendingTimeout()) + ". ";
            case FAILED -> "Its stop failed, so it may still be running: nothing starts it again until offline or online is "
                    + "requested, which runs the stop again. ";
        };
    }

    private static String attempt(Facts f) {
        if (f.closing() || f.closed()) {
            return "The host is shutting down: no further attempt";
        }
        if (!f.wantsOnline()) {
            return "Offline was requested: no further attempt";
        }
        if (f.cleanup() == Cleanup.FAILED) {
            return "No attempt is planned";
        }
        if (f.nextAttempt() != null && !f.attemptDue()) {
            return "Next attempt at " + f.nextAttempt() + " (" + f.attemptReason() + ")";
        }
        if (f.attemptDue()) {
            return "An attempt (" + f.attemptReason() + ") is due" + (f.dependenciesUp() ? "" : ", waiting until dependency "
                    + f.blocking() + " is Online again");
        }
        if (!f.restartsAutomatically()) {
            return "RestartAction is none: no automatic attempt; request online to try again";
        }
        return "No attempt is planned; request online to try again";
    }
}
