package org.clusworker.host.time;

import org.clusworker.worker.Deadline;

import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real {@link HostClock}: {@link #now()} is the wall time when the clock was made plus the
 * {@link System#nanoTime()} elapsed since, so it never jumps with the system clock; timers run on one
 * platform daemon thread, {@code clusworker-<host>-timer}, which {@link #shutdown} stops.
 */
public final class SystemHostClock implements HostClock {

    private static final Logger LOG = LoggerFactory.getLogger(SystemHostClock.class);

    private final Instant base = Instant.now();
    private final long baseNanos = System.nanoTime();
    private final ScheduledThreadPoolExecutor executor;
    /** The timer threads made so far (one, unless one died), to join at shutdown. */
    private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();

    public SystemHostClock(String hostName) {
        ThreadFactory factory = Thread.ofPlatform().daemon().name("clusworker-" + hostName + "-timer").factory();
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = factory.newThread(r);
            threads.add(t);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public Instant now() {
        return base.plusNanos(System.nanoTime() - baseNanos);
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        try {
            ScheduledFuture<?> f = executor.schedule(() -> runLogged(task), Deadline.nanos(delay), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException shutDown) {
            return () -> { };
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("A host timer task threw; the host goes on", e);
        }
    }

    /**
     * Stops the timer thread and waits up to {@code timeout} (real time) until it has terminated.
     * Interrupts do not end the wait; the status is restored before returning.
     */
    public boolean shutdown(Duration timeout) {
        executor.shutdownNow();
        Deadline deadline = Deadline.after(timeout);
        boolean interrupted = false;
        try {
            for (Thread t : threads) {
                for (;;) {
                    try {
                        if (!t.join(deadline.remaining())) {
                            return false;
                        }
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
