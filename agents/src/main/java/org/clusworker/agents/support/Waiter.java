package org.clusworker.agents.support;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.Operation;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerContext;

/**
 * How an agent waits for its processes: inside an online/offline it waits in the operation's worker,
 * so that terminating the operation wakes it at once ({@link #of(Operation)}); elsewhere (health
 * checks) it blocks the calling thread ({@link #blocking()}).
 */
public interface Waiter {

    /**
     * Waits up to {@code timeout} until {@code condition} holds; the condition is checked again
     * whenever one of {@code processes} exits (and at least every 100 ms). The condition must not block.
     *
     * @return {@code true} if the condition holds, {@code false} at the timeout
     * @throws Terminated if the operation is being terminated, or the thread was interrupted (whose
     *                    interrupt status is then set again)
     */
    boolean await(BooleanSupplier condition, Duration timeout, Collection<ProcessHandle> processes);

    /** Waits up to {@code timeout} for the process to exit; {@code true} if it has. */
    default boolean awaitExit(ProcessHandle process, Duration timeout) {
        return await(() -> !process.isAlive(), timeout, java.util.List.of(process));
    }

    /** Pauses for {@code duration}, or less if one of {@code processes} exits first. */
    default void pause(Duration duration, Collection<ProcessHandle> processes) {
        await(() -> processes.stream().anyMatch(p -> !p.isAlive()), duration, processes);
    }

    /** A waiter in the worker of {@code operation}: termination wakes it and it throws {@link Terminated}. */
    static Waiter of(Operation operation) {
        return (condition, timeout, processes) -> {
            WorkerContext ctx = operation.worker();
            Worker worker = ctx.worker();
            processes.forEach(p -> p.onExit().thenRun(worker::signal));
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                for (;;) {
                    long remaining = deadline - System.nanoTime();
                    Duration step = Duration.ofNanos(Math.max(0, Math.min(remaining, 100_000_000L)));
                    if (ctx.awaitCondition(condition, step)) {
                        return true;
                    }
                    if (ctx.isTerminationRequested()) {
                        throw new Terminated(operation.name() + " was terminated");
                    }
                    if (remaining <= 0) {
                        return condition.getAsBoolean();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Terminated(operation.name() + " was interrupted");
            }
        };
    }

    /**
     * A waiter that blocks the calling thread: woken at once when one of the processes exits, and
     * checking the condition at least every 20 ms.
     */
    static Waiter blocking() {
        return (condition, timeout, processes) -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            CompletableFuture<Object> anyExit = processes.isEmpty() ? null
                    : CompletableFuture.anyOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new));
            try {
                for (;;) {
                    if (condition.getAsBoolean()) {
                        return true;
                    }
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    long step = Math.min(remaining, 20_000_000L);
                    if (anyExit != null && !anyExit.isDone()) {
                        try {
                            anyExit.get(step, TimeUnit.NANOSECONDS);
                        } catch (TimeoutException | ExecutionException e) {
                            // the condition says what happened
                        }
                    } else {
                        Thread.sleep(Duration.ofNanos(step));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Terminated("interrupted");
            }
        };
    }

    /** The wait ended because the operation is being terminated. */
    final class Terminated extends AgentException {
        private static final long serialVersionUID = 1L;

        public Terminated(String message) {
            super(message);
        }
    }
}
