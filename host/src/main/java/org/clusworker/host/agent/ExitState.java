package org.clusworker.host.agent;

/** The host's answer to a progress report ({@code RESOURCE_EXIT_STATE}). */
public enum ExitState {
    /** {@code ResourceExitStateContinue}: keep going. */
    CONTINUE,
    /** {@code ResourceExitStateTerminate}: stop now; the operation is being terminated. */
    TERMINATE
}
