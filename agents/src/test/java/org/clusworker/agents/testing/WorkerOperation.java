package org.clusworker.agents.testing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.agent.Operation;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerContext;
import org.clusworker.worker.WorkerExit;

/**
 * Runs an online or offline in a real clusworker worker, as the host does, recording its progress
 * reports; stands in for the host in the agents' tests.
 */
public final class WorkerOperation implements Operation {

    private final String name;
    private final WorkerContext context;
    private final List<String> progress;
    private long checkpoint;

    private WorkerOperation(String name, WorkerContext context, List<String> progress) {
        this.name = name;
        this.context = context;
        this.progress = progress;
    }

    /** A started operation: {@link #await} for its end, {@link Worker#terminate} to stop it. */
    public record Running(Worker worker, List<String> progress) {
        /** Waits for the end and returns what the agent threw, or null. */
        public Throwable await(Duration timeout) {
            if (!worker.awaitExit(timeout)) {
                throw new AssertionError(worker.name() + " still running after " + timeout + "; progress: " + progress);
            }
            return worker.exit().map(WorkerExit::failure).orElse(null);
        }
    }

    public static Running start(String name, Consumer<Operation> body) {
        List<String> progress = new CopyOnWriteArrayList<>();
        Worker w = Worker.builder("test-" + name).platform().start(ctx -> {
            body.accept(new WorkerOperation(name, ctx, progress));
            return 0;
        });
        return new Running(w, progress);
    }

    /** Runs the operation to its end; rethrows what it threw. */
    public static List<String> run(String name, Consumer<Operation> body) {
        Running r = start(name, body);
        Throwable t = r.await(Duration.ofSeconds(60));
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t != null) {
            throw new AssertionError(t);
        }
        return r.progress();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized ExitState reportProgress(long cp, String message) {
        if (cp <= checkpoint) {
            throw new IllegalArgumentException("checkpoint " + cp + " <= " + checkpoint);
        }
        checkpoint = cp;
        progress.add(message);
        return context.isTerminationRequested() ? ExitState.TERMINATE : ExitState.CONTINUE;
    }

    @Override
    public synchronized ExitState reportProgress(String message) {
        return reportProgress(checkpoint + 1, message);
    }

    @Override
    public boolean isTerminationRequested() {
        return context.isTerminationRequested();
    }

    @Override
    public WorkerContext worker() {
        return context;
    }

    @Override
    public Duration pendingTimeout() {
        return Duration.ofSeconds(180);
    }
}
