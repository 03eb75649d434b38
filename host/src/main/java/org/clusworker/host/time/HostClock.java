package org.clusworker.host.time;

import org.clusworker.host.ResourceHost;

import java.time.Duration;
import java.time.Instant;

/**
 * Where a {@link ResourceHost} takes its time from and runs its timers: pending timeouts, deadlock
 * watchdogs, health-check intervals, restart delays. Injected with {@link ResourceHost.Builder#clock},
 * so that tests advance a fake clock instead of sleeping (Caffeine's {@code Ticker}).
 *
 * <p>The default, made by the host for itself, reads {@link System#nanoTime()} (so its {@link #now()}
 * never goes backwards) and runs its timers on one daemon thread named {@code clusworker-<host>-timer},
 * which the host stops when it closes.
 *
 * <p>Contract for implementations: thread-safe; {@link #schedule} never blocks and never runs the task
 * on the calling thread; tasks are short and run one at a time, in the order of their due time.
 */
public interface HostClock {

    /** The current time. Monotonic: never earlier than a previous result. */
    Instant now();

    /**
     * Runs {@code task} once, {@code delay} from now, unless it is cancelled first.
     *
     * @param delay zero or more
     */
    Scheduled schedule(Duration delay, Runnable task);

    /** A task waiting for its time. */
    @FunctionalInterface
    interface Scheduled {

        /** Makes sure the task will not run, unless it already runs. Idempotent, never blocks. */
        void cancel();
    }
}
