package org.clusworker.host.testing;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.host.agent.ExitState;
import org.clusworker.worker.Worker;

/**
 * A slow online/offline with progress, paced by the test: the agent reports checkpoint {@code i} once the
 * test has {@link #grant}ed {@code i} steps, and returns after the last one. It stops (returns) when a
 * report answers {@link ExitState#TERMINATE} or when it is terminated while waiting.
 */
public final class Stepper {

    private final int steps;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** @GuardedBy("lock") */
    private int granted;
    /** @GuardedBy("lock") */
    private int reported;
    /** @GuardedBy("lock") */
    private ExitState lastAnswer;
    /** The worker of the running operation, to wake it when a step is granted. */
    private volatile Worker worker;

    public Stepper(int steps) {
        this.steps = steps;
    }

    /** The script to give the agent. */
    public TestAgent.Script script() {
        return (agent, op) -> {
            worker = op.worker().worker();
            for (int i = 1; i <= steps; i++) {
                int step = i;
                if (!op.worker().awaitCondition(() -> granted() >= step, Duration.ofDays(365))) {
                    return null;        // terminated while waiting
                }
                ExitState answer = op.reportProgress(step, "step " + step);
                lock.lock();
                try {
                    reported = step;
                    lastAnswer = answer;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
                if (answer == ExitState.TERMINATE) {
                    return null;
                }
            }
            return null;
        };
    }

    /** Lets the agent take {@code n} more steps. */
    public void grant(int n) {
        lock.lock();
        try {
            granted += n;
        } finally {
            lock.unlock();
        }
        Worker w = worker;
        if (w != null) {
            w.signal();
        }
    }

    private int granted() {
        lock.lock();
        try {
            return granted;
        } finally {
            lock.unlock();
        }
    }

    /** Waits (real time, {@link Patience#PATIENCE}) until step {@code n} has been reported; returns the host's answer. */
    public ExitState awaitReported(int n) {
        Patience.await(lock, changed, () -> reported >= n ? Boolean.TRUE : null,
                () -> "step " + n + " to be reported, but the last was " + reported);
        lock.lock();
        try {
            return lastAnswer;
        } finally {
            lock.unlock();
        }
    }
}
