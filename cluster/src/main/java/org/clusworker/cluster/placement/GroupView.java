package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One group as placement sees it: its configuration and what the cluster remembers of it.
 *
 * @param name            the group's name
 * @param preferredOwners its preferred owners, most preferred first: they order the node list, they do not restrict it
 * @param resources       its resources with their possible owners; the group may run only where all of them may
 * @param currentOwner    the node that holds it now, if any
 * @param lastOwner       the node that held it most recently (the current owner, if there is one): a
 *                        failover scans the node list from the node after it
 * @param policy          its FailoverThreshold, FailoverPeriod and RetryPeriodOnFailure
 * @param history         its recent changes of owner, in any order (those outside the period are ignored)
 * @param failed          whether it is in phase Failed now: left offline past its threshold
 * @param failedSince     when it last went Failed; kept after its retry, so that the failovers before it no
 *                        longer count (the window counts afresh). Required when {@code failed}
 * @param groupPolicy     its failback, anti-affinity and priority
 */
public record GroupView(String name, List<String> preferredOwners, List<ResourceView> resources,
                        Optional<String> currentOwner, Optional<String> lastOwner, FailoverPolicy policy,
                        List<FailoverRecord> history, boolean failed, Optional<Instant> failedSince, GroupPolicy groupPolicy) {

    public GroupView {
        Checks.name("group name", name);
        preferredOwners = List.copyOf(preferredOwners);
        resources = List.copyOf(resources);
        Checks.unique("group " + name + ": preferredOwners", preferredOwners);
        if (resources.isEmpty()) {
            throw new IllegalArgumentException("group " + name + ": resources: [] (expected: at least one resource)");
        }
        Checks.unique("group " + name + ": resources", resources.stream().map(ResourceView::name).toList());
        Objects.requireNonNull(currentOwner, "currentOwner");
        Objects.requireNonNull(lastOwner, "lastOwner");
        if (currentOwner.isPresent()) {
            if (lastOwner.isPresent() && !lastOwner.equals(currentOwner)) {
                throw new IllegalArgumentException("group " + name + ": lastOwner: " + lastOwner.get() + ", currentOwner: "
                        + currentOwner.get() + " (expected: the current owner is the last owner)");
            }
            lastOwner = currentOwner;
        }
        Objects.requireNonNull(policy, "policy");
        history = List.copyOf(history);
        Objects.requireNonNull(failedSince, "failedSince");
        if (failed && failedSince.isEmpty()) {
            throw new IllegalArgumentException("group " + name + ": failed without failedSince (expected: the time it went Failed)");
        }
        if (failed && currentOwner.isPresent()) {
            throw new IllegalArgumentException("group " + name + ": failed, but owned by " + currentOwner.get()
                    + " (expected: a Failed group has no owner)");
        }
        Objects.requireNonNull(groupPolicy, "groupPolicy");
    }

    /** A group with the default failback, anti-affinity and priority ({@link GroupPolicy#DEFAULTS}). */
    public GroupView(String name, List<String> preferredOwners, List<ResourceView> resources, Optional<String> currentOwner,
                     Optional<String> lastOwner, FailoverPolicy policy, List<FailoverRecord> history, boolean failed,
                     Optional<Instant> failedSince) {
        this(name, preferredOwners, resources, currentOwner, lastOwner, policy, history, failed, failedSince, GroupPolicy.DEFAULTS);
    }

    public Priority priority() {
        return groupPolicy.priority();
    }

    public AntiAffinity antiAffinity() {
        return groupPolicy.antiAffinity();
    }

    public FailbackPolicy failback() {
        return groupPolicy.failback();
    }

    /** A group never owned, with no preferred owners and no history. */
    public static GroupView of(String name, FailoverPolicy policy, ResourceView... resources) {
        return new GroupView(name, List.of(), Arrays.asList(resources), Optional.empty(), Optional.empty(), policy,
                List.of(), false, Optional.empty(), GroupPolicy.DEFAULTS);
    }

    public GroupView withPreferredOwners(String... nodes) {
        return new GroupView(name, Arrays.asList(nodes), resources, currentOwner, lastOwner, policy, history, failed, failedSince, groupPolicy);
    }

    /** Held by {@code node} now. */
    public GroupView ownedBy(String node) {
        return new GroupView(name, preferredOwners, resources, Optional.of(node), Optional.of(node), policy, history, failed, failedSince, groupPolicy);
    }

    /** Held by nobody now; {@code node} held it last. */
    public GroupView lastOwnedBy(String node) {
        return new GroupView(name, preferredOwners, resources, Optional.empty(), Optional.of(node), policy, history, failed, failedSince, groupPolicy);
    }

    public GroupView withPolicy(FailoverPolicy policy) {
        return new GroupView(name, preferredOwners, resources, currentOwner, lastOwner, policy, history, failed, failedSince, groupPolicy);
    }

    public GroupView withHistory(FailoverRecord... records) {
        return new GroupView(name, preferredOwners, resources, currentOwner, lastOwner, policy, Arrays.asList(records), failed, failedSince, groupPolicy);
    }

    /** In phase Failed since {@code since}. */
    public GroupView failedSince(Instant since) {
        return new GroupView(name, preferredOwners, resources, currentOwner, lastOwner, policy, history, true, Optional.of(since), groupPolicy);
    }

    /** Out of phase Failed again (its retry), having gone Failed at {@code since}. */
    public GroupView retriedAfterFailedSince(Instant since) {
        return new GroupView(name, preferredOwners, resources, currentOwner, lastOwner, policy, history, false, Optional.of(since), groupPolicy);
    }

    public GroupView withGroupPolicy(GroupPolicy groupPolicy) {
        return new GroupView(name, preferredOwners, resources, currentOwner, lastOwner, policy, history, failed, failedSince, groupPolicy);
    }

    public GroupView withPriority(Priority p) {
        return withGroupPolicy(groupPolicy.withPriority(p));
    }

    public GroupView withAntiAffinity(AntiAffinity a) {
        return withGroupPolicy(groupPolicy.withAntiAffinity(a));
    }

    public GroupView withFailback(FailbackPolicy f) {
        return withGroupPolicy(groupPolicy.withFailback(f));
    }
}
