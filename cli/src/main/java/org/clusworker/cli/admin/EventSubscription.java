package org.clusworker.cli.admin;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.cli.admin.EventBroker.Frame;
import com.google.errorprone.annotations.concurrent.GuardedBy;

/**
 * One client's place in the host's events: what it has yet to be sent, in order. First a resync (if one
 * is pending), then its replay, then the live events, in a queue of at most {@code capacity}.
 *
 * <p>When a live event finds the queue full, the client has fallen too far behind: the queue and the
 * rest of the replay are dropped, and a resync standing for every event up to this one takes their
 * place (a later overflow before it is sent only moves it on). The client re-reads the statuses and
 * continues with the live events that follow.
 *
 * <p>Implementation notes: the broker offers frames on the host's event thread; the client's request
 * thread takes them with {@link #next} and writes them. Both under {@link #lock}, held for
 * bookkeeping only (an overflow drops at most {@code capacity} references): the offering thread never
 * waits for the taker. {@link #next} waits on {@link #ready} (a real-time wait) up to the keep-alive
 * interval. {@link #end()} (the broker closes) lets the taker send what is left, then {@link #next}
 * returns {@code null}; {@link #close()} (the client is gone) removes the subscription from the broker.
 */
final class EventSubscription implements AutoCloseable {

    /** A pending resync, standing for every event up to {@code id}. */
    record Resync(long id, String reason) {
    }

    private final EventBroker broker;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    @GuardedBy("lock")
    private List<Frame> replay;
    @GuardedBy("lock")
    private int replayed;
    @GuardedBy("lock")
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    @GuardedBy("lock")
    private Resync resync;
    @GuardedBy("lock")
    private int overflows;
    /** The broker will offer nothing more: send what is left, then end. */
    @GuardedBy("lock")
    private boolean ended;

    EventSubscription(EventBroker broker, int capacity, List<Frame> replay, Resync resync) {
        this.broker = broker;
        this.capacity = capacity;
        this.replay = replay;
        this.resync = resync;
    }

    /** Queues a live event, or turns a full queue into a resync. Never waits for the taker. */
    void offer(Frame frame) {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            if (queue.size() < capacity) {
                queue.addLast(frame);
            } else {
                dropBacklog();
                resync = new Resync(frame.sequence(), "this client fell more than " + capacity
                        + " events behind; the events up to " + frame.sequence() + " were dropped");
                overflows++;
            }
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next frame to send: a pending resync, else the next replayed or live event; waits up to
     * {@code keepAlive} for one, and returns {@link SseFrames#KEEP_ALIVE} if none came. Returns
     * {@code null} once the broker has closed and everything was taken.
     *
     * @throws InterruptedException if interrupted while waiting (the subscription stays usable)
     */
    byte[] next(Duration keepAlive) throws InterruptedException {
        Resync r;
        lock.lock();
        try {
            long nanos = keepAlive.toNanos();
            while (resync == null && replayed == replay.size() && queue.isEmpty()) {
                if (ended) {
                    return null;
                }
                if (nanos <= 0) {
                    return SseFrames.KEEP_ALIVE;
                }
                nanos = ready.awaitNanos(nanos);
            }
            r = resync;
            resync = null;
            if (r == null) {
                return replayed < replay.size() ? replay.get(replayed++).bytes() : queue.removeFirst().bytes();
            }
        } finally {
            lock.unlock();
        }
        return broker.frame(r); // encoded outside the lock
    }

    /** Whether {@link #next} would return an event at once (the writer flushes when not). */
    boolean hasNext() {
        lock.lock();
        try {
            return resync != null || replayed < replay.size() || !queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** How many times this client fell too far behind (for tests and diagnostics). */
    int overflows() {
        lock.lock();
        try {
            return overflows;
        } finally {
            lock.unlock();
        }
    }

    /** How many live events wait to be sent (at most the capacity). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void dropBacklog() {
        queue.clear();
        replay = List.of();
        replayed = 0;
    }

    /** The broker closes: {@link #next} returns what is left, then {@code null}. */
    void end() {
        lock.lock();
        try {
            ended = true;
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The client is gone: leaves the broker and drops what is queued. Idempotent. */
    @Override
    public void close() {
        end();
        lock.lock();
        try {
            dropBacklog();
            resync = null;
        } finally {
            lock.unlock();
        }
        broker.remove(this);
    }
}
