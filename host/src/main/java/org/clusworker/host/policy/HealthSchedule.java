package org.clusworker.host.policy;

import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.time.HostClock;

import java.time.Duration;

/**
 * The health-check timers of one Online resource: LooksAlive every {@code looksAliveInterval}, IsAlive
 * every {@code isAliveInterval}, and IsAlive at once when asked ({@link #requestIsAlive}). A tick only
 * marks its check due; the resource runs due checks when no other call of it runs, IsAlive first (it
 * covers LooksAlive). {@link #stop()} makes every tick of the previous period stale (an epoch counter),
 * so a tick that was already running when the resource left Online does nothing.
 *
 * <p>Not thread-safe: guarded by its controller's lock. Timers are rescheduled at a fixed rate from
 * their tick.
 */
public final class HealthSchedule {

    /** The two health checks. */
    public enum Check {
        /** The cheap, frequent check. */
        LOOKS_ALIVE,
        /** The thorough check. */
        IS_ALIVE
    }

    /** Called by a timer tick, on the clock's thread, with no lock held. */
    @FunctionalInterface
    public interface Tick {
        void onTick(long epoch, Check check);
    }

    private final HostClock clock;
    private final Duration looksAliveInterval;
    private final Duration isAliveInterval;
    private final Tick tick;

    private long epoch;
    private boolean running;
    private HostClock.Scheduled looksAliveTimer;
    private HostClock.Scheduled isAliveTimer;
    private boolean looksAliveDue;
    private boolean isAliveDue;
    /** Why IsAlive was asked for out of turn; {@code null} if it runs on its interval. */
    private String reason;

    public HealthSchedule(HostClock clock, ResourcePolicy policy, Tick tick) {
        this.clock = clock;
        this.looksAliveInterval = policy.looksAliveInterval();
        this.isAliveInterval = policy.isAliveInterval();
        this.tick = tick;
    }

    /** The resource went Online: start both timers. */
    public void start() {
        stop();
        running = true;
        looksAliveTimer = schedule(Check.LOOKS_ALIVE);
        isAliveTimer = schedule(Check.IS_ALIVE);
    }

    /** The resource left Online: cancel both timers and forget what was due. */
    public void stop() {
        epoch++;
        running = false;
        cancel(looksAliveTimer);
        cancel(isAliveTimer);
        looksAliveTimer = null;
        isAliveTimer = null;
        looksAliveDue = false;
        isAliveDue = false;
        reason = null;
    }

    /** A timer ticked: mark its check due and schedule the next tick. {@code false} if the tick is stale. */
    public boolean onTick(long tickEpoch, Check check) {
        if (!running || tickEpoch != epoch) {
            return false;
        }
        if (check == Check.IS_ALIVE) {
            isAliveDue = true;
            isAliveTimer = schedule(check);
        } else {
            looksAliveDue = true;
            looksAliveTimer = schedule(check);
        }
        return true;
    }

    /** Asks for IsAlive as soon as possible (LooksAlive said false, or the agent signalled a failure). */
    public void requestIsAlive(String why) {
        if (running) {
            isAliveDue = true;
            if (reason == null) {
                reason = why;
            }
        }
    }

    /** The check to run now, no longer due once taken; {@code null} if none is due. */
    public Check take() {
        if (isAliveDue) {
            isAliveDue = false;
            looksAliveDue = false;
            return Check.IS_ALIVE;
        }
        if (looksAliveDue) {
            looksAliveDue = false;
            return Check.LOOKS_ALIVE;
        }
        return null;
    }

    /** Why the running IsAlive was asked for, and forget it (the check answered). */
    public String takeReason() {
        String r = reason;
        reason = null;
        return r;
    }

    private HostClock.Scheduled schedule(Check check) {
        long e = epoch;
        Duration interval = check == Check.IS_ALIVE ? isAliveInterval : looksAliveInterval;
        return clock.schedule(interval, () -> tick.onTick(e, check));
    }

    private static void cancel(HostClock.Scheduled s) {
        if (s != null) {
            s.cancel();
        }
    }
}
