package org.clusworker.cluster.placement;

import java.util.Objects;

/**
 * A group's placement policies beyond its failover threshold: failback (CLUSTER.md §1.5),
 * anti-affinity (§1.7) and start priority (§1.8).
 *
 * @param failback     whether and when it goes back to its most preferred node
 * @param antiAffinity the groups it avoids sharing a node with
 * @param priority     the order groups are placed and started in after a node loss; whether it starts at all
 */
public record GroupPolicy(FailbackPolicy failback, AntiAffinity antiAffinity, Priority priority) {

    /** Windows' defaults: no failback, no anti-affinity, priority medium. */
    public static final GroupPolicy DEFAULTS = new GroupPolicy(FailbackPolicy.PREVENT, AntiAffinity.NONE, Priority.DEFAULT);

    public GroupPolicy {
        Objects.requireNonNull(failback, "failback");
        Objects.requireNonNull(antiAffinity, "antiAffinity");
        Objects.requireNonNull(priority, "priority");
    }

    public GroupPolicy withFailback(FailbackPolicy f) {
        return new GroupPolicy(f, antiAffinity, priority);
    }

    public GroupPolicy withAntiAffinity(AntiAffinity a) {
        return new GroupPolicy(failback, a, priority);
    }

    public GroupPolicy withPriority(Priority p) {
        return new GroupPolicy(failback, antiAffinity, p);
    }

    /** Whether every policy is the default. */
    public boolean isDefault() {
        return equals(DEFAULTS);
    }

    @Override
    public String toString() {
        return "failback " + failback + "; anti-affinity " + antiAffinity + "; priority " + priority;
    }
}
