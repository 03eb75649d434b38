package org.clusworker.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerContext;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Mode;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.Signal;
import org.openjdk.jcstress.annotations.State;

/**
 * Race: <b>the terminate flag, set by one thread, must become visible to a thread that polls it in a
 * loop.</b> If the flag (or the reference to the current worker in {@code ClusWorker}) were a plain
 * field, the JIT could hoist the read out of the loop and the poller would spin forever.
 *
 * <p>jcstress Termination mode: the {@code @Actor} runs a loop that can only end through the flag, the
 * {@code @Signal} sets the flag from another thread, and an actor that has not returned shortly after is
 * reported as {@code STALE}, which is forbidden here. Two shapes, each for the Win32 facade and for the
 * Java API:
 * <ul>
 *   <li>the worker's own routine spins on the flag and the actor waits for it to exit (the real use:
 *       a routine polling {@code ClusWorkerCheckTerminate});</li>
 *   <li>the actor itself spins on the flag, the classic jcstress shape, while the worker's routine
 *       sleeps until it is woken by the termination request.</li>
 * </ul>
 * The signals never wait without limit (jcstress cannot time out a blocked signal), except
 * {@code clusWorkerTerminate} in {@link PollerSeesClusWorkerTerminate}, whose wait ends as soon as the
 * sleeping routine is woken; the run-jcstress watchdog covers that one.
 */
public final class TerminateFlagVisibility {

    private static final Worker.Builder POLLERS = Worker.builder("stress-poll");
    private static final Worker.Builder SLEEPERS = Worker.builder("stress-sleep");

    private TerminateFlagVisibility() {
    }

    /**
     * A routine spinning on {@code ResUtils.clusWorkerCheckTerminate(w)} (on the worker's own thread) must
     * end after another thread sets the flag with {@code clusWorkerTerminateEx(w, 0, false)}; the actor
     * waits for that with {@code clusWorkerTerminateEx(w, INFINITE, true)}, so it also needs the exit to
     * be published to it.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "The routine saw the flag, returned, and the waiting actor saw its thread exit.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "The routine never saw the flag set by the signal (or the waiter never saw the exit): "
                    + "the flag or the exit is not published to other threads.")
    @Outcome(expect = FORBIDDEN, desc = "The actor threw: the wait for the routine failed.")
    @State
    public static class RoutinePollsCheckTerminate {
        final ClusWorker w = StressSupport.createdWorker((self, parameter) -> {
            while (!ResUtils.clusWorkerCheckTerminate(self)) {
                // spin: the flag is the only way out
            }
            return 0;
        }, null);

        @Actor
        public void awaitRoutineExit() {
            ResUtils.clusWorkerTerminateEx(w, ResUtils.INFINITE, true);
        }

        @Signal
        public void setFlag() {
            ResUtils.clusWorkerTerminateEx(w, 0, false);
        }
    }

    /**
     * A routine spinning on {@link WorkerContext#isTerminationRequested()} must end after another thread
     * calls {@link Worker#requestTermination()}; the actor waits for that with {@link Worker#awaitExit()}.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE,
            desc = "The routine saw the request, returned, and the waiting actor saw the exit.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "The routine never saw requestTermination() (or the waiter never saw the exit): "
                    + "the flag or the exit is not published to other threads.")
    @Outcome(expect = FORBIDDEN, desc = "The actor threw: awaitExit() failed.")
    @State
    public static class RoutinePollsContext {
        final Worker worker = POLLERS.start(context -> {
            while (!context.isTerminationRequested()) {
                // spin: the flag is the only way out
            }
            return 0;
        });

        @Actor
        public void awaitRoutineExit() {
            worker.awaitExit();
        }

        @Signal
        public void requestTermination() {
            worker.requestTermination();
        }
    }

    /**
     * An actor spinning on {@code ResUtils.clusWorkerCheckTerminate(w)} must end after another thread calls
     * {@code ResUtils.clusWorkerTerminate(w)}, which sets the flag, wakes the sleeping routine and waits
     * for it to exit.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The poller saw the flag set by clusWorkerTerminate.")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "The poller never saw the flag set by clusWorkerTerminate: it is not published to other threads.")
    @Outcome(expect = FORBIDDEN, desc = "The poller threw: clusWorkerCheckTerminate must never fail on a created worker.")
    @State
    public static class PollerSeesClusWorkerTerminate {
        final ClusWorker w = StressSupport.createdWorker(StressSupport.AWAIT_TERMINATE, null);

        @Actor
        public void poll() {
            while (!ResUtils.clusWorkerCheckTerminate(w)) {
                // spin: the flag is the only way out
            }
        }

        @Signal
        public void terminate() {
            ResUtils.clusWorkerTerminate(w);
        }
    }

    /**
     * An actor spinning on {@link WorkerContext#isTerminationRequested()} must end after another thread
     * calls {@link Worker#requestTermination()}. The routine sleeps in
     * {@link WorkerContext#awaitTermination()} and ends by itself once woken.
     */
    @JCStressTest(Mode.Termination)
    @Outcome(id = "TERMINATED", expect = ACCEPTABLE, desc = "The poller saw the flag set by requestTermination().")
    @Outcome(id = "STALE", expect = FORBIDDEN,
            desc = "The poller never saw the flag set by requestTermination(): it is not published to other threads.")
    @Outcome(expect = FORBIDDEN, desc = "The poller threw: isTerminationRequested() must never fail.")
    @State
    public static class PollerSeesRequestTermination {
        final Worker worker = SLEEPERS.start(context -> {
            context.awaitTermination();
            return 0;
        });
        final WorkerContext context = worker.context();

        @Actor
        public void poll() {
            while (!context.isTerminationRequested()) {
                // spin: the flag is the only way out
            }
        }

        @Signal
        public void requestTermination() {
            worker.requestTermination();
        }
    }
}
