package org.clusworker.cluster.zk;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.clusworker.cluster.ClusterSpec;
import org.clusworker.cluster.GroupSpec;
import org.clusworker.cluster.placement.AntiAffinity;
import org.clusworker.cluster.placement.FailbackPolicy;
import org.clusworker.cluster.placement.FailbackWindow;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.cluster.placement.Priority;

/**
 * {@code /config}: the digest every node must share, and the cluster's configuration itself, so that an
 * operator's command can find the groups with nothing but the ZooKeeper connect string.
 */
public record ConfigRecord(String digest, String name, List<String> nodes, long sessionTimeoutMs, long probeIntervalMs,
                           long pauseAllowanceMs, double clockDrift, long takeoverDelayMs, List<Group> groups,
                           Map<String, List<String>> possibleOwners) {

    /**
     * One group, as plain values. The policies are null in a record written by an earlier release (and
     * read as the defaults); an earlier release ignores them.
     *
     * @param failbackAllow        failback.allow
     * @param failbackStableForMs  failback.stableFor
     * @param failbackWindow       failback.window, {@code 22-6}; null: any time
     * @param antiAffinityClasses  antiAffinity.classes
     * @param antiAffinityEnforced antiAffinity.enforced
     * @param priority             high, medium, low or no-auto-start
     */
    public record Group(String name, List<String> resources, List<String> preferredOwners, Integer failoverThreshold,
                        long failoverPeriodMs, long stopBudgetMs, String onStopFailure, Boolean failbackAllow,
                        Long failbackStableForMs, String failbackWindow, List<String> antiAffinityClasses,
                        Boolean antiAffinityEnforced, String priority) {

        /** A group as an earlier release recorded it: the default policies. */
        public Group(String name, List<String> resources, List<String> preferredOwners, Integer failoverThreshold,
                     long failoverPeriodMs, long stopBudgetMs, String onStopFailure) {
            this(name, resources, preferredOwners, failoverThreshold, failoverPeriodMs, stopBudgetMs, onStopFailure, null, null, null, null,
                    null, null);
        }

        static Group of(GroupSpec g) {
            GroupPolicy p = g.policy();
            return new Group(g.name(), g.resources(), g.preferredOwners(),
                    g.failoverThreshold().isPresent() ? g.failoverThreshold().getAsInt() : null, g.failoverPeriod().toMillis(),
                    g.stopBudget().toMillis(), g.onStopFailure().text(), p.failback().allowed(), p.failback().stableFor().toMillis(),
                    p.failback().window().map(FailbackWindow::toString).orElse(null), p.antiAffinity().classes(),
                    p.antiAffinity().enforced(), p.priority().text());
        }

        /** Its policies; each one missing (an earlier release's record) or unreadable is the default. */
        GroupPolicy policy() {
            FailbackPolicy fb = new FailbackPolicy(Boolean.TRUE.equals(failbackAllow),
                    failbackStableForMs == null || failbackStableForMs < 0 ? Duration.ZERO : Duration.ofMillis(failbackStableForMs),
                    failbackWindow == null ? Optional.empty() : FailbackWindow.parse(failbackWindow));
            AntiAffinity aa = antiAffinityClasses == null ? AntiAffinity.NONE
                    : new AntiAffinity(antiAffinityClasses, Boolean.TRUE.equals(antiAffinityEnforced));
            Priority pr = priority == null ? Priority.DEFAULT : Priority.of(priority).orElse(Priority.DEFAULT);
            return new GroupPolicy(fb, aa, pr);
        }
    }

    public static ConfigRecord of(ClusterSpec s) {
        List<Group> groups = s.groups().stream().map(Group::of).toList();
        ClusterSpec.LeaseSettings l = s.lease();
        return new ConfigRecord(s.digest(), s.name(), s.nodes(), s.sessionTimeout().toMillis(), l.probeInterval().toMillis(),
                l.pauseAllowance().toMillis(), l.clockDrift(), l.takeoverDelay().toMillis(), groups, s.possibleOwners());
    }

    /** The cluster as seen by {@code node} (an operator's command passes any name: it owns nothing). */
    public ClusterSpec toSpec(String node, String connect) {
        List<GroupSpec> gs = groups.stream().map(g -> new GroupSpec(g.name(), g.resources(), g.preferredOwners(),
                g.failoverThreshold() == null ? OptionalInt.empty() : OptionalInt.of(g.failoverThreshold()),
                Duration.ofMillis(g.failoverPeriodMs()), Duration.ofMillis(g.stopBudgetMs()),
                GroupSpec.StopFailure.of(g.onStopFailure()).orElse(GroupSpec.StopFailure.FENCE_SELF), g.policy())).toList();
        return new ClusterSpec(name, node, nodes, connect, Duration.ofMillis(sessionTimeoutMs),
                new ClusterSpec.LeaseSettings(Duration.ofMillis(probeIntervalMs), Duration.ofMillis(pauseAllowanceMs), clockDrift,
                        Duration.ofMillis(takeoverDelayMs)), gs, possibleOwners == null ? Map.of() : possibleOwners);
    }
}
