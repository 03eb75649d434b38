package org.clusworker.host.testing;

import org.clusworker.host.time.HostClock;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.host.time.HostClock;

/**
 * A {@link HostClock} that moves only when a test {@link #advance}s it: due tasks then run, in due-time
 * order (ties in scheduling order), on the advancing thread, each with the clock set to its due time.
 * Tasks scheduled while advancing run in the same advance if they fall due by its end.
 *
 * <p>Thread-safe: workers schedule and cancel from their own threads while a test advances. Tasks run
 * outside the clock's lock. One advance at a time.
 */
public final class FakeClock implements HostClock {

    private final ReentrantLock lock = new ReentrantLock();
    private final Object advancing = new Object();
    /** @GuardedBy("lock") */
    private Instant now;
    /** @GuardedBy("lock") */
    private long sequence;
    /** @GuardedBy("lock") */
    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparing((Task t) -> t.due).thenComparingLong(t -> t.sequence));

    public FakeClock() {
        this(Instant.parse("2030-01-01T00:00:00Z"));
    }

    public FakeClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    @Override
    public Instant now() {
        lock.lock();
        try {
            return now;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        lock.lock();
        try {
            Task t = new Task(now.plus(delay), sequence++, task);
            tasks.add(t);
            return () -> {
                lock.lock();
                try {
                    tasks.remove(t);
                } finally {
                    lock.unlock();
                }
            };
        } finally {
            lock.unlock();
        }
    }

    /** Moves the clock forward by {@code duration}, running every task that falls due, on this thread. */
    public void advance(Duration duration) {
        advance(duration, () -> { });
    }

    /**
     * As {@link #advance(Duration)}, running {@code afterEachTask} after each task, before the clock moves
     * on: a test passes "wait until the host is quiescent", so that whatever a task started on other
     * threads is done before the next instant (the host is then infinitely fast in fake time).
     */
    public void advance(Duration duration, Runnable afterEachTask) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration: " + duration + " (expected: >= 0)");
        }
        synchronized (advancing) {
            Instant target;
            lock.lock();
            try {
                target = now.plus(duration);
            } finally {
                lock.unlock();
            }
            for (;;) {
                Task next;
                lock.lock();
                try {
                    next = tasks.peek();
                    if (next == null || next.due.isAfter(target)) {
                        now = target;
                        return;
                    }
                    tasks.poll();
                    if (next.due.isAfter(now)) {
                        now = next.due;
                    }
                } finally {
                    lock.unlock();
                }
                next.task.run();
                afterEachTask.run();
            }
        }
    }

    /** How many tasks wait for their time. */
    public int pendingTasks() {
        lock.lock();
        try {
            return tasks.size();
        } finally {
            lock.unlock();
        }
    }

    private record Task(Instant due, long sequence, Runnable task) {
    }

    @Override
    public String toString() {
        return "FakeClock[" + now() + ", " + pendingTasks() + " tasks]";
    }
}
