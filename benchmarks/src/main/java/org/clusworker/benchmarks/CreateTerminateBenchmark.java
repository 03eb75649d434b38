package org.clusworker.benchmarks;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.resapi.Win32Error;
import org.clusworker.resapi.WorkerStartRoutine;
import org.clusworker.worker.Routine;
import org.clusworker.worker.Worker;
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
 * Create + terminate of a worker whose routine returns at once, against a bare thread's
 * {@code start(); join()}, a cached thread pool's {@code submit(..).get()}, on platform and virtual threads.
 *
 * <p>{@code platformClusworker} and {@code virtualClusworker} use the Java API, whose
 * {@link Worker#terminate(Duration)} returns once the exit is published; {@code platformFacade} uses
 * {@code ClusWorkerCreate} + {@code ClusWorkerTerminate}, which, like a Win32 wait on the thread handle,
 * returns only once the thread itself has terminated, exactly as {@code join()} does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class CreateTerminateBenchmark {

    private static final Runnable RETURN_AT_ONCE = () -> { };
    private static final Callable<Integer> CALL_RETURN_AT_ONCE = () -> 0;
    private static final Routine ROUTINE_RETURN_AT_ONCE = ctx -> 0;
    private static final WorkerStartRoutine START_RETURN_AT_ONCE = (worker, parameter) -> 0;
    private static final Duration TIMEOUT = Threads.PATIENCE;

    /** The benchmark's own registry, so that tear-down finds every worker still alive. */
    private final WorkerRegistry registry = new WorkerRegistry();
    private final ClusWorker clusWorker = new ClusWorker();
    private Worker.Builder platform;
    private Worker.Builder virtual;
    private ExecutorService pool;

    @Setup(Level.Trial)
    public void setUp() {
        platform = Worker.builder("bench").platform().registry(registry);
        virtual = Worker.builder("bench").virtual().registry(registry);
        pool = Executors.newCachedThreadPool(Threads.platformDaemons());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        pool.shutdownNow();
        boolean poolDone = pool.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        boolean workersDone = Worker.terminateAll(registry.workers(), TIMEOUT).allExited();
        int facade = ResUtils.clusWorkerTerminateEx(clusWorker, (int) TIMEOUT.toMillis(), false);
        if (!poolDone || !workersDone || facade != Win32Error.ERROR_SUCCESS) {
            throw new IllegalStateException("threads left running: pool " + (poolDone ? "stopped" : "running")
                    + ", workers " + registry.live() + ", facade worker " + clusWorker);
        }
    }

    @Benchmark
    public Thread platformRaw() throws InterruptedException {
        try {
            Thread t = new Thread(RETURN_AT_ONCE);
            t.start();
            t.join();
            return t;
        } catch (InterruptedException | RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

    @Benchmark
    public Worker platformClusworker() {
        return startAndTerminate(platform);
    }

    @Benchmark
    public int platformFacade() {
        try {
            int created = ResUtils.clusWorkerCreate(clusWorker, START_RETURN_AT_ONCE, null);
            if (created != Win32Error.ERROR_SUCCESS) {
                throw new IllegalStateException("clusWorkerCreate returned " + created);
            }
            ResUtils.clusWorkerTerminate(clusWorker);
            return created;
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

    @Benchmark
    public Integer platformCachedPool() throws InterruptedException, ExecutionException {
        try {
            return pool.submit(CALL_RETURN_AT_ONCE).get();
        } catch (InterruptedException | ExecutionException | RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

    @Benchmark
    public Thread virtualRaw() throws InterruptedException {
        try {
            Thread t = Thread.ofVirtual().start(RETURN_AT_ONCE);
            t.join();
            return t;
        } catch (InterruptedException | RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

    @Benchmark
    public Worker virtualClusworker() {
        return startAndTerminate(virtual);
    }

    private Worker startAndTerminate(Worker.Builder builder) {
        try {
            Worker worker = builder.start(ROUTINE_RETURN_AT_ONCE);
            if (!worker.terminate(TIMEOUT)) {
                throw new IllegalStateException(worker + " did not exit within " + TIMEOUT);
            }
            return worker;
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

}
