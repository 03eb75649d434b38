package org.clusworker.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.resapi.Win32Error;
import org.clusworker.resapi.WorkerStartRoutine;
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
 * Terminate latency of the Windows pattern, through the facade: the routine polls
 * {@code while (!ClusWorkerCheckTerminate(w)) Sleep(500)}, and {@code ClusWorkerTerminate(w)} is timed.
 *
 * <p>Before each shot the worker is started and seen sleeping, then the set-up waits a random part of
 * the 500 ms period, so that the terminate lands anywhere in it, as it does in real life: the mean is
 * about 250 ms and the worst about 500 ms. Single shots keep it within budget; JMH reports the mean and
 * the distribution (its 100th percentile is the worst).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 30)
@Fork(1)
@State(Scope.Thread)
public class PollingTerminateBenchmark {

    static final int POLL_MS = 500;
    private static final int TIMEOUT_MS = (int) Threads.PATIENCE.toMillis();

    private static final WorkerStartRoutine POLL_EVERY_500_MS = (worker, parameter) -> {
        while (!ResUtils.clusWorkerCheckTerminate(worker)) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return Win32Error.ERROR_UNHANDLED_EXCEPTION;
            }
        }
        return Win32Error.ERROR_SUCCESS;
    };

    private final ClusWorker clusWorker = new ClusWorker();
    /** Seeded, so that every run sees the same phases. */
    private final SplittableRandom phases = new SplittableRandom(500);

    @Setup(Level.Invocation)
    public void startPollingWorker() {
        try {
            int created = ResUtils.clusWorkerCreate(clusWorker, POLL_EVERY_500_MS, null);
            if (created != Win32Error.ERROR_SUCCESS) {
                throw new IllegalStateException("clusWorkerCreate returned " + created);
            }
            Threads.awaitState(clusWorker.hThread(), Thread.State.TIMED_WAITING);
            Threads.sleep(TimeUnit.MICROSECONDS.toNanos(phases.nextLong(POLL_MS * 1000L)));
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        int code = ResUtils.clusWorkerTerminateEx(clusWorker, TIMEOUT_MS, false);
        if (code != Win32Error.ERROR_SUCCESS) {
            throw new IllegalStateException("worker left running: " + clusWorker + " (" + code + ")");
        }
    }

    @Benchmark
    public ClusWorker facadePolling500ms() {
        try {
            ResUtils.clusWorkerTerminate(clusWorker);
            return clusWorker;
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

}
