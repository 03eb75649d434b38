package org.clusworker.host.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongConsumer;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.RestartAction;
import org.clusworker.host.time.Durations;
import org.clusworker.host.time.HostClock;

/**
 * The restart plan of one failed resource: whether and when the host will try to bring it online
 * again, and why. It turns each failure into a {@link RestartTracker} decision, keeps the one retry
 * timer, and says whether an attempt is due.
 *
 * <p>States: nothing planned; an attempt planned at {@link #nextAttempt()} (the timer runs); an attempt
 * due now ({@link #isDue()}; the timer has fired, or no delay was asked). {@link #beginAttempt()} consumes a
 * due attempt; {@link #cancel()} drops whatever is planned; {@link #retryNow(String)} (an online asked for by
 * hand) makes one due at once with a fresh restart window.
 *
 * <p>Not thread-safe: confined to its resource's lock. The timer fires {@code onDue} on the clock's
 * thread with the epoch it was armed with; the owner takes its lock and calls {@link #fired(long)}, which
 * ignores a timer that was cancelled or replaced since (a stale epoch).
 */
public final class RestartPlan {

    private final ResourcePolicy policy;
    private final RestartTracker tracker;
    private final HostClock clock;
    private final LongConsumer onDue;

    private HostClock.Scheduled timer;
    /** Bumped by every cancel, so that a timer already on its way is recognised as stale. */
    private long epoch;
    private boolean due;
    /** The attempt follows a give-up (RetryPeriodOnFailure): the restart window starts afresh with it. */
    private boolean afterGiveUp;
    private String reason;
    private Instant nextAttempt;

    /**
     * @param onDue called on the clock's thread when the retry timer fires, with the timer's epoch
     */
    public RestartPlan(ResourcePolicy policy, RestartTracker tracker, HostClock clock, LongConsumer onDue) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onDue = Objects.requireNonNull(onDue, "onDue");
    }

    /** What a failure led to. */
    public record Outcome(RestartTracker.Verdict verdict, String reason, Instant nextAttempt) {

        /** Whether the resource should ask to fail over. */
        public boolean failover() {
            return verdict == RestartTracker.Verdict.FAILOVER;
        }
    }

    /**
     * Records a failure at {@code now} and plans what follows it.
     *
     * @param onlineFor how long the resource had been Online before it failed (zero if it was not)
     */
    public Outcome onFailure(Instant now, Duration onlineFor) {
        cancel();
        RestartTracker.Decision d = tracker.onFailure(now, onlineFor);
        String window = " within " + Durations.format(policy.restartPeriod());
        String retry = "retry after " + Durations.format(policy.retryPeriodOnFailure()) + " (RetryPeriodOnFailure)";
        switch (d.verdict()) {
            case STAY_FAILED -> { }
            case RESTART -> plan(now, d.nextAttempt(), false,
                    "restart after failure " + d.failures() + " of " + policy.restartThreshold() + " allowed" + window);
            case GIVE_UP -> plan(now, d.nextAttempt(), true, thresholdReached() + "; " + retry);
            case FAILOVER -> plan(now, d.nextAttempt(), true, thresholdReached() + "; failover requested; " + retry);
            default -> throw new IllegalStateException("Unexpected verdict " + d.verdict());
        }
        return new Outcome(d.verdict(), reason, nextAttempt);
    }

    /** {@code "restart threshold 3 in 15m reached"}. */
    private String thresholdReached() {
        return "restart threshold " + policy.restartThreshold() + " in " + Durations.format(policy.restartPeriod()) + " reached";
    }

    private void plan(Instant now, Instant at, boolean giveUp, String why) {
        nextAttempt = at;
        afterGiveUp = giveUp;
        reason = why;
        Duration delay = Duration.between(now, at);
        if (delay.isZero() || delay.isNegative()) {
            due = true;
            return;
        }
        long armed = epoch;
        timer = clock.schedule(delay, () -> onDue.accept(armed));
    }

    /** An online asked for by hand: an attempt is due now, with a fresh restart window. */
    public void retryNow(String why) {
        tracker.reset();
        afterGiveUp = false;
        cancel();
        due = true;
        reason = why;
    }

    /**
     * The retry timer armed with {@code armedEpoch} fired (under the owner's lock).
     *
     * @return whether it made an attempt due (false if the timer was stale)
     */
    public boolean fired(long armedEpoch) {
        if (armedEpoch != epoch) {
            return false;
        }
        timer = null;
        due = true;
        return true;
    }

    /** Drops whatever is planned: no timer, nothing due. */
    public void cancel() {
        epoch++;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        due = false;
        nextAttempt = null;
    }

    /** An attempt starts now: consumes the due attempt; after a give-up, the restart window starts afresh. */
    public void beginAttempt() {
        if (afterGiveUp) {
            tracker.reset();
            afterGiveUp = false;
        }
        cancel();
    }

    /** Whether an attempt is due now. */
    public boolean isDue() {
        return due;
    }

    /** When the planned attempt is; {@code null} if none is planned or it is due already. */
    public Instant nextAttempt() {
        return nextAttempt;
    }

    /** Why the planned or due attempt will be made; {@code null} if none ever was. */
    public String reason() {
        return reason;
    }

    /** The restarts the window has allowed at {@code now}. */
    public int restarts(Instant now) {
        return tracker.restarts(now);
    }

    /** Whether the policy ever restarts by itself. */
    public boolean restartsAutomatically() {
        return policy.restartAction() != RestartAction.NONE;
    }
}
