package org.clusworker.resapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.resapi.ResUtils.INFINITE;
import static org.clusworker.resapi.ResUtils.clusWorkerCheckTerminate;
import static org.clusworker.resapi.ResUtils.clusWorkerCreate;
import static org.clusworker.resapi.ResUtils.clusWorkerTerminate;
import static org.clusworker.resapi.ResUtils.clusWorkerTerminateEx;
import static org.clusworker.resapi.ResUtils.clusWorkersTerminate;
import static org.clusworker.resapi.Win32Error.ERROR_BUSY;
import static org.clusworker.resapi.Win32Error.ERROR_INVALID_PARAMETER;
import static org.clusworker.resapi.Win32Error.ERROR_NOT_ENOUGH_MEMORY;
import static org.clusworker.resapi.Win32Error.ERROR_POSSIBLE_DEADLOCK;
import static org.clusworker.resapi.Win32Error.ERROR_SUCCESS;
import static org.clusworker.resapi.Win32Error.ERROR_UNHANDLED_EXCEPTION;
import static org.clusworker.resapi.Win32Error.WAIT_TIMEOUT;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.clusworker.testing.Await;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SPEC section 1: every row and every decision of the Win32-shaped facade. */
class ResUtilsTest {

    private final List<ClusWorker> created = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stopEverything() {
        release.countDown();
        for (ClusWorker w : created) {
            assertThat(clusWorkerTerminateEx(w, 30_000, false)).as("cleanup of %s", w).isEqualTo(ERROR_SUCCESS);
        }
    }

    private ClusWorker start(WorkerStartRoutine routine, Object parameter) {
        ClusWorker w = new ClusWorker();
        created.add(w);
        assertThat(clusWorkerCreate(w, routine, parameter)).isEqualTo(ERROR_SUCCESS);
        return w;
    }

    /** A routine that polls the flag the Windows way, but without the sleep. */
    private static int pollUntilTerminated(ClusWorker w, Object p) {
        while (!clusWorkerCheckTerminate(w)) {
            Thread.onSpinWait();
        }
        return 7;
    }

    /** A routine that ignores the flag until the test releases it. */
    private int ignoreFlag(ClusWorker w, Object p) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    // ---- CLUS_WORKER ----------------------------------------------------------------------------

    @Test
    void clusWorker_new_isZeroed() {
        ClusWorker w = new ClusWorker();
        assertThat(w.hThread()).isNull();
        assertThat(w.terminateFlag()).isFalse();
        assertThat(w.worker()).isEmpty();
        assertThat(clusWorkerCheckTerminate(w)).isFalse();
    }

    // ---- ClusWorkerCreate -----------------------------------------------------------------------

    @Test
    void create_runsRoutineWithItsWorkerAndParameter_flagFalseAndThreadPublishedFirst() {
        AtomicReference<Object> seen = new AtomicReference<>();
        AtomicBoolean threadPublished = new AtomicBoolean();
        AtomicBoolean flagAtStart = new AtomicBoolean(true);
        ClusWorker[] self = new ClusWorker[1];
        ClusWorker w = new ClusWorker();
        self[0] = w;
        created.add(w);
        Object parameter = new Object();

        int rc = clusWorkerCreate(w, (worker, p) -> {
            flagAtStart.set(clusWorkerCheckTerminate(worker));
            threadPublished.set(worker == self[0] && worker.hThread() == Thread.currentThread());
            seen.set(p);
            return 42;
        }, parameter);

        assertThat(rc).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(seen.get()).isSameAs(parameter);
        assertThat(threadPublished).isTrue();
        assertThat(flagAtStart).isFalse();
        assertThat(w.worker().orElseThrow().exit().orElseThrow().exitCode()).isEqualTo(42);
        assertThat(w.hThread().getName()).startsWith("clusworker-worker-");
    }

    @Test
    void create_nullArguments_returnInvalidParameterAndStartNothing() {
        ClusWorker w = new ClusWorker();
        assertThat(clusWorkerCreate(null, (x, p) -> 0, null)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkerCreate(w, null, null)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(w.hThread()).isNull();
    }

    @Test
    void create_nullParameter_isPassedThrough() {
        AtomicReference<Object> seen = new AtomicReference<>("unset");
        ClusWorker w = start((x, p) -> {
            seen.set(p);
            return 0;
        }, null);
        clusWorkerTerminateEx(w, INFINITE, true);
        assertThat(seen.get()).isNull();
    }

    @Test
    void create_onLiveWorker_returnsBusyAndStartsNothing() {
        ClusWorker w = start(this::ignoreFlag, null);
        Thread first = w.hThread();
        AtomicBoolean secondRan = new AtomicBoolean();

        assertThat(clusWorkerCreate(w, (x, p) -> {
            secondRan.set(true);
            return 0;
        }, null)).isEqualTo(ERROR_BUSY);

        assertThat(w.hThread()).isSameAs(first);
        release.countDown();
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(secondRan).isFalse();
    }

    @Test
    void create_onTerminatedWorkerStillRunning_returnsBusy() {
        ClusWorker w = start(this::ignoreFlag, null);
        assertThat(clusWorkerTerminateEx(w, 0, false)).isEqualTo(WAIT_TIMEOUT);
        assertThat(clusWorkerCreate(w, (x, p) -> 0, null)).isEqualTo(ERROR_BUSY);
    }

    @Test
    void create_afterNaturalExit_reusesTheWorker() {
        ClusWorker w = start((x, p) -> 1, null);
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        Thread first = w.hThread();

        AtomicBoolean ran = new AtomicBoolean();
        assertThat(clusWorkerCreate(w, (x, p) -> {
            ran.set(true);
            return 2;
        }, null)).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);

        assertThat(ran).isTrue();
        assertThat(w.hThread()).isNotSameAs(first);
        assertThat(w.worker().orElseThrow().exit().orElseThrow().exitCode()).isEqualTo(2);
    }

    @Test
    void create_routineReturnedButThreadStillAlive_returnsBusy() throws Exception {
        CountDownLatch threadEnd = new CountDownLatch(1);
        Worker.Builder lingering = Worker.builder("lingering").threadFactory(r -> new Thread(() -> {
            r.run();                    // the routine returns and the worker's exit is published ...
            try {
                threadEnd.await();      // ... but the thread has not terminated yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        ClusWorker w = new ClusWorker();
        created.add(w);
        assertThat(ResUtils.create(w, (x, p) -> 0, null, lingering)).isEqualTo(ERROR_SUCCESS);
        Worker first = w.worker().orElseThrow();
        assertThat(first.awaitExit(Await.GENEROUS)).isTrue();

        assertThat(clusWorkerCreate(w, (x, p) -> 0, null)).isEqualTo(ERROR_BUSY);
        assertThat(clusWorkerTerminateEx(w, 0, true)).as("the thread is still alive").isEqualTo(WAIT_TIMEOUT);

        threadEnd.countDown();
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkerCreate(w, (x, p) -> 0, null)).isEqualTo(ERROR_SUCCESS);
    }

    @Test
    void create_afterTerminate_newRoutineSeesFlagFalse() {
        ClusWorker w = start(ResUtilsTest::pollUntilTerminated, null);
        clusWorkerTerminate(w);
        assertThat(clusWorkerCheckTerminate(w)).as("flag stays set after terminate").isTrue();

        AtomicBoolean flagAtStart = new AtomicBoolean(true);
        assertThat(clusWorkerCreate(w, (x, p) -> {
            flagAtStart.set(clusWorkerCheckTerminate(x));
            return 0;
        }, null)).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(flagAtStart).isFalse();
    }

    @Test
    void create_threadCreationFails_returnsNotEnoughMemoryAndLeavesWorkerUnchanged() {
        Worker.Builder failing = Worker.builder("failing").threadFactory(r -> new Thread(r) {
            @Override
            public synchronized void start() {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
            }
        });
        ClusWorker fresh = new ClusWorker();
        assertThat(ResUtils.create(fresh, (x, p) -> 0, null, failing)).isEqualTo(ERROR_NOT_ENOUGH_MEMORY);
        assertThat(fresh.hThread()).isNull();
        assertThat(fresh.worker()).isEmpty();

        ClusWorker used = start((x, p) -> 5, null);
        clusWorkerTerminateEx(used, INFINITE, true);
        Worker before = used.worker().orElseThrow();
        assertThat(ResUtils.create(used, (x, p) -> 0, null, failing)).isEqualTo(ERROR_NOT_ENOUGH_MEMORY);
        assertThat(used.worker()).containsSame(before);
        assertThat(before.exit().orElseThrow().exitCode()).isEqualTo(5);
    }

    @Test
    void create_threadFactoryThrowsOutOfMemory_returnsNotEnoughMemory() {
        Worker.Builder failing = Worker.builder("failing").threadFactory(r -> {
            throw new OutOfMemoryError("unable to create native thread");
        });
        ClusWorker w = new ClusWorker();
        assertThat(ResUtils.create(w, (x, p) -> 0, null, failing)).isEqualTo(ERROR_NOT_ENOUGH_MEMORY);
        assertThat(w.hThread()).isNull();
    }

    @Test
    void create_routineThrows_exitCodeIsUnhandledExceptionAndThrowableKept() {
        IllegalStateException boom = new IllegalStateException("boom");
        ClusWorker w = start((x, p) -> {
            throw boom;
        }, null);
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        WorkerExit exit = w.worker().orElseThrow().exit().orElseThrow();
        assertThat(exit.exitCode()).isEqualTo(ERROR_UNHANDLED_EXCEPTION);
        assertThat(exit.failure()).isSameAs(boom);
    }

    @Test
    void create_concurrentCreatesOnOneWorker_exactlyOneSucceeds() throws Exception {
        ClusWorker w = new ClusWorker();
        created.add(w);
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger successes = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            callers.add(Await.startThread("creator-" + i, () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                int rc = clusWorkerCreate(w, this::ignoreFlag, null);
                (rc == ERROR_SUCCESS ? successes : busy).incrementAndGet();
            }));
        }
        go.countDown();
        for (Thread t : callers) {
            t.join(Await.GENEROUS.toMillis());
        }
        assertThat(successes.get()).isEqualTo(1);
        assertThat(busy.get()).isEqualTo(threads - 1);
    }

    // ---- ClusWorkerCheckTerminate ---------------------------------------------------------------

    @Test
    void checkTerminate_null_throwsNullPointerException() {
        assertThatThrownBy(() -> clusWorkerCheckTerminate(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("lpWorker");
    }

    // ---- ClusWorkerTerminate --------------------------------------------------------------------

    @Test
    void terminate_noThread_returnsAtOnce() {
        ClusWorker w = new ClusWorker();
        clusWorkerTerminate(w);
        assertThat(clusWorkerCheckTerminate(w)).isFalse();
    }

    @Test
    void terminate_null_throwsNullPointerException() {
        assertThatThrownBy(() -> clusWorkerTerminate(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void terminate_firstCall_setsFlagAndWaitsUntilThreadHasExited() {
        ClusWorker w = start(ResUtilsTest::pollUntilTerminated, null);
        clusWorkerTerminate(w);
        assertThat(clusWorkerCheckTerminate(w)).isTrue();
        assertThat(w.hThread().isAlive()).isFalse();
        assertThat(w.worker().orElseThrow().exit().orElseThrow().exitCode()).isEqualTo(7);
    }

    @Test
    void terminate_laterCalls_returnAtOnceBeforeTheThreadHasExited() throws Exception {
        ClusWorker w = start(this::ignoreFlag, null);
        Thread first = Await.startThread("first-terminator", () -> clusWorkerTerminate(w));
        Await.until("the first terminator set the flag", () -> clusWorkerCheckTerminate(w));

        clusWorkerTerminate(w);     // later call: must not wait for the routine, which ignores the flag

        assertThat(w.hThread().isAlive()).isTrue();
        assertThat(first.isAlive()).as("the first call still waits").isTrue();
        release.countDown();
        first.join(Await.GENEROUS.toMillis());
        assertThat(first.isAlive()).isFalse();
    }

    @Test
    void terminate_manyConcurrentFirstCallers_exactlyOneWaitsForTheExit() throws Exception {
        ClusWorker w = start(this::ignoreFlag, null);
        int callers = 6;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger returned = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Await.startThread("terminator-" + i, () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                clusWorkerTerminate(w);
                returned.incrementAndGet();
            }));
        }
        go.countDown();
        Await.until("all but the first terminator returned", () -> returned.get() == callers - 1);
        assertThat(threads.stream().filter(Thread::isAlive).count()).as("callers still waiting").isEqualTo(1);

        release.countDown();
        for (Thread t : threads) {
            t.join(Await.GENEROUS.toMillis());
        }
        assertThat(returned.get()).isEqualTo(callers);
        assertThat(w.hThread().isAlive()).isFalse();
    }

    @Test
    void terminate_onWorkersOwnThread_setsFlagAndReturns() {
        AtomicBoolean flagAfter = new AtomicBoolean();
        ClusWorker w = start((self, p) -> {
            clusWorkerTerminate(self);
            flagAfter.set(clusWorkerCheckTerminate(self));
            return 3;
        }, null);
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(flagAfter).isTrue();
        assertThat(w.worker().orElseThrow().exit().orElseThrow().exitCode()).isEqualTo(3);
    }

    @Test
    void terminate_waiterInterrupted_keepsWaitingAndRestoresInterruptStatus() throws Exception {
        ClusWorker w = start(this::ignoreFlag, null);
        AtomicBoolean exitedWhenReturned = new AtomicBoolean();
        AtomicBoolean interruptedWhenReturned = new AtomicBoolean();
        Thread terminator = Await.startThread("terminator", () -> {
            clusWorkerTerminate(w);
            exitedWhenReturned.set(!w.hThread().isAlive());
            interruptedWhenReturned.set(Thread.currentThread().isInterrupted());
        });
        Await.until("the flag is set", () -> clusWorkerCheckTerminate(w));
        Await.blocked(terminator);

        terminator.interrupt();
        terminator.join(200);
        assertThat(terminator.isAlive()).as("the interrupted terminator still waits").isTrue();

        release.countDown();
        terminator.join(Await.GENEROUS.toMillis());
        assertThat(exitedWhenReturned).isTrue();
        assertThat(interruptedWhenReturned).isTrue();
    }

    // ---- ClusWorkerTerminateEx ------------------------------------------------------------------

    @Test
    void terminateEx_setsFlagThenWaits_success() {
        ClusWorker w = start(ResUtilsTest::pollUntilTerminated, null);
        assertThat(clusWorkerTerminateEx(w, 30_000, false)).isEqualTo(ERROR_SUCCESS);
        assertThat(w.hThread().isAlive()).isFalse();
        assertThat(clusWorkerCheckTerminate(w)).isTrue();
    }

    @Test
    void terminateEx_infinite_waitsWithoutLimit() {
        ClusWorker w = start(ResUtilsTest::pollUntilTerminated, null);
        assertThat(clusWorkerTerminateEx(w, INFINITE, false)).isEqualTo(ERROR_SUCCESS);
    }

    @Test
    void terminateEx_waitOnly_doesNotSetTheFlag() {
        ClusWorker w = start(ResUtilsTest::pollUntilTerminated, null);
        assertThat(clusWorkerTerminateEx(w, 0, true)).isEqualTo(WAIT_TIMEOUT);
        assertThat(clusWorkerTerminateEx(w, 50, true)).isEqualTo(WAIT_TIMEOUT);
        assertThat(clusWorkerCheckTerminate(w)).isFalse();
        assertThat(w.hThread().isAlive()).isTrue();
    }

    @Test
    void terminateEx_zeroTimeout_pollsAndSetsFlag() {
        ClusWorker w = start(this::ignoreFlag, null);
        assertThat(clusWorkerTerminateEx(w, 0, false)).isEqualTo(WAIT_TIMEOUT);
        assertThat(clusWorkerCheckTerminate(w)).isTrue();
        release.countDown();
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkerTerminateEx(w, 0, true)).as("poll of an exited worker").isEqualTo(ERROR_SUCCESS);
    }

    @Test
    void terminateEx_routineIgnoresFlag_timesOut() {
        ClusWorker w = start(this::ignoreFlag, null);
        assertThat(clusWorkerTerminateEx(w, 20, false)).isEqualTo(WAIT_TIMEOUT);
        assertThat(w.hThread().isAlive()).isTrue();
    }

    @Test
    void terminateEx_noThread_success() {
        assertThat(clusWorkerTerminateEx(new ClusWorker(), INFINITE, false)).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkerTerminateEx(new ClusWorker(), 0, true)).isEqualTo(ERROR_SUCCESS);
    }

    @Test
    void terminateEx_badArguments_returnInvalidParameterAndDoNothing() {
        ClusWorker w = start(this::ignoreFlag, null);
        assertThat(clusWorkerTerminateEx(null, 0, false)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkerTerminateEx(w, -2, false)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkerTerminateEx(w, Integer.MIN_VALUE, false)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkerCheckTerminate(w)).as("a rejected call sets nothing").isFalse();
    }

    @Test
    void terminateEx_onOwnThread_returnsPossibleDeadlock() {
        AtomicInteger rcWait = new AtomicInteger(-1);
        AtomicInteger rcSet = new AtomicInteger(-1);
        AtomicBoolean flagAfterWaitOnly = new AtomicBoolean(true);
        AtomicBoolean flagAfterSet = new AtomicBoolean();
        ClusWorker w = start((self, p) -> {
            rcWait.set(clusWorkerTerminateEx(self, INFINITE, true));
            flagAfterWaitOnly.set(clusWorkerCheckTerminate(self));
            rcSet.set(clusWorkerTerminateEx(self, 1000, false));
            flagAfterSet.set(clusWorkerCheckTerminate(self));
            return 0;
        }, null);
        assertThat(clusWorkerTerminateEx(w, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(rcWait.get()).isEqualTo(ERROR_POSSIBLE_DEADLOCK);
        assertThat(flagAfterWaitOnly).isFalse();
        assertThat(rcSet.get()).isEqualTo(ERROR_POSSIBLE_DEADLOCK);
        assertThat(flagAfterSet).isTrue();
    }

    // ---- ClusWorkersTerminate -------------------------------------------------------------------

    @Test
    void workersTerminate_setsEveryFlagBeforeWaitingForAny() {
        ClusWorker second = start(ResUtilsTest::pollUntilTerminated, null);
        // The first worker exits only once the second's flag is set: a one-by-one terminate would deadlock.
        ClusWorker first = start((self, p) -> {
            while (!clusWorkerCheckTerminate(second)) {
                Thread.onSpinWait();
            }
            return 0;
        }, null);
        int rc = clusWorkersTerminate(new ClusWorker[] {first, second}, 2, 30_000, false);
        assertThat(rc).isEqualTo(ERROR_SUCCESS);
        assertThat(first.hThread().isAlive()).isFalse();
        assertThat(second.hThread().isAlive()).isFalse();
    }

    @Test
    void workersTerminate_oneDeadlineForAll() {
        int n = 10;
        ClusWorker[] stuck = new ClusWorker[n];
        for (int i = 0; i < n; i++) {
            stuck[i] = start(this::ignoreFlag, null);
        }
        long start = System.nanoTime();
        assertThat(clusWorkersTerminate(stuck, n, 200, false)).isEqualTo(WAIT_TIMEOUT);
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // With a deadline per worker this would take 10 x 200 ms.
        assertThat(elapsedMs).isGreaterThanOrEqualTo(200).isLessThan(n * 200L);
        for (ClusWorker w : stuck) {
            assertThat(clusWorkerCheckTerminate(w)).isTrue();
        }
    }

    @Test
    void workersTerminate_someStillRunning_returnsWaitTimeout() {
        ClusWorker quick = start(ResUtilsTest::pollUntilTerminated, null);
        ClusWorker stuck = start(this::ignoreFlag, null);
        assertThat(clusWorkersTerminate(new ClusWorker[] {quick, stuck}, 2, 100, false)).isEqualTo(WAIT_TIMEOUT);
        assertThat(clusWorkerTerminateEx(quick, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
    }

    @Test
    void workersTerminate_skipsNullAndNeverStarted_andHonoursCount() {
        ClusWorker running = start(ResUtilsTest::pollUntilTerminated, null);
        ClusWorker beyondCount = start(ResUtilsTest::pollUntilTerminated, null);
        ClusWorker[] ws = {null, new ClusWorker(), running, beyondCount};

        assertThat(clusWorkersTerminate(ws, 3, INFINITE, false)).isEqualTo(ERROR_SUCCESS);

        assertThat(running.hThread().isAlive()).isFalse();
        assertThat(clusWorkerCheckTerminate(beyondCount)).as("entries past the count are untouched").isFalse();
    }

    @Test
    void workersTerminate_countZero_success() {
        assertThat(clusWorkersTerminate(null, 0, 0, false)).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkersTerminate(new ClusWorker[0], 0, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
    }

    @Test
    void workersTerminate_waitOnly_setsNoFlag() {
        ClusWorker w = start(ResUtilsTest::pollUntilTerminated, null);
        assertThat(clusWorkersTerminate(new ClusWorker[] {w}, 1, 0, true)).isEqualTo(WAIT_TIMEOUT);
        assertThat(clusWorkerCheckTerminate(w)).isFalse();
    }

    @Test
    void workersTerminate_badArguments_returnInvalidParameterAndSetNothing() {
        ClusWorker w = start(this::ignoreFlag, null);
        ClusWorker[] ws = {w};
        assertThat(clusWorkersTerminate(null, 1, 0, false)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkersTerminate(ws, -1, 0, false)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkersTerminate(ws, 2, 0, false)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkersTerminate(ws, 1, -5, false)).isEqualTo(ERROR_INVALID_PARAMETER);
        assertThat(clusWorkerCheckTerminate(w)).isFalse();
    }

    @Test
    void workersTerminate_includingCallersOwnWorker_setsFlagsAndReturnsPossibleDeadlock() {
        ClusWorker other = start(ResUtilsTest::pollUntilTerminated, null);
        AtomicInteger rc = new AtomicInteger(-1);
        AtomicBoolean ownFlag = new AtomicBoolean();
        ClusWorker self = new ClusWorker();
        created.add(self);
        assertThat(clusWorkerCreate(self, (me, p) -> {
            rc.set(clusWorkersTerminate(new ClusWorker[] {other, me}, 2, INFINITE, false));
            ownFlag.set(clusWorkerCheckTerminate(me));
            return 0;
        }, null)).isEqualTo(ERROR_SUCCESS);
        assertThat(clusWorkerTerminateEx(self, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(rc.get()).isEqualTo(ERROR_POSSIBLE_DEADLOCK);
        assertThat(ownFlag).isTrue();
        assertThat(clusWorkerTerminateEx(other, INFINITE, true)).isEqualTo(ERROR_SUCCESS);
    }

    // ---- beyond Windows through the facade --------------------------------------------------------

    @Test
    void waitTerminate_wakesTheMomentTerminationIsRequested() {
        ConcurrentLinkedQueue<Boolean> results = new ConcurrentLinkedQueue<>();
        ClusWorker w = start((self, p) -> {
            results.add(ResUtils.clusWorkerWaitTerminate(self, 10));          // times out: false
            results.add(ResUtils.clusWorkerWaitTerminate(self, INFINITE));    // woken by terminate: true
            return 0;
        }, null);
        Await.until("the routine waits without limit", () -> results.size() == 1 && w.hThread().getState() == Thread.State.WAITING);
        assertThat(clusWorkerTerminateEx(w, 30_000, false)).isEqualTo(ERROR_SUCCESS);
        assertThat(results).containsExactly(false, true);
    }

    @Test
    void waitTerminate_fromAnotherThread_throwsIllegalState() {
        ClusWorker w = start(this::ignoreFlag, null);
        assertThatThrownBy(() -> ResUtils.clusWorkerWaitTerminate(w, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ResUtils.clusWorkerWaitTerminate(w, -3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
    }

    @Test
    void functionTypes_bindTheImplementationAtRunTime() {
        PclusapiClusWorkerCreate create = ResUtils::clusWorkerCreate;
        PclusapiClusWorkerCheckTerminate check = ResUtils::clusWorkerCheckTerminate;
        PclusapiClusWorkerTerminate terminate = ResUtils::clusWorkerTerminate;
        PclusapiClusWorkerTerminateEx terminateEx = ResUtils::clusWorkerTerminateEx;
        PclusapiClusWorkersTerminate terminateMany = ResUtils::clusWorkersTerminate;

        ClusWorker w = new ClusWorker();
        created.add(w);
        assertThat(create.invoke(w, ResUtilsTest::pollUntilTerminated, null)).isEqualTo(ERROR_SUCCESS);
        assertThat(check.invoke(w)).isFalse();
        terminate.invoke(w);
        assertThat(check.invoke(w)).isTrue();
        assertThat(terminateEx.invoke(w, 0, true)).isEqualTo(ERROR_SUCCESS);
        assertThat(terminateMany.invoke(new ClusWorker[] {w}, 1, 0, true)).isEqualTo(ERROR_SUCCESS);
    }
}
