package org.clusworker.host;

/** Whether a resource is stopped, for a cluster that must not start it elsewhere before it is. */
public enum StopState {
    /** Offline, or Failed with its stop after the failure done, or never opened: nothing of it runs. */
    STOPPED,
    /** Going offline, or Failed with its stop still to run or running. */
    STOPPING,
    /** Its stop failed or timed out, or a call of it is stuck: it may still be running. */
    STOP_FAILED,
    /** Online, or coming online. */
    RUNNING
}
