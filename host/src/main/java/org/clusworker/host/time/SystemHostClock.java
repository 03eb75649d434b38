package org.clusworker.host.time;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.worker.Deadline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link HostClock}: {@link #now()} is the wall time when the clock was made plus the
 * {@link System#nanoTime()} elapsed since, so it never jumps with the system clock; timers run on one
 * platform daemon thread, {@code clusworker-<host>-timer}, started by the first {@link #schedule} and
 * stopped by {@link #shutdown}.
 *
 * <p>Implementation notes: the timers wait in a priority queue by due time (then by the order they were
 * scheduled), under one lock. The host arms and cancels a timer or two for every operation (its pending
 * timeout and its watchdog, minutes away) and for every health check, so both are made cheap for the
 * thread that calls them. A schedule wakes the timer thread only when the new timer is due before the
 * time the thread sleeps until; a cancel only marks the timer, which stays queued until its time comes
 * (the thread then drops it and sleeps on) or until cancelled timers are half the queue (then they are all
 * removed at once). So a resource's operations, each arming a timer due later than one armed before,
 * leave the timer thread asleep.
 */
public final class SystemHostClock implements HostClock {

    private static final Logger LOG = LoggerFactory.getLogger(SystemHostClock.class);
    /** Below this many cancelled timers queued, none is purged: the thread drops them as it meets them. */
    private static final int PURGE_FLOOR = 256;

    private final Instant base = Instant.now();
    private final long baseNanos = System.nanoTime();
    private final String threadName;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    @GuardedBy("lock")
    private final PriorityQueue<Timer> queue = new PriorityQueue<>();
    @GuardedBy("lock")
    private long sequence;
    /** The cancelled timers still queued. */
    @GuardedBy("lock")
    private int cancelled;
    /** Whether the thread waits on {@link #changed}; then until {@link #wakeAt}, or for good if {@link #sleepsForGood}. */
    @GuardedBy("lock")
    private boolean waiting;
    @GuardedBy("lock")
    private boolean sleepsForGood;
    @GuardedBy("lock")
    private long wakeAt;
    @GuardedBy("lock")
    private boolean shutDown;
    @GuardedBy("lock")
    private Thread thread;

    public SystemHostClock(String hostName) {
        this.threadName = "clusworker-" + hostName + "-timer";
    }

    @Override
    public Instant now() {
        return base.plusNanos(System.nanoTime() - baseNanos);
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        long nanos = Deadline.nanos(delay);
        long now = System.nanoTime();
        // a delay past the range of nanoTime differences (292 years) is due at the end of that range
        long due = now + Math.min(nanos, Long.MAX_VALUE / 2);
        lock.lock();
        try {
            if (shutDown) {
                return () -> { };
            }
            Timer t = new Timer(due, sequence++, task);
            queue.add(t);
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
            } else if (waiting && (sleepsForGood || due - wakeAt < 0)) {
                changed.signal();
            }
            return t;
        } finally {
            lock.unlock();
        }
    }

    /** The timer thread: runs each timer at its time, without the lock. */
    private void run() {
        lock.lock();
        try {
            while (!shutDown) {
                Timer head = queue.peek();
                if (head != null && head.cancelled) {
                    queue.poll();
                    cancelled--;
                    continue;
                }
                long wait = head == null ? Long.MAX_VALUE : head.due - System.nanoTime();
                if (wait > 0) {
                    await(head == null, head == null ? 0 : head.due, wait);
                    continue;
                }
                queue.poll();
                head.fired = true;
                lock.unlock();
                try {
                    runLogged(head.task);
                } finally {
                    lock.lock();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void await(boolean forGood, long until, long nanos) {
        waiting = true;
        sleepsForGood = forGood;
        wakeAt = until;
        try {
            if (forGood) {
                changed.await();
            } else {
                changed.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            // only shutdown stops the thread; it says so with the flag
        } finally {
            waiting = false;
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("A host timer task threw; the host goes on", e);
        }
    }

    /** A timer in the queue. */
    private final class Timer implements Scheduled, Comparable<Timer> {

        final long due;
        final long order;
        final Runnable task;
        /** Written under the clock's lock only; volatile so that any thread may read it. */
        volatile boolean cancelled;
        /** Written under the clock's lock only; volatile so that any thread may read it. */
        volatile boolean fired;

        Timer(long due, long order, Runnable task) {
            this.due = due;
            this.order = order;
            this.task = task;
        }

        @Override
        public int compareTo(Timer other) {
            int byTime = Long.compare(due - other.due, 0);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (cancelled || fired || shutDown) {
                    return;
                }
                cancelled = true;
                if (++SystemHostClock.this.cancelled >= PURGE_FLOOR && SystemHostClock.this.cancelled * 2 >= queue.size()) {
                    queue.removeIf(t -> t.cancelled);
                    SystemHostClock.this.cancelled = 0;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The timers queued and not cancelled (for tests and diagnostics). */
    int pending() {
        lock.lock();
        try {
            return queue.size() - cancelled;
        } finally {
            lock.unlock();
        }
    }

    /** The timers queued, cancelled ones included: what the queue holds (for tests). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the timer thread (timers not yet due never run) and waits up to {@code timeout} (real time)
     * until it has terminated. Interrupts do not end the wait; the status is restored before returning.
     */
    public boolean shutdown(Duration timeout) {
        Thread t;
        lock.lock();
        try {
            shutDown = true;
            queue.clear();
            cancelled = 0;
            changed.signalAll();
            t = thread;
        } finally {
            lock.unlock();
        }
        if (t == null || t == Thread.currentThread()) {
            return true;
        }
        Deadline deadline = Deadline.after(timeout);
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return t.join(deadline.remaining());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
