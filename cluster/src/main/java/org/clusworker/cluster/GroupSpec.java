package org.clusworker.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.host.config.Names;

/**
 * One group of resources: the unit of failover, owned by one node at a time.
 *
 * @param name              the group's name
 * @param resources         its resources, closed under {@code dependsOn}
 * @param preferredOwners   the nodes it prefers, most preferred first (they order, they do not restrict)
 * @param failoverThreshold unplanned failovers allowed within {@code failoverPeriod}; empty: nodes − 1
 * @param failoverPeriod    the sliding window of the threshold (6h)
 * @param stopBudget        how long its stop may take (S_g): the lease stops it this long before the fence time
 * @param onStopFailure     what a node does when it cannot confirm the group stopped
 * @param policy            its failback, anti-affinity and priority (CLUSTER.md §1.5, §1.7, §1.8)
 */
public record GroupSpec(String name, List<String> resources, List<String> preferredOwners, OptionalInt failoverThreshold,
                        Duration failoverPeriod, Duration stopBudget, StopFailure onStopFailure, GroupPolicy policy) {

    /** Windows' FailoverPeriod default. */
    public static final Duration DEFAULT_FAILOVER_PERIOD = Duration.ofHours(6);
    /** The stop budget when none is configured. */
    public static final Duration DEFAULT_STOP_BUDGET = Duration.ofSeconds(5);

    /** What a node does when a stop of the group fails or hangs (the group is then Stuck on it). */
    public enum StopFailure {
        /** The node exits; its watchdog kills what is left; its session expires and another node takes over (default). */
        FENCE_SELF("fence-self"),
        /** The group waits on its owner until an operator confirms it offline. */
        BLOCK("block");

        private final String text;

        StopFailure(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** {@code fence-self} or {@code block}. */
        public static java.util.Optional<StopFailure> of(String text) {
            for (StopFailure f : values()) {
                if (f.text.equals(text)) {
                    return java.util.Optional.of(f);
                }
            }
            return java.util.Optional.empty();
        }
    }

    public GroupSpec {
        Names.require("group name", name);
        resources = List.copyOf(resources);
        preferredOwners = List.copyOf(preferredOwners);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("group " + name + ": resources: [] (expected: at least one resource)");
        }
        Objects.requireNonNull(failoverThreshold, "failoverThreshold");
        failoverThreshold.ifPresent(t -> {
            if (t < 0) {
                throw new IllegalArgumentException("group " + name + ": failover.threshold: " + t + " (expected: >= 0)");
            }
        });
        Objects.requireNonNull(failoverPeriod, "failoverPeriod");
        Objects.requireNonNull(stopBudget, "stopBudget");
        Objects.requireNonNull(onStopFailure, "onStopFailure");
        Objects.requireNonNull(policy, "policy");
    }

    /** A group with the default failback, anti-affinity and priority ({@link GroupPolicy#DEFAULTS}). */
    public GroupSpec(String name, List<String> resources, List<String> preferredOwners, OptionalInt failoverThreshold,
                     Duration failoverPeriod, Duration stopBudget, StopFailure onStopFailure) {
        this(name, resources, preferredOwners, failoverThreshold, failoverPeriod, stopBudget, onStopFailure, GroupPolicy.DEFAULTS);
    }

    /** The same group with another failback, anti-affinity and priority. */
    public GroupSpec withPolicy(GroupPolicy p) {
        return new GroupSpec(name, resources, preferredOwners, failoverThreshold, failoverPeriod, stopBudget, onStopFailure, p);
    }

    /**
     * The group as {@link ClusterSpec#digest()} covers it: every setting. The policies appear only when
     * one is not the default, so that a configuration without them keeps the digest of earlier releases
     * (a rolling upgrade still joins).
     */
    String digestText() {
        String before = "GroupSpec[name=" + name + ", resources=" + resources + ", preferredOwners=" + preferredOwners
                + ", failoverThreshold=" + failoverThreshold + ", failoverPeriod=" + failoverPeriod + ", stopBudget=" + stopBudget
                + ", onStopFailure=" + onStopFailure + "]";
        return policy.isDefault() ? before : before + " policy=" + policy;
    }

    /** A group with Windows' defaults. */
    public static GroupSpec of(String name, List<String> resources, List<String> preferredOwners) {
        return new GroupSpec(name, resources, preferredOwners, OptionalInt.empty(), DEFAULT_FAILOVER_PERIOD,
                DEFAULT_STOP_BUDGET, StopFailure.FENCE_SELF, GroupPolicy.DEFAULTS);
    }

    /** The threshold in a cluster of {@code nodes} nodes: as configured, else nodes − 1. */
    public int failoverThreshold(int nodes) {
        return failoverThreshold.orElse(Math.max(0, nodes - 1));
    }
}
