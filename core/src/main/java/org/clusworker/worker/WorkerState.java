package org.clusworker.worker;

/**
 * The life of a {@link Worker}. Termination is cooperative: nothing ever kills a thread, so the
 * only way out of {@link #RUNNING} or {@link #TERMINATION_REQUESTED} is the routine returning.
 *
 * <table>
 *   <caption>Transitions</caption>
 *   <tr><th>from</th><th>to</th><th>trigger</th><th>who calls</th></tr>
 *   <tr><td>NEW</td><td>RUNNING</td><td>{@link Worker#start()}</td><td>the creator</td></tr>
 *   <tr><td>NEW, RUNNING</td><td>TERMINATION_REQUESTED</td><td>{@link Worker#requestTermination()}</td><td>any thread</td></tr>
 *   <tr><td>RUNNING, TERMINATION_REQUESTED</td><td>EXITED</td><td>the routine returned or threw</td><td>the worker's thread</td></tr>
 *   <tr><td>NEW</td><td>EXITED</td><td>the thread could not be started</td><td>the creator</td></tr>
 * </table>
 *
 * <p>Ordering invariant: {@code EXITED} is terminal. The termination flag, once set, stays set; a
 * worker may have it set in {@code NEW} (it then starts with the flag already true) and it may be set
 * after {@code EXITED} (as {@code ClusWorkerTerminate} does on a finished worker), which leaves the
 * state {@code EXITED}.
 */
public enum WorkerState {
    /** Built but not started: the thread does not exist yet. */
    NEW,
    /** The routine is running and no termination has been requested. */
    RUNNING,
    /** The routine is running and termination has been requested. */
    TERMINATION_REQUESTED,
    /** The routine has returned (or thrown, or never started); its {@link WorkerExit} is readable. */
    EXITED
}
