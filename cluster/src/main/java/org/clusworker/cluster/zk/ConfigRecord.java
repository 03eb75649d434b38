package org.clusworker.cluster.zk;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.clusworker.cluster.ClusterSpec;
import org.clusworker.cluster.GroupSpec;

/**
 * {@code /config}: the digest every node must share, and the cluster's configuration itself, so that an
 * operator's command can find the groups with nothing but the ZooKeeper connect string.
 */
public record ConfigRecord(String digest, String name, List<String> nodes, long sessionTimeoutMs, long probeIntervalMs,
                           long pauseAllowanceMs, double clockDrift, long takeoverDelayMs, List<Group> groups,
                           Map<String, List<String>> possibleOwners) {

    /** One group, as plain values. */
    public record Group(String name, List<String> resources, List<String> preferredOwners, Integer failoverThreshold,
                        long failoverPeriodMs, long stopBudgetMs, String onStopFailure) {
    }

    public static ConfigRecord of(ClusterSpec s) {
        List<Group> groups = s.groups().stream().map(g -> new Group(g.name(), g.resources(), g.preferredOwners(),
                g.failoverThreshold().isPresent() ? g.failoverThreshold().getAsInt() : null, g.failoverPeriod().toMillis(),
                g.stopBudget().toMillis(), g.onStopFailure().text())).toList();
        ClusterSpec.LeaseSettings l = s.lease();
        return new ConfigRecord(s.digest(), s.name(), s.nodes(), s.sessionTimeout().toMillis(), l.probeInterval().toMillis(),
                l.pauseAllowance().toMillis(), l.clockDrift(), l.takeoverDelay().toMillis(), groups, s.possibleOwners());
    }

    /** The cluster as seen by {@code node} (an operator's command passes any name: it owns nothing). */
    public ClusterSpec toSpec(String node, String connect) {
        List<GroupSpec> gs = groups.stream().map(g -> new GroupSpec(g.name(), g.resources(), g.preferredOwners(),
                g.failoverThreshold() == null ? OptionalInt.empty() : OptionalInt.of(g.failoverThreshold()),
                Duration.ofMillis(g.failoverPeriodMs()), Duration.ofMillis(g.stopBudgetMs()),
                GroupSpec.StopFailure.of(g.onStopFailure()).orElse(GroupSpec.StopFailure.FENCE_SELF))).toList();
        return new ClusterSpec(name, node, nodes, connect, Duration.ofMillis(sessionTimeoutMs),
                new ClusterSpec.LeaseSettings(Duration.ofMillis(probeIntervalMs), Duration.ofMillis(pauseAllowanceMs), clockDrift,
                        Duration.ofMillis(takeoverDelayMs)), gs, possibleOwners == null ? Map.of() : possibleOwners);
    }
}
