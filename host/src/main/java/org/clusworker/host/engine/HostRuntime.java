package org.clusworker.host.engine;

import org.clusworker.host.events.Activity;
import org.clusworker.host.FailoverHandler;
import org.clusworker.host.events.EventDispatcher;
import org.clusworker.host.time.HostClock;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerRegistry;

/**
 * What the resources of one host share: the clock, the worker registry, the event thread, the activity
 * count, the record of abandoned calls, the failover handler, and the one reconciler lock under which
 * every decision that involves more than one resource is made.
 *
 * <p>Lock order: the reconciler lock, then one resource's lock, then the innermost locks (activity,
 * abandoned calls, the clock's). Nothing foreign runs under any of them.
 */
public final class HostRuntime {

    final String hostName;
    public final HostClock clock;
    public final WorkerRegistry registry = new WorkerRegistry();
    public final Activity activity = new Activity();
    public final EventDispatcher dispatcher;
    public final AbandonedCalls abandoned = new AbandonedCalls();
    /** Hears of calls' durations and terminations (metrics); set once by the host before any call. */
    final org.clusworker.host.CallObserver calls;
    final FailoverHandler failoverHandler;
    final RandomGenerator random;
    final Path stateDirectory;
    /** Whether agent calls run on virtual threads (the default) or platform threads. */
    private final boolean virtualCalls;
    private final ReentrantLock reconciler = new ReentrantLock();

    public HostRuntime(String hostName, HostClock clock, FailoverHandler failoverHandler, RandomGenerator random, Path stateDirectory, boolean virtualCalls) {
        this(hostName, clock, failoverHandler, random, stateDirectory, virtualCalls, org.clusworker.host.CallObserver.NONE);
    }

    public HostRuntime(String hostName, HostClock clock, FailoverHandler failoverHandler, RandomGenerator random, Path stateDirectory,
                       boolean virtualCalls, org.clusworker.host.CallObserver calls) {
        this.calls = calls;
        this.hostName = hostName;
        this.clock = clock;
        this.dispatcher = new EventDispatcher(hostName, activity);
        this.failoverHandler = failoverHandler;
        this.random = random;
        this.stateDirectory = stateDirectory;
        this.virtualCalls = virtualCalls;
    }

    /**
     * A builder of the worker of one agent call, named {@code clusworker-<role>-<n>}: a virtual thread
     * by default, so that the number of threads does not grow with the number of resources (a hung call
     * holds only its own virtual thread); a platform thread if the host was built so.
     */
    Worker.Builder callWorker(String role) {
        Worker.Builder b = Worker.builder(role).registry(registry);
        return virtualCalls ? b.virtual() : b;
    }

    /** Reconciles {@code c}'s direct dependencies, {@code c} and everything that depends on it, in dependency order. */
    void reconcileAround(ResourceController c) {
        reconcile(() -> { }, c.around());
    }

    /**
     * Under the reconciler lock, applies {@code change}, then reconciles {@code resources} in the order
     * given (dependencies first); a resource that goes Failed on the way gets its dependencies reconciled too.
     */
    public void reconcile(Runnable change, Collection<ResourceController> resources) {
        reconciler.lock();
        try {
            change.run();
            Deque<ResourceController> more = new ArrayDeque<>();
            for (ResourceController c : resources) {
                if (c.reconcile()) {
                    more.addAll(c.dependencies());
                }
            }
            while (!more.isEmpty()) {
                ResourceController c = more.removeFirst();
                if (c.reconcile()) {
                    more.addAll(c.dependencies());
                }
            }
        } finally {
            reconciler.unlock();
        }
    }

    /** Asks the failover handler to move {@code resource}, on the event thread. Never blocks. */
    void failover(String resource, String reason) {
        dispatcher.execute(() -> failoverHandler.failover(resource, reason));
    }
}
