package org.clusworker.host.policy;

import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.RestartAction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * The restart policy of one resource, as a pure function of its failures and the time: Windows'
 * {@code RestartAction}, {@code RestartThreshold} failures within a sliding {@code RestartPeriod},
 * {@code RestartDelay}, {@code RetryPeriodOnFailure}, plus the optional {@link RestartBackoff}.
 *
 * <p>A failure at {@code t} counts while {@code now - t < restartPeriod}. The failures counted (this one
 * included) up to the threshold are each followed by a restart after the (backed-off) delay; the one past
 * it is not: the resource stays Failed until {@code now + retryPeriodOnFailure} (and, with
 * {@link RestartAction#RESTART_THEN_FAILOVER}, asks to fail over). When that retry starts, or an online is
 * requested by hand, {@link #reset()} forgets the failures.
 *
 * <p>Not thread-safe: guarded by its resource's lock. Times are passed in; it reads no clock.
 */
public final class RestartTracker {

    /** What to do after a failure. */
    public enum Verdict {
        /** Restart at {@link Decision#nextAttempt()}. */
        RESTART,
        /** Past the threshold: stay Failed, retry at {@link Decision#nextAttempt()}. */
        GIVE_UP,
        /** Past the threshold: ask to fail over, and retry at {@link Decision#nextAttempt()}. */
        FAILOVER,
        /** {@link RestartAction#NONE}: stay Failed; no attempt is planned. */
        STAY_FAILED
    }

    /**
     * @param verdict     what to do
     * @param nextAttempt when to try again; {@code null} for {@link Verdict#STAY_FAILED}
     * @param failures    the failures counted in the window, this one included
     */
    public record Decision(Verdict verdict, Instant nextAttempt, int failures) {
    }

    private final ResourcePolicy policy;
    private final RestartBackoff backoff;
    /** Failure times within the window, oldest first. */
    private final Deque<Instant> failures = new ArrayDeque<>();
    /** Restarts since the last reset (for the backoff). */
    private int consecutive;

    public RestartTracker(ResourcePolicy policy, RestartBackoff backoff) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
    }

    /**
     * Records a failure.
     *
     * @param now      when it failed
     * @param onlineFor how long the resource had been Online before it failed ({@link Duration#ZERO} if it was not)
     */
    public Decision onFailure(Instant now, Duration onlineFor) {
        prune(now);
        failures.addLast(now);
        if (backoff.resets(onlineFor)) {
            consecutive = 0;
        }
        if (policy.restartAction() == RestartAction.NONE) {
            return new Decision(Verdict.STAY_FAILED, null, failures.size());
        }
        if (failures.size() <= policy.restartThreshold()) {
            consecutive++;
            return new Decision(Verdict.RESTART, now.plus(backoff.delay(consecutive)), failures.size());
        }
        Verdict verdict = policy.restartAction() == RestartAction.RESTART_THEN_FAILOVER ? Verdict.FAILOVER : Verdict.GIVE_UP;
        return new Decision(verdict, now.plus(policy.retryPeriodOnFailure()), failures.size());
    }

    /** The failures within the window at {@code now}. */
    int failures(Instant now) {
        prune(now);
        return failures.size();
    }

    /** The restarts the window has allowed at {@code now}: the failures in it, up to the threshold. */
    public int restarts(Instant now) {
        return policy.restartAction() == RestartAction.NONE ? 0 : Math.min(failures(now), policy.restartThreshold());
    }

    /** Forgets every failure and the backoff count. */
    public void reset() {
        failures.clear();
        consecutive = 0;
    }

    private void prune(Instant now) {
        Instant horizon = now.minus(policy.restartPeriod());
        while (!failures.isEmpty() && !failures.peekFirst().isAfter(horizon)) {
            failures.removeFirst();
        }
    }
}
