package org.clusworker.host.events;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.host.HostEvent;

/**
 * A resource's lock that holds back the event worker's wake-up while it is held. An event posted under
 * it ({@link #post}) is queued at once, in its order, but the worker is woken only when the lock is
 * released (its outermost {@link #unlock()}): woken at the post, the worker's barrier would only block on
 * this very lock until the holder lets go, and the worker be woken a second time. The barrier still takes
 * this lock before delivery, so a listener reads a status at least as new as its event.
 *
 * <p>Every release goes through {@link #unlock()} (the lock has no conditions), so no post is left
 * without its wake-up.
 */
public final class EventLock extends ReentrantLock {

    private static final long serialVersionUID = 1L;

    private final transient EventDispatcher dispatcher;
    /** Whether an event was posted since the lock was taken. Read and written by the holder only. */
    private boolean posted;

    public EventLock(EventDispatcher dispatcher) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
    }

    /**
     * Queues {@code event} for every listener ({@code barrier} runs on the event thread before its
     * delivery); the event worker is woken when this lock is released.
     *
     * @throws IllegalStateException if the calling thread does not hold this lock
     */
    public void post(HostEvent event, Runnable barrier) {
        if (!isHeldByCurrentThread()) {
            throw new IllegalStateException("an event is posted under its resource's lock");
        }
        dispatcher.enqueue(event, barrier);
        posted = true;
    }

    /** Releases the lock; the outermost release wakes the event worker if an event was posted under it. */
    @Override
    public void unlock() {
        boolean wake = posted && getHoldCount() == 1;
        if (wake) {
            posted = false;
        }
        super.unlock();
        if (wake) {
            dispatcher.wake();
        }
    }
}
