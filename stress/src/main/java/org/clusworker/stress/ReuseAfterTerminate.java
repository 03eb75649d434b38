package org.clusworker.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.resapi.Win32Error;
import org.clusworker.stress.StressSupport.FirstCheck;
import org.clusworker.stress.StressSupport.RoutineOutcome;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.LLLL_Result;

/**
 * Race: <b>a {@code CLUS_WORKER} is reused (created again after its thread was terminated and has exited)
 * while another thread still looks at it.</b> The new routine must start with the flag clear, although
 * the record's previous thread ended with its flag set; a concurrent {@code clusWorkerCheckTerminate}
 * sees either the old worker (flag set) or the new one (flag clear), never a mix; and a late
 * {@code clusWorkerTerminateEx(w, 0, TRUE)} (waitOnly) reports the old thread as exited or the new one as
 * still running (WAIT_TIMEOUT), and never touches the new worker's flag.
 *
 * <p>Each sample starts from a record whose first thread has been terminated with
 * {@code clusWorkerTerminate} (flag set, thread exited and joined). Actor 1 creates again; actor 2 checks
 * the flag, then waits with timeout 0 and waitOnly. The record moves from the old worker to the new one
 * exactly once, so actor 2's two calls see old/old, old/new or new/new, never new/old. The arbiter waits
 * for the new routine's first {@code clusWorkerCheckTerminate}, checks that nothing set the new flag, then
 * terminates and joins the new thread.
 *
 * <p>Result: (re-create's return code, actor 2's {@code clusWorkerCheckTerminate}, actor 2's
 * {@code clusWorkerTerminateEx(w, 0, TRUE)} return code, what the new routine saw).
 */
@JCStressTest
@Outcome(id = "ERROR_SUCCESS, true, ERROR_SUCCESS, SAW_FLAG_CLEAR", expect = ACCEPTABLE,
        desc = "Actor 2 ran before the new worker was published: both calls saw the old worker (flag set, thread "
                + "exited). The new routine started with the flag clear.")
@Outcome(id = "ERROR_SUCCESS, true, WAIT_TIMEOUT, SAW_FLAG_CLEAR", expect = ACCEPTABLE_INTERESTING,
        desc = "The new worker was published between actor 2's calls: the check saw the old worker, the late "
                + "wait saw the new, running thread and timed out at once, leaving its flag alone.")
@Outcome(id = "ERROR_SUCCESS, false, WAIT_TIMEOUT, SAW_FLAG_CLEAR", expect = ACCEPTABLE,
        desc = "Actor 2 ran after the new worker was published: the check saw its clear flag and the late "
                + "wait timed out at once on the running thread.")
@Outcome(id = ".*, SAW_FLAG_SET", expect = FORBIDDEN,
        desc = "The new routine's first clusWorkerCheckTerminate returned TRUE: it saw the old thread's flag "
                + "(the flag was not cleared for the new thread), or the waitOnly call set it.")
@Outcome(id = ".*, FLAG_SET_AFTER_FIRST_CHECK", expect = FORBIDDEN,
        desc = "The new worker's flag was set although nobody terminated it: clusWorkerTerminateEx with "
                + "waitOnly=TRUE must only wait.")
@Outcome(id = "[A-Z_]+, false, ERROR_SUCCESS, .*", expect = FORBIDDEN,
        desc = "The check saw the new worker, yet the later wait reported an exited thread: either the record "
                + "went back to the old worker, or the new, running thread was reported as exited.")
@Outcome(id = "(?!ERROR_SUCCESS).*", expect = FORBIDDEN,
        desc = "Creating again failed although the old thread had exited and been joined (ERROR_BUSY would be "
                + "a reuse refused).")
@Outcome(id = ".*, NEVER_RAN", expect = FORBIDDEN,
        desc = "The re-create succeeded but its routine did not run within 10 s: a lost thread.")
@Outcome(id = ".*, LEAKED", expect = FORBIDDEN,
        desc = "The arbiter's clusWorkerTerminateEx(INFINITE) returned but the new thread is still alive.")
@Outcome(expect = FORBIDDEN, desc = "Any other result.")
@State
public class ReuseAfterTerminate {

    final ClusWorker w = StressSupport.createdWorker(StressSupport.AWAIT_TERMINATE, null);
    final FirstCheck firstCheck = new FirstCheck();
    /** Written by actor 1, read by the arbiter. */
    int createRc;

    public ReuseAfterTerminate() {
        ResUtils.clusWorkerTerminate(w);     // the first call: sets the flag, waits until the thread has exited
    }

    @Actor
    public void createAgain(LLLL_Result r) {
        createRc = ResUtils.clusWorkerCreate(w, FirstCheck.ROUTINE, firstCheck);
        r.r1 = Win32Error.name(createRc);
    }

    @Actor
    public void checkThenWaitOnly(LLLL_Result r) {
        r.r2 = ResUtils.clusWorkerCheckTerminate(w);
        r.r3 = Win32Error.name(ResUtils.clusWorkerTerminateEx(w, 0, true));
    }

    @Arbiter
    public void arbiter(LLLL_Result r) {
        RoutineOutcome seen = firstCheck.awaitFirstCheck(createRc == Win32Error.ERROR_SUCCESS);
        if (seen == RoutineOutcome.SAW_FLAG_CLEAR && ResUtils.clusWorkerCheckTerminate(w)) {
            seen = RoutineOutcome.FLAG_SET_AFTER_FIRST_CHECK;
        }
        r.r4 = StressSupport.terminateAndJoin(w, seen);
    }
}
