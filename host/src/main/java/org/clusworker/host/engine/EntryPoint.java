package org.clusworker.host.engine;

/**
 * The agent's entry points, as the host calls them. Each call runs in a clusworker worker named
 * {@code clusworker-<resource>-<role>-<n>}. Of one resource, at most one call runs at a time, except
 * {@link #TERMINATE}, which may run beside any other.
 */
public enum EntryPoint {
    OPEN("open", "open"),
    ONLINE("online", "online"),
    OFFLINE("offline", "offline"),
    LOOKS_ALIVE("looksAlive", "looks-alive"),
    IS_ALIVE("isAlive", "is-alive"),
    TERMINATE("terminate", "terminate"),
    CLOSE("close", "close");

    private final String displayName;
    private final String role;

    EntryPoint(String displayName, String role) {
        this.displayName = displayName;
        this.role = role;
    }

    /** The name in messages: {@code isAlive}. */
    String displayName() {
        return displayName;
    }

    /** The name in thread names: {@code is-alive}. */
    String role() {
        return role;
    }

    /** Whether the call is a pending operation, governed by progress reports. */
    boolean isOperation() {
        return this == ONLINE || this == OFFLINE;
    }
}
