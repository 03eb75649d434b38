package org.clusworker.host.engine;

import org.clusworker.host.ResourceState;
import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.util.EnumSet;
import java.util.Set;

/**
 * The rows of the resource state machine's transition table, as code: the table itself, with triggers
 * and callers, is in the javadoc of {@link ResourceState}. {@link ResourceController} moves only along a
 * row and names the row it takes; {@link #check} turns any other move into an
 * {@link IllegalStateException}.
 */
public enum Transition {
    /** Unknown to Offline: open returned. */
    OPENED(OFFLINE, UNKNOWN),
    /** Unknown to Failed: open threw or deadlocked. */
    OPEN_FAILED(FAILED, UNKNOWN),
    /** Offline or Failed to OnlinePending: wanted online and every dependency Online. */
    ONLINE_STARTED(ONLINE_PENDING, OFFLINE, FAILED),
    /** OnlinePending to Online: online returned. */
    ONLINE_DONE(ONLINE, ONLINE_PENDING),
    /** OnlinePending to OfflinePending: no longer wanted online; the online is terminated. */
    ONLINE_ABORTED(OFFLINE_PENDING, ONLINE_PENDING),
    /** Online to OfflinePending: no longer wanted online, every dependent down. */
    OFFLINE_STARTED(OFFLINE_PENDING, ONLINE),
    /** OfflinePending to Offline: offline (or the terminated online) returned. */
    OFFLINE_DONE(OFFLINE, OFFLINE_PENDING),
    /** Failed to Offline: offline requested. */
    FAILED_TAKEN_OFFLINE(OFFLINE, FAILED),
    /** A pending operation failed: threw, pending timeout, ceiling, deadlock, shutdown. */
    PENDING_FAILED(FAILED, ONLINE_PENDING, OFFLINE_PENDING),
    /** An online resource failed: isAlive, deadlocked health check, shutdown. */
    ONLINE_FAILED(FAILED, ONLINE);

    private final ResourceState to;
    private final Set<ResourceState> from;

    Transition(ResourceState to, ResourceState first, ResourceState... rest) {
        this.to = to;
        this.from = EnumSet.of(first, rest);
    }

    ResourceState to() {
        return to;
    }

    Set<ResourceState> from() {
        return from;
    }

    /** Whether some row leads from {@code from} to {@code to}. */
    public static boolean allowed(ResourceState from, ResourceState to) {
        for (Transition t : values()) {
            if (t.to == to && t.from.contains(from)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws IllegalStateException naming the resource and the states, if this row does not start at {@code current}
     */
    void check(String resource, ResourceState current) {
        if (!from.contains(current)) {
            StringBuilder expected = new StringBuilder();
            for (ResourceState s : from) {
                expected.append(expected.isEmpty() ? "" : " or ").append(s.displayName());
            }
            throw new IllegalStateException("Expected resource " + resource + " to be " + expected
                    + " (to move to " + to.displayName() + " by " + this + "), but was " + current.displayName());
        }
    }
}
