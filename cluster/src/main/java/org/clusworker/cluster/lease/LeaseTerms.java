package org.clusworker.cluster.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The terms of a node's lease (CLUSTER.md §3.5): the negotiated session timeout T, the takeover delay
 * after an unclean loss F_u, the clock-rate bound ρ, the pause allowance G, the slack ε and the probe
 * period P.
 *
 * @param sessionTimeout T, as negotiated with the ensemble
 * @param takeoverDelay  F_u: how long a node waits, after an owner vanished uncleanly, before it starts the group
 * @param clockDrift     ρ, e.g. 0.01 for 1 %
 * @param pauseAllowance G: the longest stall of this JVM that is tolerated
 * @param slack          ε: scheduling slack
 * @param probeInterval  P: how often the lease is renewed
 */
public record LeaseTerms(Duration sessionTimeout, Duration takeoverDelay, double clockDrift, Duration pauseAllowance,
                         Duration slack, Duration probeInterval) {

    /** The test profile of CLUSTER.md §3.5 has T = 3 s; these are the rest of the production profile. */
    public static LeaseTerms defaults(Duration sessionTimeout) {
        return new LeaseTerms(sessionTimeout, Duration.ofSeconds(1), 0.01, Duration.ofSeconds(2), Duration.ofMillis(100),
                Duration.ofSeconds(1));
    }

    public LeaseTerms {
        positive(sessionTimeout, "sessionTimeout");
        notNegative(takeoverDelay, "takeoverDelay");
        notNegative(pauseAllowance, "pauseAllowance");
        notNegative(slack, "slack");
        positive(probeInterval, "probeInterval");
        if (!(clockDrift >= 0 && clockDrift < 0.5)) {
            throw new IllegalArgumentException("clockDrift: " + clockDrift + " (expected: 0 to 0.5, e.g. 0.01 for 1%)");
        }
    }

    /** (T + F_u)·(1 − ρ) in nanoseconds: from s₂ to the earliest takeover elsewhere. */
    long takeoverAfter() {
        return (long) ((sessionTimeout.toNanos() + takeoverDelay.toNanos()) * (1 - clockDrift));
    }

    /**
     * The steady-state condition (a healthy node never stops a group): {@code 2P + rtt + S_g + G + ε <
     * (T + F_u)(1 − ρ)}. Returns what is wrong, one line per problem, naming what to change; empty if it holds.
     */
    public List<String> steadyStateProblems(String group, Duration stopBudget, Duration rtt) {
        List<String> problems = new ArrayList<>();
        long need = 2 * probeInterval.toNanos() + rtt.toNanos() + stopBudget.toNanos() + pauseAllowance.toNanos() + slack.toNanos();
        if (need >= takeoverAfter()) {
            problems.add("group " + group + ": a healthy node would stop it: 2 x probeInterval + round trip + stopBudget"
                    + " + pauseAllowance + slack = " + millis(need) + " is not below (sessionTimeout + takeoverDelay) x (1 - clockDrift) = "
                    + millis(takeoverAfter()) + "; raise zookeeper.sessionTimeout or lease.takeoverDelay, or lower the group's"
                    + " stopBudget, lease.probeInterval or lease.pauseAllowance");
        }
        return problems;
    }

    /** How long a ZooKeeper outage can last without stopping a group with this stop budget (CLUSTER.md §3.5). */
    public Duration blipTolerance(Duration stopBudget, Duration rtt) {
        long b = takeoverAfter() - pauseAllowance.toNanos() - slack.toNanos() - stopBudget.toNanos() - 2 * probeInterval.toNanos() - rtt.toNanos();
        return Duration.ofNanos(Math.max(0, b));
    }

    private static String millis(long nanos) {
        return nanos / 1_000_000 + "ms";
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }

    private static void notNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
        }
    }
}
