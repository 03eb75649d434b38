package org.clusworker.benchmarks;

import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Terminate latency: from the terminate call to its return, for a routine parked in a wait that wakes on
 * termination, against the floor of a bare park/unpark hand-off.
 *
 * <p>Both have the same shape: before the timed region ({@code @Setup(Level.Invocation)}, a new thread
 * each time) a thread is started and seen parked; the timed region wakes it and waits until it answers.
 * <ul>
 *   <li>{@code clusworker}: a worker parked in {@code ctx.awaitTermination()}; timed:
 *       {@code worker.terminate(timeout)} (set the flag, unpark, wait for the exit).</li>
 *   <li>{@code parkUnparkFloor}: a thread parked until a volatile flag is set; timed: set the flag,
 *       unpark it, park until it sets an acknowledgement and unparks us back.</li>
 * </ul>
 * Each invocation takes tens of microseconds, so the per-invocation set-up does not disturb the timing.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class TerminateLatencyBenchmark {

    private static final Duration TIMEOUT = Threads.PATIENCE;
    private static final Routine AWAIT_TERMINATION = ctx -> {
        ctx.awaitTermination();
        return 0;
    };

    @Benchmark
    public boolean clusworker(ParkedWorker s) {
        try {
            boolean exited = s.worker.terminate(TIMEOUT);
            if (!exited) {
                throw new IllegalStateException(s.worker + " did not exit within " + TIMEOUT);
            }
            return exited;
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, s::tearDown);
            throw e;
        }
    }

    @Benchmark
    public boolean parkUnparkFloor(ParkedThread s) {
        try {
            return s.handoff.wakeAndAwaitAcknowledgement();
        } catch (RuntimeException | Error e) {
            Threads.cleanUpAfter(e, s::tearDown);
            throw e;
        }
    }

    /** A worker started and parked in {@code awaitTermination()} before each invocation. */
    @State(Scope.Thread)
    public static class ParkedWorker {
        @Param({"platform", "virtual"})
        public String threads;

        private final WorkerRegistry registry = new WorkerRegistry();
        private Worker.Builder builder;
        Worker worker;

        @Setup(Level.Trial)
        public void setUp() {
            builder = Worker.builder("bench").virtual("virtual".equals(threads)).registry(registry);
        }

        @Setup(Level.Invocation)
        public void startParkedWorker() {
            try {
                worker = builder.start(AWAIT_TERMINATION);
                // WorkerContext parks with the worker as its blocker.
                Threads.awaitParked(worker.thread(), worker);
            } catch (RuntimeException | Error e) {
                Threads.cleanUpAfter(e, this::tearDown);
                throw e;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (!Worker.terminateAll(registry.workers(), TIMEOUT).allExited()) {
                throw new IllegalStateException("workers left running: " + registry.live());
            }
        }

    }

    /** A bare thread started and parked before each invocation. */
    @State(Scope.Thread)
    public static class ParkedThread {
        @Param({"platform", "virtual"})
        public String threads;

        private ThreadFactory factory;
        Handoff handoff;

        @Setup(Level.Trial)
        public void setUp() {
            factory = "virtual".equals(threads) ? Thread.ofVirtual().factory() : Threads.platformDaemons();
        }

        @Setup(Level.Invocation)
        public void startParkedThread() {
            try {
                handoff = new Handoff(Thread.currentThread());
                handoff.start(factory);
                Threads.awaitParked(handoff.responder, handoff);
            } catch (RuntimeException | Error e) {
                Threads.cleanUpAfter(e, this::tearDown);
                throw e;
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (handoff != null && !handoff.stop()) {
                throw new IllegalStateException("thread left running: " + handoff.responder);
            }
        }

    }

    /** One wake-up and one hand-off back between the caller and a responder thread. */
    static final class Handoff implements Runnable {
        private final Thread caller;
        Thread responder;
        private volatile boolean wake;
        private volatile boolean acknowledged;

        Handoff(Thread caller) {
            this.caller = caller;
        }

        void start(ThreadFactory factory) {
            responder = factory.newThread(this);
            responder.start();
        }

        @Override
        public void run() {
            while (!wake) {
                LockSupport.park(this);
            }
            acknowledged = true;
            LockSupport.unpark(caller);
        }

        /** Wakes the responder and parks until it acknowledges. */
        boolean wakeAndAwaitAcknowledgement() {
            wake = true;
            LockSupport.unpark(responder);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!acknowledged) {
                LockSupport.parkNanos(this, TIMEOUT.toNanos());
                if (System.nanoTime() - deadline > 0 && !acknowledged) {
                    throw new IllegalStateException(responder + " did not acknowledge within " + TIMEOUT);
                }
            }
            return true;
        }

        /** Wakes the responder if it still waits and joins it. */
        boolean stop() {
            wake = true;
            LockSupport.unpark(responder);
            return responder.getState() == Thread.State.NEW || Threads.join(responder);
        }
    }
}
