package org.clusworker.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.Optional;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.resapi.Win32Error;
import org.clusworker.stress.StressSupport.FirstCheck;
import org.clusworker.stress.StressSupport.RoutineOutcome;
import org.clusworker.worker.Worker;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;
import org.openjdk.jcstress.infra.results.LLL_Result;

/**
 * Race: <b>{@code ClusWorkerCreate} on a fresh {@code CLUS_WORKER} while another thread terminates it.</b>
 * The terminate either comes before the create has published its worker (it finds no thread and returns
 * at once, and the routine runs with the flag clear) or after (it sets the new worker's flag and, being
 * the first terminator, returns only once the thread has exited). Nothing hangs, nothing is half done,
 * and no thread outlives the sample: the arbiter first waits for the routine's first
 * {@code clusWorkerCheckTerminate} (so that what it saw was set by the actors alone), then terminates
 * whatever is left and checks that the thread has exited.
 *
 * <p>The terminator's view, read right after its call returns: {@code NO_WORKER} (the create has not
 * published a worker yet), {@code MISSED} (a worker is there now, its flag clear: the terminate ran
 * before it was published), {@code EXITED} (the flag is set, so this call set it, and the thread has
 * exited), {@code RUNNING} (the flag is set but the thread has not exited).
 */
public final class CreateRacingTerminate {

    private CreateRacingTerminate() {
    }

    /** What the terminating actor sees right after its call returns. */
    enum TerminatorView {
        NO_WORKER, MISSED, EXITED, RUNNING;

        static TerminatorView of(ClusWorker w) {
            Optional<Worker> worker = w.worker();
            if (worker.isEmpty()) {
                return NO_WORKER;
            }
            if (!worker.get().isTerminationRequested()) {
                return MISSED;
            }
            return StressSupport.threadExited(worker.get()) ? EXITED : RUNNING;
        }
    }

    /** The per-sample state both tests share: a zeroed {@code ClusWorker} and the routine's first check. */
    abstract static class Race {
        final ClusWorker w = new ClusWorker();
        final FirstCheck firstCheck = new FirstCheck();

        int createWorker() {
            return ResUtils.clusWorkerCreate(w, FirstCheck.ROUTINE, firstCheck);
        }

        RoutineOutcome settle(int createRc) {
            RoutineOutcome seen = firstCheck.awaitFirstCheck(createRc == Win32Error.ERROR_SUCCESS);
            return StressSupport.terminateAndJoin(w, seen);
        }
    }

    /**
     * {@code clusWorkerCreate(w, routine, p)} racing {@code clusWorkerTerminate(w)}.
     * Result: (create's return code, the terminator's view, what the routine saw at its first check).
     */
    @JCStressTest
    @Outcome(id = "ERROR_SUCCESS, NO_WORKER, SAW_FLAG_CLEAR", expect = ACCEPTABLE,
            desc = "The terminate came first, found no thread and returned at once; the routine ran with the flag "
                    + "clear; the arbiter stopped it.")
    @Outcome(id = "ERROR_SUCCESS, MISSED, SAW_FLAG_CLEAR", expect = ACCEPTABLE_INTERESTING,
            desc = "The terminate found no thread, and the create published its worker just after that: "
                    + "the routine ran with the flag clear; the arbiter stopped it.")
    @Outcome(id = "ERROR_SUCCESS, EXITED, SAW_FLAG_CLEAR", expect = ACCEPTABLE,
            desc = "The terminate came after the routine's first check: it set the flag, woke the routine and "
                    + "waited for the thread to exit.")
    @Outcome(id = "ERROR_SUCCESS, EXITED, SAW_FLAG_SET", expect = ACCEPTABLE_INTERESTING,
            desc = "The terminate set the flag after the create published the worker but before the routine's "
                    + "first check (possibly before its thread started); the routine saw it at once and the "
                    + "terminate waited for the exit.")
    @Outcome(id = ".*, RUNNING, .*", expect = FORBIDDEN,
            desc = "The terminate set the flag (it was the first and only terminator) yet returned before the "
                    + "thread had exited.")
    @Outcome(id = ".*, (NO_WORKER|MISSED), SAW_FLAG_SET", expect = FORBIDDEN,
            desc = "The routine saw a flag that nobody had set: the terminate missed the worker, and the arbiter "
                    + "sets the flag only after the routine's first check.")
    @Outcome(id = ".*, NEVER_RAN", expect = FORBIDDEN,
            desc = "The create succeeded but its routine did not run within 10 s: a lost thread.")
    @Outcome(id = ".*, LEAKED", expect = FORBIDDEN,
            desc = "The arbiter's clusWorkerTerminateEx(INFINITE) returned but the thread is still alive.")
    @Outcome(expect = FORBIDDEN,
            desc = "Any other result, e.g. a create on a fresh worker that did not return ERROR_SUCCESS.")
    @State
    public static class Terminate extends Race {
        /** Written by the creating actor, read by the arbiter. */
        int createRc;

        @Actor
        public void create(LLL_Result r) {
            createRc = createWorker();
            r.r1 = Win32Error.name(createRc);
        }

        @Actor
        public void terminate(LLL_Result r) {
            ResUtils.clusWorkerTerminate(w);
            r.r2 = TerminatorView.of(w);
        }

        @Arbiter
        public void arbiter(LLL_Result r) {
            r.r3 = settle(createRc);
        }
    }

    /**
     * {@code clusWorkerCreate(w, routine, p)} racing {@code clusWorkerTerminateEx(w, INFINITE, false)}, which
     * returns {@code ERROR_SUCCESS} both when it finds no thread and when it has waited for the exit.
     * Result: (create's return code, terminateEx's return code, the terminator's view, what the routine saw).
     */
    @JCStressTest
    @Outcome(id = "ERROR_SUCCESS, ERROR_SUCCESS, NO_WORKER, SAW_FLAG_CLEAR", expect = ACCEPTABLE,
            desc = "The terminate came first, found no thread and returned at once; the routine ran with the flag "
                    + "clear; the arbiter stopped it.")
    @Outcome(id = "ERROR_SUCCESS, ERROR_SUCCESS, MISSED, SAW_FLAG_CLEAR", expect = ACCEPTABLE_INTERESTING,
            desc = "The terminate found no thread, and the create published its worker just after that: "
                    + "the routine ran with the flag clear; the arbiter stopped it.")
    @Outcome(id = "ERROR_SUCCESS, ERROR_SUCCESS, EXITED, SAW_FLAG_CLEAR", expect = ACCEPTABLE,
            desc = "The terminate came after the routine's first check: it set the flag, woke the routine and "
                    + "waited for the thread to exit.")
    @Outcome(id = "ERROR_SUCCESS, ERROR_SUCCESS, EXITED, SAW_FLAG_SET", expect = ACCEPTABLE_INTERESTING,
            desc = "The terminate set the flag after the create published the worker but before the routine's "
                    + "first check (possibly before its thread started); the routine saw it at once and the "
                    + "terminate waited for the exit.")
    @Outcome(id = ".*, RUNNING, .*", expect = FORBIDDEN,
            desc = "terminateEx(INFINITE) set the flag yet returned before the thread had exited.")
    @Outcome(id = ".*, (NO_WORKER|MISSED), SAW_FLAG_SET", expect = FORBIDDEN,
            desc = "The routine saw a flag that nobody had set: the terminate missed the worker, and the arbiter "
                    + "sets the flag only after the routine's first check.")
    @Outcome(id = "[A-Z_]+, (?!ERROR_SUCCESS).*", expect = FORBIDDEN,
            desc = "terminateEx with INFINITE returned something other than ERROR_SUCCESS (it cannot time out).")
    @Outcome(id = ".*, NEVER_RAN", expect = FORBIDDEN,
            desc = "The create succeeded but its routine did not run within 10 s: a lost thread.")
    @Outcome(id = ".*, LEAKED", expect = FORBIDDEN,
            desc = "The arbiter's clusWorkerTerminateEx(INFINITE) returned but the thread is still alive.")
    @Outcome(expect = FORBIDDEN,
            desc = "Any other result, e.g. a create on a fresh worker that did not return ERROR_SUCCESS.")
    @State
    public static class TerminateEx extends Race {
        /** Written by the creating actor, read by the arbiter. */
        int createRc;

        @Actor
        public void create(LLLL_Result r) {
            createRc = createWorker();
            r.r1 = Win32Error.name(createRc);
        }

        @Actor
        public void terminate(LLLL_Result r) {
            r.r2 = Win32Error.name(ResUtils.clusWorkerTerminateEx(w, ResUtils.INFINITE, false));
            r.r3 = TerminatorView.of(w);
        }

        @Arbiter
        public void arbiter(LLLL_Result r) {
            r.r4 = settle(createRc);
        }
    }
}
