package org.clusworker.host;

import org.clusworker.host.time.HostClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clusworker.host.testing.FakeClock;
import org.junit.jupiter.api.Test;

/** The test-support clock must be right for every fake-clock test to mean anything. */
class FakeClockTest {

    @Test
    void advance_runsDueTasksInTimeOrderAtTheirDueTime() {
        FakeClock clock = new FakeClock();
        Instant t0 = clock.now();
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ofSeconds(2), () -> ran.add("b@" + Duration.between(t0, clock.now()).toSeconds()));
        clock.schedule(Duration.ofSeconds(1), () -> ran.add("a@" + Duration.between(t0, clock.now()).toSeconds()));
        clock.schedule(Duration.ofSeconds(3), () -> ran.add("c"));
        clock.advance(Duration.ofMillis(2500));
        assertThat(ran).containsExactly("a@1", "b@2");
        assertThat(clock.now()).isEqualTo(t0.plusMillis(2500));
        assertThat(clock.pendingTasks()).isEqualTo(1);
    }

    @Test
    void advance_tasksScheduledByTasks_runInTheSameAdvanceWhenDue() {
        FakeClock clock = new FakeClock();
        List<Instant> ticks = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            ticks.add(clock.now());
            clock.schedule(Duration.ofSeconds(5), tick[0]);
        };
        clock.schedule(Duration.ofSeconds(5), tick[0]);
        clock.advance(Duration.ofSeconds(60));
        assertThat(ticks).hasSize(12);
    }

    @Test
    void cancel_beforeDue_taskNeverRuns() {
        FakeClock clock = new FakeClock();
        List<String> ran = new ArrayList<>();
        HostClock.Scheduled s = clock.schedule(Duration.ofSeconds(1), () -> ran.add("x"));
        s.cancel();
        s.cancel();
        clock.advance(Duration.ofSeconds(2));
        assertThat(ran).isEmpty();
    }

    @Test
    void schedule_zeroDelay_runsOnTheNextAdvanceNotOnTheCaller() {
        FakeClock clock = new FakeClock();
        List<String> ran = new ArrayList<>();
        clock.schedule(Duration.ZERO, () -> ran.add("x"));
        assertThat(ran).isEmpty();
        clock.advance(Duration.ZERO);
        assertThat(ran).containsExactly("x");
    }
}
