package org.clusworker.host;

/**
 * A resource's state, with the numbers of Windows {@code CLUSTER_RESOURCE_STATE}.
 *
 * <p>The host's state machine (one per resource) moves between these states only along the rows below
 * (checked in code: any other move is a bug and throws {@link IllegalStateException}). Every move is a
 * {@link ResourceEvent}. "Down" means Offline, Failed or Unknown.
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>trigger</th><th>who calls</th></tr>
 *   <tr><td>Unknown</td><td>Offline</td><td>the agent's open returned ({@link ResourceHost#start()})</td><td>the open worker</td></tr>
 *   <tr><td>Unknown</td><td>Failed</td><td>open threw, or did not return within DeadlockTimeout</td><td>the open worker; the timer</td></tr>
 *   <tr><td>Offline, Failed</td><td>OnlinePending</td><td>the resource is wanted online and every dependency is Online: start, online
 *       requested, a dependency Online again, a restart or retry due (from Failed only then, or on request)</td><td>the reconciler</td></tr>
 *   <tr><td>OnlinePending</td><td>Online</td><td>online returned</td><td>the online worker</td></tr>
 *   <tr><td>OnlinePending</td><td>OfflinePending</td><td>offline requested, a dependency left Online, or shutdown: the pending online
 *       is terminated (worker flag and the agent's terminate)</td><td>the reconciler</td></tr>
 *   <tr><td>Online</td><td>OfflinePending</td><td>offline requested, a dependency left Online, or shutdown; only once every
 *       dependent is down</td><td>the reconciler</td></tr>
 *   <tr><td>OfflinePending</td><td>Offline</td><td>offline returned, or the terminated online returned</td><td>the worker</td></tr>
 *   <tr><td>Failed</td><td>Offline</td><td>offline requested while Failed (and no call of it is stuck)</td><td>the requester</td></tr>
 *   <tr><td>OnlinePending, OfflinePending</td><td>Failed</td><td>the operation threw; pending timeout without progress;
 *       operation ceiling; deadlock; still pending when the shutdown timeout ran out</td><td>the worker; the timer; the closer</td></tr>
 *   <tr><td>Online</td><td>Failed</td><td>isAlive returned false or threw (after its interval, after looksAlive said
 *       false, or after the agent signalled a failure); a health check deadlocked; still Online when the
 *       shutdown timeout ran out</td><td>the worker; the timer; the closer</td></tr>
 * </table>
 *
 * <p>Ordering invariant: a resource goes OnlinePending only while each of its dependencies is Online, and
 * goes OfflinePending from Online only while each of its dependents is down (both decided under the
 * host's one reconciler lock). Failures are asynchronous: a dependency may fail at any time; its
 * dependents are then taken offline, and brought back when it is Online again. After
 * {@link ResourceHost#close()}, every resource is down.
 */
public enum ResourceState {
    UNKNOWN(-1, "Unknown"),
    ONLINE(2, "Online"),
    OFFLINE(3, "Offline"),
    FAILED(4, "Failed"),
    ONLINE_PENDING(129, "OnlinePending"),
    OFFLINE_PENDING(130, "OfflinePending");

    private final int code;
    private final String displayName;

    ResourceState(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    /** The {@code CLUSTER_RESOURCE_STATE} number. */
    public int code() {
        return code;
    }

    /** The name Windows uses: {@code Online}, {@code OnlinePending}, ... */
    public String displayName() {
        return displayName;
    }

    /** Whether an online or offline operation is running. */
    public boolean isPending() {
        return this == ONLINE_PENDING || this == OFFLINE_PENDING;
    }

    /** The state with this {@code CLUSTER_RESOURCE_STATE} number. */
    public static ResourceState ofCode(int code) {
        for (ResourceState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("code: " + code + " (expected one of -1, 2, 3, 4, 129, 130)");
    }
}
