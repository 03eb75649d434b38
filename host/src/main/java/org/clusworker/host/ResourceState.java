package org.clusworker.host;

/**
 * A resource's state, with the numbers of Windows {@code CLUSTER_RESOURCE_STATE}.
 * The transition table lives in the host's state machine (see {@code ResourceHost}).
 */
public enum ResourceState {
    UNKNOWN(-1),
    ONLINE(2),
    OFFLINE(3),
    FAILED(4),
    ONLINE_PENDING(129),
    OFFLINE_PENDING(130);

    private final int code;

    ResourceState(int code) {
        this.code = code;
    }

    /** The {@code CLUSTER_RESOURCE_STATE} number. */
    public int code() {
        return code;
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
