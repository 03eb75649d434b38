package org.clusworker.cluster;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clusworker.cluster.placement.FailoverPolicy;
import org.clusworker.cluster.placement.FailoverRecord;
import org.clusworker.cluster.placement.GroupView;
import org.clusworker.cluster.placement.Placement;
import org.clusworker.cluster.placement.PlacementRequest;
import org.clusworker.cluster.placement.Placer;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.ResourceView;
import org.clusworker.cluster.zk.GroupStore.GroupRecord;
import org.clusworker.cluster.zk.Records;
import org.clusworker.cluster.zk.Records.Phase;

/**
 * What the placement function sees of the cluster: the configuration and the records read from
 * ZooKeeper, turned into a {@link PlacementSnapshot}; and which request a group's records stand for.
 * Pure.
 */
final class Snapshots {

    private Snapshots() {
    }

    /**
     * @param up      the nodes that may take groups now: members, less those draining
     * @param records the groups' records as read, by group name (a group without a record counts as never owned)
     */
    static PlacementSnapshot of(ClusterSpec spec, Set<String> up, Map<String, GroupRecord> records, Instant now) {
        return of(spec, up, records, now, Map.of(), ZoneId.systemDefault());
    }

    /**
     * @param upSince per node, since when it has been up without a break (failback waits for its target to
     *                have been up {@code stableFor}); a node missing counts as up for an unknown time
     * @param zone    the cluster's local time zone (the hours of failback windows are in it)
     */
    static PlacementSnapshot of(ClusterSpec spec, Set<String> up, Map<String, GroupRecord> records, Instant now,
                                Map<String, Instant> upSince, ZoneId zone) {
        List<GroupView> groups = new ArrayList<>();
        for (GroupSpec g : spec.groups()) {
            groups.add(view(spec, g, records.get(g.name())));
        }
        Map<String, Instant> known = new java.util.HashMap<>(upSince);
        known.keySet().retainAll(spec.nodes());
        return new PlacementSnapshot(spec.nodes(), up, groups, now, known, zone);
    }

    static GroupView view(ClusterSpec spec, GroupSpec g, GroupRecord rec) {
        List<ResourceView> resources = g.resources().stream().map(r -> resource(spec, r)).toList();
        FailoverPolicy policy = new FailoverPolicy(g.failoverThreshold(spec.nodes().size()), g.failoverPeriod(),
                ClusterNode.RETRY_PERIOD_ON_FAILURE);
        if (rec == null) {
            return new GroupView(g.name(), g.preferredOwners(), resources, Optional.empty(), Optional.empty(), policy, List.of(), false,
                    Optional.empty(), g.policy());
        }
        Optional<String> owner = rec.owner().map(Records.Owner::node);
        Optional<String> last = owner.isPresent() ? owner : Optional.ofNullable(rec.state().node()).filter(spec.nodes()::contains);
        boolean failed = rec.state().phase() == Phase.FAILED && owner.isEmpty();
        Optional<Instant> failedSince = rec.history().lastFailedAt() > 0 ? Optional.of(Instant.ofEpochMilli(rec.history().lastFailedAt()))
                : failed ? Optional.of(Instant.ofEpochMilli(rec.state().since())) : Optional.empty();
        List<FailoverRecord> history = rec.history().entries().stream()
                .filter(f -> f.to() != null)
                .map(f -> new FailoverRecord(f.epoch(), Optional.ofNullable(f.from()), f.to(), Instant.ofEpochMilli(f.time()), f.planned()))
                .toList();
        return new GroupView(g.name(), g.preferredOwners(), resources, owner, last, policy, history, failed, failedSince, g.policy());
    }

    private static ResourceView resource(ClusterSpec spec, String r) {
        List<String> owners = spec.possibleOwners(r);
        return owners.containsAll(spec.nodes()) ? ResourceView.anyNode(r) : new ResourceView(r, Optional.of(Set.copyOf(owners)));
    }

    /**
     * What placing a group without an owner means now: a move while a move is asked for; a start if no
     * node ever owned it; a move to the best possible node after its owner released it for a drain; else
     * a failover (its owner failed it, or is gone).
     */
    static PlacementRequest request(GroupRecord rec) {
        if (rec.target().isPresent()) {
            String to = rec.target().get().node();
            return to == null ? new PlacementRequest.Move(Optional.empty()) : new PlacementRequest.Move(Optional.of(to));
        }
        if (rec.state().node() == null) {
            return new PlacementRequest.Start();
        }
        if (rec.state().phase() == Phase.OFFLINE && rec.state().clean() && rec.state().planned()) {
            return new PlacementRequest.Move(Optional.empty());
        }
        return new PlacementRequest.Failover();
    }

    /** Where a group without an owner goes, and for which request (the one asked for, or the one it fell back to). */
    record Decision(PlacementRequest request, Placement placement) {
    }

    /**
     * Where a group without an owner goes, as every node decides it (and {@code cluster simulate} predicts
     * it): {@code request} as its records say; a move to the best possible node is {@link #bestPossible}; a
     * move that cannot be carried out (its target left, or may not take the group) is placed as if none
     * had been asked.
     *
     * @param neverOwned no node ever owned the group (its fallback is a start, else a failover)
     */
    static Decision placeUnowned(Placer placer, PlacementSnapshot snapshot, String group, PlacementRequest request, boolean neverOwned) {
        Placement p = request instanceof PlacementRequest.Move m && m.target().isEmpty()
                ? bestPossible(placer, snapshot, group) : placer.place(snapshot, group, request);
        if (p.verdict() == org.clusworker.cluster.placement.Verdict.INVALID_TARGET) {
            request = neverOwned ? PlacementRequest.start() : PlacementRequest.failover();
            p = placer.place(snapshot, group, request);
        }
        return new Decision(request, p);
    }

    /**
     * Where a group goes on a move to the best possible node, or after its owner released it for a drain:
     * its most preferred eligible node other than the owner (as the owner saw it); if no preferred owner
     * may take it, the first eligible node of its list.
     */
    static Placement bestPossible(Placer placer, PlacementSnapshot snapshot, String group) {
        GroupView g = snapshot.group(group);
        PlacementSnapshot s = snapshot;
        if (g.currentOwner().isEmpty() && g.lastOwner().isPresent() && !g.failed()) {
            s = snapshot.withGroup(g.ownedBy(g.lastOwner().get()));       // the move as its owner saw it: the owner stays out
        }
        Placement p = placer.place(s, group, PlacementRequest.moveToBestPossible());
        if (p.verdict() == org.clusworker.cluster.placement.Verdict.NONE_ELIGIBLE) {
            // no preferred owner may take it: the first eligible node of its list, other than an owner that keeps it
            Optional<String> owner = g.currentOwner();
            Placement first = placer.place(owner.isPresent() ? snapshot.withGroup(g.lastOwnedBy(owner.get())) : snapshot, group,
                    PlacementRequest.start());
            if (first.chosen().isPresent() && !first.chosen().equals(owner)) {
                p = first;
            }
        }
        return p;
    }
}
