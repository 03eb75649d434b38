package org.clusworker.host.agent;

/**
 * One resource's agent: the Java counterpart of a resource DLL's entry points (Open is
 * {@link ResourceType#open}, then Online, Offline, Terminate, LooksAlive, IsAlive, Close).
 *
 * <p>Threading contract, enforced by the host: the entry points of one resource never run
 * concurrently with each other, except {@link #terminate()}, which may run at any time, also while
 * {@link #online} or {@link #offline} is running on another thread. Entry points of different
 * resources run independently. {@link #online} and {@link #offline} always run in a clusworker worker;
 * the host applies the pending timeout between progress reports and the deadlock timeout to every
 * entry point.
 *
 * <p>Failures: an entry point reports failure by throwing (an {@link AgentException} with a message that
 * says what failed, or anything else); the resource then goes Failed and keeps the throwable as its
 * failure cause. {@link #looksAlive()} and {@link #isAlive()} may also simply return {@code false}.
 */
public interface ResourceAgent {

    /**
     * Brings the resource online. Returning means it is online; throwing means it failed. A quick
     * online just returns; a slow one is "pending": it reports progress through
     * {@link Operation#reportProgress} (each report restarts the pending timeout) and stops promptly
     * when a report answers {@link ExitState#TERMINATE} or {@link Operation#isTerminationRequested()}.
     */
    void online(Operation operation);

    /** Takes the resource offline; same contract as {@link #online}. */
    void offline(Operation operation);

    /**
     * Stops the resource at once, whatever it is doing: kills processes, closes sockets, makes a
     * running {@link #online}/{@link #offline} return. May be called at any time and from any thread,
     * concurrently with another entry point; must be idempotent and must not block for long.
     */
    void terminate();

    /** A cheap check, run often (every 5 s by default): does the resource look alive? */
    boolean looksAlive();

    /** A thorough check, run less often (every 60 s by default) and whenever {@link #looksAlive()} fails. */
    boolean isAlive();

    /** Releases everything the agent holds. Called once, last; the resource is offline or terminated. */
    void close();

    /**
     * How to stop the resource from outside the host, if the host dies: the processes to kill and the
     * command to run (see {@link FenceActions}). Called from any thread, at any time, concurrently with
     * other entry points; must not block. The default, {@link FenceActions#NONE}, suits an agent whose
     * resource lives in the host's JVM.
     */
    default FenceActions fenceActions() {
        return FenceActions.NONE;
    }
}
