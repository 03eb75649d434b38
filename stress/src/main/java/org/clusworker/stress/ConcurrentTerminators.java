package org.clusworker.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.worker.Worker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IZZ_Result;
import org.openjdk.jcstress.infra.results.ZZI_Result;

/**
 * Race: <b>two threads are the "first" terminator of one worker at the same time.</b> The flag's
 * check-and-set is atomic, so exactly one of them sets it; that one alone runs the termination callbacks
 * and, in {@code ClusWorkerTerminate}, waits until the thread has exited. The other returns at once.
 */
public final class ConcurrentTerminators {

    private static final Worker.Builder UNSTARTED = Worker.builder("stress-unstarted");

    private ConcurrentTerminators() {
    }

    /**
     * Two concurrent {@link Worker#requestTermination()}: exactly one returns {@code true}, and the
     * termination callback runs exactly once. The worker is never started, so a sample costs no thread;
     * the check-and-set is the same whether or not a thread runs (the running case is
     * {@link ClusWorkerTerminate}). Result: (actor 1 got true, actor 2 got true, callback runs).
     */
    @JCStressTest
    @Outcome(id = "true, false, 1", expect = ACCEPTABLE,
            desc = "Actor 1 set the flag and ran the callback; actor 2 found the flag already set.")
    @Outcome(id = "false, true, 1", expect = ACCEPTABLE,
            desc = "Actor 2 set the flag and ran the callback; actor 1 found the flag already set.")
    @Outcome(id = "true, true, .*", expect = FORBIDDEN,
            desc = "Both actors think they set the flag: the check-and-set is not atomic, so both would wait "
                    + "as the first terminator and the callbacks could run twice.")
    @Outcome(id = "false, false, .*", expect = FORBIDDEN,
            desc = "Neither actor set the flag although it was clear: a first request was lost.")
    @Outcome(expect = FORBIDDEN, desc = "The termination callback ran other than exactly once.")
    @State
    public static class RequestTermination {
        final Worker worker = UNSTARTED.unstarted(context -> 0);
        final AtomicInteger callbackRuns = new AtomicInteger();

        public RequestTermination() {
            worker.onTermination(callbackRuns::incrementAndGet);
        }

        @Actor
        public void actor1(ZZI_Result r) {
            r.r1 = worker.requestTermination();
        }

        @Actor
        public void actor2(ZZI_Result r) {
            r.r2 = worker.requestTermination();
        }

        @Arbiter
        public void arbiter(ZZI_Result r) {
            r.r3 = callbackRuns.get();
        }
    }

    /**
     * Two concurrent {@code ResUtils.clusWorkerTerminate(w)} on a running worker whose routine sleeps until
     * the flag is set. Both return; the first (the one that set the flag) returns only once the thread has
     * exited; the second may return before that. Who was first is told by a termination callback, which
     * runs on the first terminator's thread. Result: (first actor: 1 or 2, 0 if the callback did not run
     * exactly once; actor 1 saw the thread exited right after its call returned; same for actor 2).
     */
    @JCStressTest
    @Outcome(id = "1, true, true", expect = ACCEPTABLE,
            desc = "Actor 1 was first and waited for the exit; actor 2 returned after the exit as well.")
    @Outcome(id = "1, true, false", expect = ACCEPTABLE_INTERESTING,
            desc = "Actor 1 was first and waited for the exit; actor 2 found the flag set and returned at once, "
                    + "before the thread had exited, as Windows documents for later calls.")
    @Outcome(id = "2, true, true", expect = ACCEPTABLE,
            desc = "Actor 2 was first and waited for the exit; actor 1 returned after the exit as well.")
    @Outcome(id = "2, false, true", expect = ACCEPTABLE_INTERESTING,
            desc = "Actor 2 was first and waited for the exit; actor 1 found the flag set and returned at once, "
                    + "before the thread had exited, as Windows documents for later calls.")
    @Outcome(id = "1, false, .*", expect = FORBIDDEN,
            desc = "Actor 1 set the flag, so it was the first call, yet it returned before the thread had exited.")
    @Outcome(id = "2, .*, false", expect = FORBIDDEN,
            desc = "Actor 2 set the flag, so it was the first call, yet it returned before the thread had exited.")
    @Outcome(expect = FORBIDDEN,
            desc = "Not exactly one first terminator: the termination callback ran on neither actor, or more than once.")
    @State
    public static class ClusWorkerTerminate {
        final ClusWorker w = StressSupport.createdWorker(StressSupport.AWAIT_TERMINATE, null);
        final Worker worker = StressSupport.current(w);
        final AtomicInteger callbackRuns = new AtomicInteger();
        /** Written by actor 1 on its own thread before it calls; read there by the callback, and by the arbiter. */
        Thread thread1;
        /** As {@link #thread1}, for actor 2. */
        Thread thread2;
        /** Written by the termination callback, on the first terminator's thread; read by the arbiter. */
        Thread firstTerminator;

        public ClusWorkerTerminate() {
            worker.onTermination(() -> {
                firstTerminator = Thread.currentThread();
                callbackRuns.incrementAndGet();
            });
        }

        @Actor
        public void actor1(IZZ_Result r) {
            thread1 = Thread.currentThread();
            ResUtils.clusWorkerTerminate(w);
            r.r2 = StressSupport.threadExited(worker);
        }

        @Actor
        public void actor2(IZZ_Result r) {
            thread2 = Thread.currentThread();
            ResUtils.clusWorkerTerminate(w);
            r.r3 = StressSupport.threadExited(worker);
        }

        @Arbiter
        public void arbiter(IZZ_Result r) {
            if (callbackRuns.get() == 1) {
                r.r1 = firstTerminator == thread1 ? 1 : firstTerminator == thread2 ? 2 : 0;
            }
            ResUtils.clusWorkerTerminateEx(w, ResUtils.INFINITE, false);    // no thread outlives the sample
        }
    }
}
