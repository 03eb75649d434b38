package org.clusworker.host.engine;

import org.clusworker.host.events.Activity;
import org.clusworker.host.time.HostClock;

import java.time.Instant;
import org.clusworker.worker.Worker;

/**
 * One call of an agent entry point, in flight in its own worker. Owned by its {@link ResourceController}:
 * every field but the final ones is guarded by the controller's lock.
 */
public final class AgentCall {

    /** What the worker runs: the agent call itself, on the worker's thread, with no host lock held. */
    @FunctionalInterface
    interface Body {
        Object invoke() throws Exception;
    }

    final EntryPoint entry;
    final Instant started;

    /** Made under the controller's lock before the worker starts; never changes after. */
    Worker worker;
    /** The deadlock watchdog; re-armed by progress and by termination of a pending operation. */
    HostClock.Scheduled watchdog;
    /** Set when the agent call has returned (or the worker could not start). */
    boolean returned;
    /** Set when the watchdog gave up on it. */
    boolean abandoned;
    /** Its index in the host's {@link AbandonedCalls}, once abandoned. */
    int abandonedIndex = -1;
    /** Whether it counts in the host's {@link Activity} now. */
    boolean counted;

    AgentCall(EntryPoint entry, Instant started) {
        this.entry = entry;
        this.started = started;
    }

    void cancelWatchdog() {
        if (watchdog != null) {
            watchdog.cancel();
            watchdog = null;
        }
    }

    @Override
    public String toString() {
        return entry.displayName() + (worker == null ? "" : " in " + worker.name()) + (abandoned ? " (abandoned)" : "");
    }
}
