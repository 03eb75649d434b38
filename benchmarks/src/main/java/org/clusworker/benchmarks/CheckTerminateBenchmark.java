package org.clusworker.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.resapi.Win32Error;
import org.clusworker.resapi.WorkerStartRoutine;
import org.clusworker.worker.Routine;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerContext;
import org.clusworker.worker.WorkerRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The termination check, ns per call, against a plain volatile read: {@code ClusWorkerCheckTerminate}
 * through the facade, and the Java API's {@code isTerminationRequested()} on the worker and on the
 * routine's context. The workers are alive (parked until termination) and their flag is clear, as it
 * is on every check but the last. Each result is returned to JMH, so no read can be eliminated.
 *
 * <p>The baseline is Win32's own check, {@code pWorker->Terminate}: a volatile boolean in a record the
 * caller holds a reference to. Every variant starts from a reference held in this state object (a
 * routine holds its worker, context or {@code CLUS_WORKER} the same way), so each pays the same load of
 * that reference and the ratio shows only what the check itself adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class CheckTerminateBenchmark {

    private static final Duration TIMEOUT = Threads.PATIENCE;
    private static final Routine AWAIT_TERMINATION = ctx -> {
        ctx.awaitTermination();
        return 0;
    };
    private static final WorkerStartRoutine WAIT_TERMINATE = (worker, parameter) -> {
        while (!ResUtils.clusWorkerWaitTerminate(worker, ResUtils.INFINITE)) {
            Thread.onSpinWait();
        }
        return Win32Error.ERROR_SUCCESS;
    };

    /** The baseline: Win32's {@code CLUS_WORKER}, a record with a volatile flag that is never set. */
    private FlagRecord record;

    private final WorkerRegistry registry = new WorkerRegistry();
    // Not final, all four alike: the JIT must load each reference as a routine would.
    private ClusWorker clusWorker = new ClusWorker();
    private Worker worker;
    private WorkerContext context;

    @Setup(Level.Trial)
    public void setUp() {
        try {
            record = new FlagRecord();
            worker = Worker.builder("bench").registry(registry).start(AWAIT_TERMINATION);
            context = worker.context();
            int created = ResUtils.clusWorkerCreate(clusWorker, WAIT_TERMINATE, null);
            if (created != Win32Error.ERROR_SUCCESS) {
                throw new IllegalStateException("clusWorkerCreate returned " + created);
            }
        } catch (RuntimeException | Error e) {
            try {
                tearDown();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        boolean workersDone = Worker.terminateAll(registry.workers(), TIMEOUT).allExited();
        int facade = ResUtils.clusWorkerTerminateEx(clusWorker, (int) TIMEOUT.toMillis(), false);
        if (!workersDone || facade != Win32Error.ERROR_SUCCESS) {
            throw new IllegalStateException("threads left running: workers " + registry.live()
                    + ", facade worker " + clusWorker);
        }
    }

    @Benchmark
    public boolean volatileRead() {
        return record.terminate;
    }

    @Benchmark
    public boolean workerIsTerminationRequested() {
        return worker.isTerminationRequested();
    }

    @Benchmark
    public boolean contextIsTerminationRequested() {
        return context.isTerminationRequested();
    }

    @Benchmark
    public boolean facadeClusWorkerCheckTerminate() {
        return ResUtils.clusWorkerCheckTerminate(clusWorker);
    }

    /** {@code struct { HANDLE hThread; BOOL Terminate; }}, as the baseline reads it. */
    static final class FlagRecord {
        Thread hThread;
        volatile boolean terminate;
    }
}
