/**
 * jcstress tests for the races of the worker (SPEC sections 1 and 2), one class per race:
 * <ul>
 *   <li>{@link org.clusworker.stress.TerminateFlagVisibility}: a flag set by one thread ends a loop polling
 *       it on another (Termination mode; {@code STALE} is forbidden);</li>
 *   <li>{@link org.clusworker.stress.ConcurrentTerminators}: of two concurrent first terminators exactly one
 *       sets the flag, and that one returns only once the thread has exited;</li>
 *   <li>{@link org.clusworker.stress.CreateRacingTerminate}: {@code ClusWorkerCreate} on a fresh record racing
 *       {@code ClusWorkerTerminate(Ex)}: no hang, no lost thread, no flag that nobody set;</li>
 *   <li>{@link org.clusworker.stress.ReuseAfterTerminate}: a record created again after its thread was
 *       terminated gives the new routine a clear flag, whatever a concurrent reader sees.</li>
 * </ul>
 *
 * <p>Every sample of the {@code ClusWorker} tests starts (and its arbiter or signal joins) a real thread,
 * so samples are costly; {@code stress/run-jcstress} caps the samples per round accordingly. Run with
 * {@code stress/run-jcstress --quick} (CI) or {@code --long}; each test's javadoc names its race and each
 * {@code @Outcome} says why it is acceptable or forbidden.
 */
package org.clusworker.stress;
