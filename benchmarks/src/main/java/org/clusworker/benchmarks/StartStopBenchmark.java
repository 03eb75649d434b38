package org.clusworker.benchmarks;

import com.google.common.util.concurrent.AbstractExecutionThreadService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
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
 * Start + stop of a service whose body waits until it is told to stop, on a new platform thread:
 * a worker ({@code start}, then {@link Worker#terminate(Duration)}), Guava's
 * {@link AbstractExecutionThreadService} ({@code startAsync().awaitRunning(); stopAsync().awaitTerminated()}),
 * and, as the floor, a bare thread parked on a volatile flag ({@code start}; set, unpark, {@code join}).
 *
 * <p>Guava's service must wait in {@code run()}: with a body that returns at once, {@code awaitRunning()}
 * throws whenever the service has already terminated. Its {@code run()} waits on a latch that
 * {@code triggerShutdown()} opens; everything else is Guava's default, including its executor (a new
 * platform thread per start, named after the service).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class StartStopBenchmark {

    private static final Duration TIMEOUT = Threads.PATIENCE;
    private static final Routine AWAIT_TERMINATION = ctx -> {
        ctx.awaitTermination();
        return 0;
    };

    private final WorkerRegistry registry = new WorkerRegistry();
    private Worker.Builder platform;
    /** The latest Guava service and bare thread, for tear-down after a failure. */
    private GuavaService service;
    private ParkedThread parked;

    @Setup(Level.Trial)
    public void setUp() {
        platform = Worker.builder("bench").platform().registry(registry);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        List<String> running = new ArrayList<>();
        if (!Worker.terminateAll(registry.workers(), TIMEOUT).allExited()) {
            running.add("workers " + registry.live());
        }
        if (service != null) {
            try {
                service.stopAsync().awaitTerminated(TIMEOUT);
            } catch (TimeoutException | IllegalStateException e) {
                running.add("guava service " + service + " (" + e + ")");
            }
        }
        if (parked != null && !parked.stop()) {
            running.add("thread " + parked.thread);
        }
        if (!running.isEmpty()) {
            throw new IllegalStateException("threads left running: " + running);
        }
    }

    @Benchmark
    public Worker clusworker() {
        try {
            Worker worker = platform.start(AWAIT_TERMINATION);
            if (!worker.terminate(TIMEOUT)) {
                throw new IllegalStateException(worker + " did not exit within " + TIMEOUT);
            }
            return worker;
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

    @Benchmark
    public GuavaService guava() throws TimeoutException {
        try {
            GuavaService s = new GuavaService();
            service = s;
            s.startAsync().awaitRunning(TIMEOUT);
            s.stopAsync().awaitTerminated(TIMEOUT);
            return s;
        } catch (TimeoutException | RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }

    @Benchmark
    public Thread rawThread() {
        try {
            ParkedThread p = new ParkedThread();
            parked = p;
            p.thread.start();
            if (!p.stop()) {
                throw new IllegalStateException(p.thread + " did not stop within " + TIMEOUT);
            }
            return p.thread;
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, this::tearDown);
            throw e;
        }
    }


    /** A Guava service whose {@code run()} waits until {@code stopAsync()} triggers its shutdown. */
    public static final class GuavaService extends AbstractExecutionThreadService {
        private final CountDownLatch stop = new CountDownLatch(1);

        @Override
        protected void run() throws InterruptedException {
            stop.await();
        }

        @Override
        protected void triggerShutdown() {
            stop.countDown();
        }
    }

    /** A bare daemon thread that parks until its volatile flag is set. */
    static final class ParkedThread implements Runnable {
        final Thread thread = new Thread(this);
        private volatile boolean stop;

        ParkedThread() {
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                LockSupport.park(this);
            }
        }

        /** Sets the flag, unparks the thread and joins it; {@code true} if it ended within the timeout. */
        boolean stop() {
            stop = true;
            LockSupport.unpark(thread);
            return thread.getState() == Thread.State.NEW || Threads.join(thread);
        }
    }
}
