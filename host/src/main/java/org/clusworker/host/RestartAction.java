package org.clusworker.host;

/** What the host does when a resource fails (Windows {@code RestartAction}). */
public enum RestartAction {
    /** Leave it Failed. */
    NONE,
    /** Restart it, up to the restart threshold within the restart period. */
    RESTART,
    /** Restart it; past the threshold, ask the failover handler to move its group (a no-op on one machine). */
    RESTART_THEN_FAILOVER
}
