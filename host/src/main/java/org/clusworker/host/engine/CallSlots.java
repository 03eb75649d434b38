package org.clusworker.host.engine;

import org.clusworker.worker.Worker;

/**
 * Which entry point of one resource may run now. A resource has two slots: the call slot, for every
 * entry point but terminate, and the terminate slot beside it. Terminate is the only entry point that may
 * overlap another; a new call starts only when both slots are free, so no entry point starts while
 * another (terminate included) is still inside the agent. A terminate asked for while one runs is run
 * again once it returns ({@link #terminateAgain}), so the newest call is always terminated.
 *
 * <p>An abandoned call (past its deadlock timeout) keeps its slot until it returns: nothing else of
 * the resource runs but terminate.
 *
 * <p>Not thread-safe: confined to the lock of its {@link ResourceController}.
 */
final class CallSlots {

    private AgentCall call;
    private AgentCall terminateCall;
    private boolean terminateAgain;

    /** Whether no call and no terminate is running: a new call may start. */
    boolean idle() {
        return call == null && terminateCall == null;
    }

    /** The running call (not terminate), or {@code null}. */
    AgentCall call() {
        return call;
    }

    /** The running terminate, or {@code null}. */
    AgentCall terminateCall() {
        return terminateCall;
    }

    /** Whether {@code c} holds a slot. */
    boolean holds(AgentCall c) {
        return c == call || c == terminateCall;
    }

    /** Puts {@code c} in its slot, which must be free. */
    void occupy(AgentCall c) {
        if (c.entry == EntryPoint.TERMINATE) {
            check(terminateCall == null, c);
            terminateCall = c;
        } else {
            check(idle(), c);
            call = c;
        }
    }

    /**
     * Frees the slot of {@code c}, which returned.
     *
     * @return for a terminate: whether another terminate was asked for meanwhile (and must run now)
     */
    boolean release(AgentCall c) {
        if (c == terminateCall) {
            terminateCall = null;
            boolean again = terminateAgain;
            terminateAgain = false;
            return again;
        }
        if (c != call) {
            throw new IllegalStateException("Expected call " + c + " to hold a slot, but the slots hold " + call + " and " + terminateCall);
        }
        call = null;
        return false;
    }

    /**
     * Whether a terminate may start now; if one runs already, remembers to run another after it.
     */
    boolean mayStartTerminate() {
        if (terminateCall != null) {
            terminateAgain = true;
            return false;
        }
        return true;
    }

    /** Forgets a pending re-run of terminate (the host closed). */
    void cancelTerminateAgain() {
        terminateAgain = false;
    }

    /** The worker a terminate must wake: the running call's, unless it is close (or none runs). */
    Worker terminationTarget() {
        return call != null && call.entry != EntryPoint.CLOSE ? call.worker : null;
    }

    private void check(boolean free, AgentCall c) {
        if (!free) {
            throw new IllegalStateException("Expected the slot of " + c.entry.displayName() + " to be free, but it holds "
                    + (c.entry == EntryPoint.TERMINATE ? terminateCall : call + (terminateCall == null ? "" : " and " + terminateCall)));
        }
    }

    @Override
    public String toString() {
        return "CallSlots[call=" + call + ", terminate=" + terminateCall + (terminateAgain ? ", again" : "") + "]";
    }
}
