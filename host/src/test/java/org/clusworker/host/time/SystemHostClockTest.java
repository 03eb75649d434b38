package org.clusworker.host.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SystemHostClock}'s timers, in real time: every wait is bounded and generous, and no assertion
 * depends on how late a timer runs, only on whether and in which order.
 */
class SystemHostClockTest {

    private static final Duration LONG = Duration.ofHours(1);
    private final SystemHostClock clock = new SystemHostClock("test");

    @AfterEach
    void stop() {
        assertThat(clock.shutdown(Duration.ofSeconds(30))).isTrue();
    }

    @Test
    void timersRun_inTheOrderOfTheirDueTimes_thenOfTheirScheduling() throws Exception {
        LinkedBlockingQueue<String> ran = new LinkedBlockingQueue<>();
        clock.schedule(Duration.ofMillis(300), () -> ran.add("300ms"));
        clock.schedule(Duration.ofMillis(100), () -> ran.add("100ms"));
        clock.schedule(Duration.ofMillis(200), () -> ran.add("200ms"));
        List<String> expected = new ArrayList<>(List.of("100ms", "200ms", "300ms"));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            got.add(ran.poll(30, TimeUnit.SECONDS));
        }
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void aTimerDueBeforeTheOneTheThreadSleepsFor_wakesIt() throws Exception {
        CountDownLatch late = new CountDownLatch(1);
        CountDownLatch soon = new CountDownLatch(1);
        clock.schedule(LONG, late::countDown);
        Thread.sleep(50);     // the thread most likely sleeps for the hour now; if not, it finds the new timer first anyway
        clock.schedule(Duration.ofMillis(20), soon::countDown);
        assertThat(soon.await(30, TimeUnit.SECONDS)).as("the earlier timer ran though the thread slept for an hour").isTrue();
        assertThat(late.getCount()).isOne();
    }

    @Test
    void aCancelledTimer_neverRuns_andTheOnesAfterItDo() throws Exception {
        AtomicInteger cancelledRan = new AtomicInteger();
        CountDownLatch after = new CountDownLatch(1);
        HostClock.Scheduled s = clock.schedule(Duration.ofMillis(100), cancelledRan::incrementAndGet);
        s.cancel();
        s.cancel();
        clock.schedule(Duration.ofMillis(200), after::countDown);
        assertThat(after.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(cancelledRan).hasValue(0);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void cancelledTimers_doNotPileUp() {
        for (int i = 0; i < 10_000; i++) {
            clock.schedule(LONG, () -> { }).cancel();
        }
        assertThat(clock.pending()).isZero();
        assertThat(clock.queued()).as("cancelled timers still queued").isLessThan(600);
    }

    @Test
    void aTimerThatThrows_doesNotStopTheClock() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        clock.schedule(Duration.ZERO, () -> {
            throw new IllegalStateException("expected by the test");
        });
        clock.schedule(Duration.ofMillis(10), after::countDown);
        assertThat(after.await(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void afterShutdown_nothingRuns_andScheduleStillReturns() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        clock.schedule(Duration.ofMillis(200), ran::incrementAndGet);
        assertThat(clock.shutdown(Duration.ofSeconds(30))).isTrue();
        HostClock.Scheduled late = clock.schedule(Duration.ZERO, ran::incrementAndGet);
        late.cancel();
        Thread.sleep(400);
        assertThat(ran).hasValue(0);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("clusworker-test-timer"));
    }

    /** Threads arming and cancelling at once: each timer not cancelled runs exactly once, no cancelled one runs. */
    @Test
    void concurrentSchedulesAndCancels_runEachLiveTimerOnce() throws Exception {
        int threads = 4;
        int each = 2_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(threads * each);
        ConcurrentLinkedQueue<Integer> kept = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * each;
            started.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    int id = base + i;
                    if (i % 3 == 0) {
                        // due in an hour: cancelled before its time whatever the threads' pace
                        clock.schedule(LONG.plusMillis(i), () -> runs.incrementAndGet(id)).cancel();
                    } else {
                        clock.schedule(Duration.ofMillis(i % 7), () -> runs.incrementAndGet(id));
                        kept.add(id);
                    }
                }
            }));
        }
        go.countDown();
        for (Thread t : started) {
            t.join();
        }
        // due after every timer above: when it has run, so have they (one thread, in due order)
        CountDownLatch drained = new CountDownLatch(1);
        clock.schedule(Duration.ofMillis(50), drained::countDown);
        assertThat(drained.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(clock.pending()).isZero();
        for (int id = 0; id < threads * each; id++) {
            int expected = (id % each) % 3 == 0 ? 0 : 1;
            assertThat(runs.get(id)).as("runs of timer %d", id).isEqualTo(expected);
        }
        assertThat(kept).hasSize(threads * each - threads * ((each + 2) / 3));
    }
}
