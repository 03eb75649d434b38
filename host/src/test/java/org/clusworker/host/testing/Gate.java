package org.clusworker.host.testing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerContext;

/** A one-shot gate a test opens to let an agent go on. */
public final class Gate {

    private final CountDownLatch latch = new CountDownLatch(1);
    /** Workers waiting in {@link #awaitInWorker}, to wake when the gate opens. */
    private final Set<Worker> waiters = ConcurrentHashMap.newKeySet();

    public void open() {
        latch.countDown();
        for (Worker w : waiters) {
            w.signal();
        }
    }

    /**
     * Waits in the worker's context until open (then {@code true}) or until the worker is terminated
     * (then {@code false}), the way a cooperative agent waits.
     */
    public boolean awaitInWorker(WorkerContext ctx) throws InterruptedException {
        waiters.add(ctx.worker());
        try {
            return ctx.awaitCondition(this::isOpen, Duration.ofDays(365));
        } finally {
            waiters.remove(ctx.worker());
        }
    }

    public boolean isOpen() {
        return latch.getCount() == 0;
    }

    /**
     * Waits until open, ignoring interrupts and termination, as code stuck in a non-interruptible call
     * does; restores the interrupt status when it returns.
     */
    public void awaitUninterruptibly() {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    latch.await();
                    return;
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

    /** Waits up to {@code timeout} (real time); {@code false} if it did not open. Interrupts are rethrown. */
    public boolean await(Duration timeout) throws InterruptedException {
        return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
