package org.clusworker.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.clusworker.testing.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SPEC section 2: the Java API. */
class WorkerTest {

    private static final Duration LONG = Duration.ofHours(1);
    private static final Duration GENEROUS = Await.GENEROUS;

    private final WorkerRegistry registry = new WorkerRegistry();
    private final List<Worker> started = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void noWorkerLeftBehind() {
        release.countDown();
        for (Worker w : started) {
            assertThat(w.terminate(GENEROUS)).as("cleanup of %s", w).isTrue();
        }
        assertThat(registry.live()).isEmpty();
    }

    private Worker.Builder builder(String role) {
        return Worker.builder(role).registry(registry);
    }

    private Worker start(Worker.Builder builder, Routine routine) {
        Worker w = builder.start(routine);
        started.add(w);
        return w;
    }

    private Worker start(Routine routine) {
        return start(builder("test"), routine);
    }

    private int ignoreFlag(WorkerContext ctx) throws InterruptedException {
        release.await();
        return 0;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void start_namesThreadByRoleAndRunsOnTheChosenKindOfThread(boolean virtual) {
        AtomicReference<Thread> ran = new AtomicReference<>();
        Worker w = start(builder("db-online").virtual(virtual), ctx -> {
            ran.set(Thread.currentThread());
            return 0;
        });
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(ran.get()).isSameAs(w.thread());
        assertThat(w.name()).matches("clusworker-db-online-\\d+");
        assertThat(w.thread().getName()).isEqualTo(w.name());
        assertThat(w.thread().isVirtual()).isEqualTo(virtual);
        assertThat(w.isVirtual()).isEqualTo(virtual);
    }

    @Test
    void platformThreads_areDaemonsByDefault_andCanBeMadeUserThreads() {
        Worker daemon = start(builder("d"), ctx -> 0);
        Worker user = start(builder("u").daemon(false), ctx -> 0);
        assertThat(daemon.thread().isDaemon()).isTrue();
        assertThat(user.thread().isDaemon()).isFalse();
    }

    @Test
    void builder_blankRole_isRejected() {
        assertThatThrownBy(() -> Worker.builder(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("role: ' ' (expected: not blank)");
    }

    @Test
    void state_followsTheLifeOfTheWorker() {
        Worker w = builder("life").unstarted(this::ignoreFlag);
        started.add(w);
        assertThat(w.state()).isEqualTo(WorkerState.NEW);
        w.start();
        assertThat(w.state()).isEqualTo(WorkerState.RUNNING);
        assertThat(w.requestTermination()).isTrue();
        assertThat(w.state()).isEqualTo(WorkerState.TERMINATION_REQUESTED);
        release.countDown();
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.state()).isEqualTo(WorkerState.EXITED);
        assertThat(w.requestTermination()).isFalse();
        assertThat(w.state()).isEqualTo(WorkerState.EXITED);
    }

    @Test
    void start_twice_throwsIllegalState() {
        Worker w = start(ctx -> 0);
        assertThatThrownBy(w::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Expected worker " + w.name() + " to be NEW");
    }

    @Test
    void start_threadCannotStart_throwsAndWorkerExitsWithNotEnoughMemory() {
        OutOfMemoryError oom = new OutOfMemoryError("unable to create native thread");
        Worker.Builder failing = builder("failing").threadFactory(r -> new Thread(r) {
            @Override
            public synchronized void start() {
                throw oom;
            }
        });
        Worker w = failing.unstarted(ctx -> 0);
        assertThatThrownBy(w::start).isInstanceOf(WorkerStartException.class).hasCause(oom);
        assertThat(w.state()).isEqualTo(WorkerState.EXITED);
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(WorkerExit.NOT_ENOUGH_MEMORY);
        assertThat(w.failureCause()).containsSame(oom);
        assertThat(w.awaitExit(Duration.ZERO)).isTrue();
        assertThat(registry.size()).isZero();
    }

    @Test
    void requestTermination_manyConcurrentCallers_exactlyOneIsFirst() throws Exception {
        for (int round = 0; round < 50; round++) {
            Worker w = start(this::ignoreFlag);
            int callers = 4;
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger firsts = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                threads.add(Await.startThread("requester-" + i, () -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    if (w.requestTermination()) {
                        firsts.incrementAndGet();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(GENEROUS.toMillis());
            }
            assertThat(firsts.get()).as("round %d", round).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void awaitTermination_wakesTheMomentTerminationIsRequested(boolean virtual) {
        Worker w = start(builder("sleeper").virtual(virtual), ctx -> ctx.awaitTermination(LONG) ? 1 : 2);
        Await.blocked(w.thread());
        // Were the wait not woken, this would take an hour and return false.
        assertThat(w.terminate(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(1);
    }

    @Test
    void awaitTermination_timeoutElapses_returnsFalse() {
        Worker w = start(ctx -> ctx.awaitTermination(Duration.ofMillis(5)) ? 1 : 2);
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(2);
    }

    @Test
    void awaitTermination_requestedBeforeTheWait_returnsAtOnce() {
        Worker w = builder("early").unstarted(ctx -> ctx.awaitTermination(LONG) ? 1 : 2);
        started.add(w);
        w.requestTermination();
        w.start();
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow()).isEqualTo(new WorkerExit(1, null, true));
    }

    @Test
    void awaitTermination_noLimit_wakesOnTerminate() {
        Worker w = start(ctx -> {
            ctx.awaitTermination();
            return 9;
        });
        Await.blocked(w.thread());
        assertThat(w.terminate(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(9);
    }

    @Test
    void awaitTermination_interrupted_throwsInterruptedException() {
        Worker w = start(ctx -> ctx.awaitTermination(LONG) ? 1 : 2);
        Await.blocked(w.thread());
        w.thread().interrupt();
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().failure()).isInstanceOf(InterruptedException.class);
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(WorkerExit.UNHANDLED_EXCEPTION);
    }

    @Test
    void contextWaits_fromAnotherThread_throwIllegalState() {
        Worker w = start(this::ignoreFlag);
        assertThatThrownBy(() -> w.context().awaitTermination(Duration.ZERO))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Only worker " + w.name() + " itself may wait");
    }

    @Test
    void awaitCondition_signalled_returnsTrue() {
        AtomicBoolean ready = new AtomicBoolean();
        Worker w = start(ctx -> ctx.awaitCondition(ready::get, LONG) ? 1 : 2);
        Await.blocked(w.thread());
        ready.set(true);
        w.signal();
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(1);
    }

    @Test
    void awaitCondition_terminationRequested_returnsFalseAtOnce() {
        Worker w = start(ctx -> ctx.awaitCondition(() -> false, LONG) ? 1 : 2);
        Await.blocked(w.thread());
        assertThat(w.terminate(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(2);
    }

    @Test
    void awaitCondition_timeout_returnsFalse() {
        Worker w = start(ctx -> ctx.awaitCondition(() -> false, Duration.ofMillis(5)) ? 1 : 2);
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(2);
        assertThat(w.exit().orElseThrow().terminationRequested()).isFalse();
    }

    @Test
    void negativeTimeouts_areRejectedWithTheValue() {
        Worker w = start(ctx -> 0);
        assertThatThrownBy(() -> w.awaitExit(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout: PT-5S (expected: >= 0)");
        assertThatThrownBy(() -> w.terminate(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(w.isTerminationRequested()).as("a rejected terminate sets nothing").isFalse();
    }

    @Test
    void onTermination_callbacksRunOnceInOrder_onTheRequestingThread() {
        ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();
        Worker w = start(builder("cb").onTermination(() -> calls.add("builder:" + Thread.currentThread().getName())),
                ctx -> {
                    ctx.onTermination(() -> calls.add("routine"));
                    release.await();
                    return 0;
                });
        Await.blocked(w.thread());
        Registration removed = w.onTermination(() -> calls.add("removed"));
        w.onTermination(() -> calls.add("late"));
        removed.close();

        assertThat(w.requestTermination()).isTrue();
        assertThat(w.requestTermination()).isFalse();

        assertThat(calls).containsExactly("builder:" + Thread.currentThread().getName(), "routine", "late");
    }

    @Test
    void onTermination_registeredAfterTheRequest_runsAtOnce() {
        Worker w = start(this::ignoreFlag);
        w.requestTermination();
        AtomicBoolean ran = new AtomicBoolean();
        w.onTermination(() -> ran.set(true)).close();
        assertThat(ran).isTrue();
    }

    @Test
    void onTermination_callbackThrows_isRecordedAndOthersStillRun() {
        RuntimeException boom = new RuntimeException("socket already closed");
        AtomicBoolean second = new AtomicBoolean();
        Worker w = start(this::ignoreFlag);
        w.onTermination(() -> {
            throw boom;
        });
        w.onTermination(() -> second.set(true));
        assertThat(w.requestTermination()).isTrue();
        assertThat(second).isTrue();
        assertThat(w.terminationCallbackFailures()).containsExactly(boom);
    }

    @Test
    void onTermination_closesWhatTheRoutineIsBlockedOn() {
        CountDownLatch socket = new CountDownLatch(1);
        Worker w = start(ctx -> {
            ctx.onTermination(socket::countDown);   // "close the socket"
            socket.await();                         // "blocked reading it"
            return 4;
        });
        Await.blocked(w.thread());
        assertThat(w.terminate(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isEqualTo(4);
    }

    @Test
    void interruptOnTerminate_optIn_interruptsABlockingCall() {
        Worker w = start(builder("interruptible").interruptOnTerminate(true), ctx -> {
            Thread.sleep(LONG.toMillis());
            return 0;
        });
        Await.blocked(w.thread());
        assertThat(w.terminate(GENEROUS)).isTrue();
        WorkerExit exit = w.exit().orElseThrow();
        assertThat(exit.failure()).isInstanceOf(InterruptedException.class);
        assertThat(exit.terminationRequested()).isTrue();
    }

    @Test
    void interruptOnTerminate_default_doesNotInterrupt() {
        Worker w = start(ctx -> {
            release.await();
            return Thread.currentThread().isInterrupted() ? 1 : 0;
        });
        Await.blocked(w.thread());
        assertThat(w.terminate(Duration.ofMillis(20))).isFalse();
        release.countDown();
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().exitCode()).isZero();
    }

    @Test
    void routineThrows_exitKeepsTheThrowable() {
        Error boom = new AssertionError("boom");
        Worker w = start(ctx -> {
            throw boom;
        });
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow()).isEqualTo(new WorkerExit(WorkerExit.UNHANDLED_EXCEPTION, boom, false));
        assertThat(w.failureCause()).containsSame(boom);
        assertThat(w.exit().orElseThrow().failed()).isTrue();
    }

    @Test
    void exit_beforeExit_isEmpty() {
        Worker w = start(this::ignoreFlag);
        assertThat(w.exit()).isEmpty();
        assertThat(w.failureCause()).isEmpty();
        assertThat(w.awaitExit(Duration.ZERO)).isFalse();
    }

    @Test
    void awaitExit_everyCallerSeesTheSameExit() throws Exception {
        Worker w = start(this::ignoreFlag);
        ConcurrentLinkedQueue<WorkerExit> seen = new ConcurrentLinkedQueue<>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiters.add(Await.startThread("waiter-" + i, () -> {
                if (w.awaitExit(GENEROUS)) {
                    seen.add(w.exit().orElseThrow());
                }
            }));
        }
        for (Thread t : waiters) {
            Await.blocked(t);
        }
        release.countDown();
        for (Thread t : waiters) {
            t.join(GENEROUS.toMillis());
        }
        assertThat(seen).hasSize(5).containsOnly(new WorkerExit(0, null, false));
    }

    @Test
    void awaitExit_interrupted_keepsWaitingAndRestoresInterruptStatus() throws Exception {
        Worker w = start(this::ignoreFlag);
        AtomicBoolean result = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread waiter = Await.startThread("waiter", () -> {
            result.set(w.awaitExit(GENEROUS));
            interrupted.set(Thread.currentThread().isInterrupted());
        });
        Await.blocked(waiter);
        waiter.interrupt();
        waiter.join(200);
        assertThat(waiter.isAlive()).isTrue();
        release.countDown();
        waiter.join(GENEROUS.toMillis());
        assertThat(result).isTrue();
        assertThat(interrupted).isTrue();
    }

    @Test
    void awaitExit_onOwnThread_throwsIllegalState() {
        Worker w = start(ctx -> {
            ctx.worker().awaitExit(Duration.ZERO);
            return 0;
        });
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.failureCause().orElseThrow()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot await the exit of itself");
    }

    @Test
    void terminate_onOwnThread_setsFlagThenThrowsIllegalState() {
        Worker w = start(ctx -> {
            ctx.worker().terminate(Duration.ofSeconds(1));
            return 0;
        });
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(w.exit().orElseThrow().terminationRequested()).isTrue();
        assertThat(w.failureCause().orElseThrow()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void join_waitsForTheThreadItself() {
        Worker w = start(ctx -> 0);
        assertThat(w.join(GENEROUS)).isTrue();
        assertThat(w.thread().isAlive()).isFalse();
    }

    @Test
    void terminateAll_reportsWhoExitedAndWhereTheOthersAreStuck() {
        Worker polite = start(builder("polite"), ctx -> {
            ctx.awaitTermination();
            return 0;
        });
        Worker stubborn = start(builder("stubborn"), this::ignoreFlag);
        Await.blocked(polite.thread());
        Await.blocked(stubborn.thread());

        TerminationReport report = Worker.terminateAll(List.of(polite, stubborn), Duration.ofMillis(100));

        assertThat(report.allExited()).isFalse();
        assertThat(report.outcomes()).extracting(TerminationReport.Outcome::name)
                .containsExactly(polite.name(), stubborn.name());
        assertThat(report.outcomes().get(0).exited()).isTrue();
        assertThat(report.outcomes().get(0).exit().terminationRequested()).isTrue();
        TerminationReport.Outcome stuck = report.stuck().get(0);
        assertThat(stuck.name()).isEqualTo(stubborn.name());
        assertThat(stuck.state()).isEqualTo(WorkerState.TERMINATION_REQUESTED);
        assertThat(stuck.stack()).anySatisfy(e -> assertThat(e.getMethodName()).isEqualTo("ignoreFlag"));
        assertThat(report.toString()).contains(stubborn.name() + " is stuck").contains("ignoreFlag");
    }

    @Test
    void terminateAll_setsEveryFlagBeforeWaiting() {
        Worker second = start(ctx -> {
            ctx.awaitTermination();
            return 0;
        });
        Worker first = start(ctx -> {
            while (!second.isTerminationRequested()) {
                Thread.onSpinWait();
            }
            return 0;
        });
        assertThat(Worker.terminateAll(List.of(first, second), GENEROUS).allExited()).isTrue();
    }

    @Test
    void awaitAll_doesNotRequestTermination() {
        Worker w = start(this::ignoreFlag);
        TerminationReport report = Worker.awaitAll(List.of(w), Duration.ZERO);
        assertThat(report.stuck()).hasSize(1);
        assertThat(w.isTerminationRequested()).isFalse();
    }

    @Test
    void registry_listsLiveWorkersWithNameStateAndAge() {
        Worker w = start(builder("listed"), this::ignoreFlag);
        assertThat(registry.live()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo(w.name());
            assertThat(s.state()).isEqualTo(WorkerState.RUNNING);
            assertThat(s.age()).isPositive();
            assertThat(s.virtual()).isFalse();
        });
        assertThat(registry.workers()).containsExactly(w);
        release.countDown();
        assertThat(w.awaitExit(GENEROUS)).isTrue();
        assertThat(registry.live()).as("removed before the exit is published").isEmpty();
    }

    @Test
    void stackTrace_showsWhereTheWorkerIs() {
        Worker w = start(this::ignoreFlag);
        Await.blocked(w.thread());
        assertThat(w.stackTrace()).anySatisfy(e -> assertThat(e.getMethodName()).isEqualTo("ignoreFlag"));
        release.countDown();
        w.awaitExit(GENEROUS);
        assertThat(w.stackTrace()).isEmpty();
    }

    @Test
    void toString_namesTheWorkerAndItsState() {
        Worker w = start(builder("shown").virtual(), this::ignoreFlag);
        assertThat(w).hasToString("Worker[" + w.name() + ", RUNNING, virtual]");
    }
}
