package org.clusworker.stress;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusworker.resapi.ClusWorker;
import org.clusworker.resapi.ResUtils;
import org.clusworker.resapi.Win32Error;
import org.clusworker.resapi.WorkerStartRoutine;
import org.clusworker.worker.Worker;

/**
 * Routines and checks shared by the tests. Every routine here ends once termination is requested,
 * so every test can clean up its threads in its {@code @Arbiter} (or its {@code @Signal}).
 */
final class StressSupport {

    /**
     * How long an arbiter waits for a routine to reach its first check. A routine that has not got there
     * by then is reported as {@link RoutineOutcome#NEVER_RAN} (forbidden), so that a lost thread fails
     * the test instead of hanging it; jcstress itself gives up on an iteration after 30 s.
     */
    static final long FIRST_CHECK_TIMEOUT_SECONDS = 10;

    /** A {@code ClusWorker} routine that sleeps until termination is requested (wake-on-terminate), then returns 0. */
    static final WorkerStartRoutine AWAIT_TERMINATE = (self, parameter) -> {
        while (!ResUtils.clusWorkerWaitTerminate(self, ResUtils.INFINITE)) {
            // only an interrupt ends an INFINITE wait without the flag; nothing here interrupts: wait again
        }
        return Win32Error.ERROR_SUCCESS;
    };

    private StressSupport() {
    }

    /** A {@code ClusWorker} whose thread runs {@code routine}; throws if it could not be created. */
    static ClusWorker createdWorker(WorkerStartRoutine routine, Object parameter) {
        ClusWorker w = new ClusWorker();
        int rc = ResUtils.clusWorkerCreate(w, routine, parameter);
        if (rc != Win32Error.ERROR_SUCCESS) {
            throw new IllegalStateException("clusWorkerCreate: " + Win32Error.describe(rc));
        }
        return w;
    }

    /** The current worker of {@code w}, which must exist. */
    static Worker current(ClusWorker w) {
        return w.worker().orElseThrow(() -> new IllegalStateException("Expected " + w + " to have a worker"));
    }

    /**
     * Whether the thread has exited in the Win32 sense that the terminate functions promise: the routine
     * has returned (the exit is published) and the thread itself has terminated.
     */
    static boolean threadExited(Worker worker) {
        return worker.isExited() && !worker.thread().isAlive();
    }

    /** What became of a routine that records its first {@code clusWorkerCheckTerminate}, as seen by an arbiter. */
    enum RoutineOutcome {
        /** The create failed, so there was no routine to run. */
        NO_THREAD,
        /** The routine's first {@code clusWorkerCheckTerminate} returned {@code false}. */
        SAW_FLAG_CLEAR,
        /** The routine's first {@code clusWorkerCheckTerminate} returned {@code true}. */
        SAW_FLAG_SET,
        /**
         * The routine's first check returned {@code false}, but the flag was set before the arbiter's cleanup,
         * in a test where no actor may set it.
         */
        FLAG_SET_AFTER_FIRST_CHECK,
        /** A thread was created but its routine did not reach its first check in time: a lost thread. */
        NEVER_RAN,
        /** The arbiter's {@code clusWorkerTerminateEx(w, INFINITE, false)} returned but the thread is still alive. */
        LEAKED
    }

    /**
     * The routine of {@link ResUtils#clusWorkerCreate} for the create/terminate races: it records what its
     * first {@code clusWorkerCheckTerminate} returned, then sleeps until termination is requested. The
     * {@code lpParameter} is this object; one per test state.
     */
    static final class FirstCheck {

        static final WorkerStartRoutine ROUTINE = (self, parameter) -> {
            FirstCheck check = (FirstCheck) parameter;
            check.sawFlag = ResUtils.clusWorkerCheckTerminate(self);
            check.done.countDown();
            return AWAIT_TERMINATE.run(self, null);
        };

        private final CountDownLatch done = new CountDownLatch(1);
        /** Written once by the routine before {@link #done} counts down; read only after it has. */
        private boolean sawFlag;

        /**
         * Waits (bounded) for the routine's first check. Call in the arbiter, before anything there sets
         * the flag, so that what the routine saw was set by the actors alone.
         */
        RoutineOutcome awaitFirstCheck(boolean created) {
            if (!created) {
                return RoutineOutcome.NO_THREAD;
            }
            try {
                if (!done.await(FIRST_CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    return RoutineOutcome.NEVER_RAN;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();     // nothing interrupts jcstress threads: report it, loudly
                throw new IllegalStateException("Interrupted while waiting for the routine's first check", e);
            }
            return sawFlag ? RoutineOutcome.SAW_FLAG_SET : RoutineOutcome.SAW_FLAG_CLEAR;
        }
    }

    /**
     * Cleans up after an iteration: terminates whatever thread {@code w} has and waits, without limit,
     * for it to exit. Returns {@code seen} unless the thread is still alive afterwards
     * ({@link RoutineOutcome#LEAKED}). A routine that never ran is left as {@code NEVER_RAN}; the wait
     * then still ends because the flag is set before the routine's first check.
     */
    static RoutineOutcome terminateAndJoin(ClusWorker w, RoutineOutcome seen) {
        int rc = ResUtils.clusWorkerTerminateEx(w, ResUtils.INFINITE, false);
        Thread thread = w.hThread();
        boolean exited = rc == Win32Error.ERROR_SUCCESS && (thread == null || !thread.isAlive());
        if (!exited && seen != RoutineOutcome.NEVER_RAN) {
            return RoutineOutcome.LEAKED;
        }
        return seen;
    }
}
