package org.clusworker.host.events;

import org.clusworker.host.HostEvent;
import org.clusworker.host.HostEventListener;
import org.clusworker.host.ResourceListener;
import org.clusworker.host.events.Activity;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clusworker.worker.Registration;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerContext;
import org.clusworker.worker.WorkerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the host's events to its listeners, and runs its other foreign callbacks (the failover
 * handler), on one worker of its own, {@code clusworker-<host>-events-<n>}: never on a thread that holds
 * a host lock, never on a timer or agent thread.
 *
 * <p>Implementation notes: resources append their events to one lock-free queue while they hold their
 * own lock, in the order of their transitions; the worker delivers them in queue order, so each
 * listener sees every resource's transitions in order, and the global order is one in which the host's
 * decisions could have been made. Before delivering an event the worker passes through the resource's
 * lock, so the status the resource published with the event is visible. The worker numbers each event
 * as it delivers it (the number is confined to the worker: one writer, in delivery order), so numbers
 * follow the order every listener sees. {@link #post} signals the worker, which waits with
 * {@link WorkerContext#awaitCondition} between batches; a resource's {@link EventLock} queues its events
 * and signals only once the lock is released, which the barrier would wait for anyway. A
 * listener that throws is logged and skipped. On termination the worker drains the queue, then exits.
 */
public final class EventDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final String hostName;
    private final Activity activity;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final List<HostEventListener> listeners = new CopyOnWriteArrayList<>();
    /** The number of the last event delivered. Confined to the event worker. */
    private long sequence;
    /** Written once by {@link #start} before any post; volatile for the posting threads. */
    private volatile Worker worker;

    public EventDispatcher(String hostName, Activity activity) {
        this.hostName = hostName;
        this.activity = activity;
    }

    /** Adds a listener of every event; closing the registration removes it. */
    public Registration addListener(HostEventListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Adds a listener of every transition (the {@link HostEvent.Kind#TRANSITION} events). */
    public Registration addListener(ResourceListener listener) {
        Objects.requireNonNull(listener, "listener");
        return addListener(new TransitionListener(listener));
    }

    /** Delivers transition events to a {@link ResourceListener}. */
    private record TransitionListener(ResourceListener listener) implements HostEventListener {
        @Override
        public void onEvent(HostEvent event) {
            if (event.kind() == HostEvent.Kind.TRANSITION) {
                listener.onTransition(event.asTransition());
            }
        }

        @Override
        public String toString() {
            return listener.toString();
        }
    }

    public void start(WorkerRegistry registry) {
        worker = Worker.builder(hostName + "-events").registry(registry).start(this::run);
    }

    /**
     * Queues an event for every listener without waking the worker: {@link EventLock#post}, under a
     * resource's lock, before the resource publishes its new status; the lock wakes the worker once
     * released. {@code barrier} is run on the event thread before delivery: it takes and releases that
     * lock, so a listener always reads a status at least as new as its event.
     */
    void enqueue(HostEvent event, Runnable barrier) {
        queue(() -> {
            barrier.run();
            HostEvent numbered = event.numbered(++sequence);
            for (HostEventListener l : listeners) {
                try {
                    l.onEvent(numbered);
                } catch (RuntimeException | Error e) {
                    LOG.warn("Listener {} threw on {}; the host goes on", l, event, e);
                }
            }
        });
    }

    /** Queues a host event (no resource lock to pass) for every listener. Never blocks. */
    public void post(HostEvent event) {
        enqueue(event, () -> { });
        wake();
    }

    /** Queues foreign code to run on the event worker. Never blocks. */
    public void execute(Runnable task) {
        queue(task);
        wake();
    }

    private void queue(Runnable task) {
        activity.enter();
        queue.add(task);
    }

    /** Wakes the event worker to deliver what is queued. */
    void wake() {
        Worker w = worker;
        if (w != null) {
            w.signal();
        }
    }

    private int run(WorkerContext ctx) throws InterruptedException {
        for (;;) {
            Runnable task;
            while ((task = queue.poll()) != null) {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("A host callback threw; the host goes on", e);
                } finally {
                    activity.exit();
                }
            }
            if (ctx.isTerminationRequested()) {
                if (queue.isEmpty()) {
                    return 0;
                }
                continue;
            }
            ctx.awaitCondition(() -> !queue.isEmpty(), Duration.ofDays(1));
        }
    }

    /** Delivers what is queued, then stops; waits up to {@code timeout} (real time). */
    public boolean stop(Duration timeout) {
        Worker w = worker;
        return w == null || w.terminate(timeout);
    }
}
