package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The placement function: where a group goes, as Windows Server Failover Clustering decides it
 * (CLUSTER.md §1.2–1.4, §6.5). Pure and deterministic: the same snapshot and request give an equal
 * {@link Placement} on every node; thread-safe (immutable).
 *
 * <ul>
 *   <li>START: the first eligible node of the group's node list.
 *   <li>FAILOVER: the next eligible node after the last owner in that list, cyclically; the last owner
 *       itself comes last (a group failed by a resource may restart there if no other node may take it).
 *       Gated by the Failed phase and FailoverThreshold ({@link FailoverGate}).
 *   <li>MOVE to a target: the target if eligible, else INVALID_TARGET naming why; STAY if it owns the group.
 *   <li>MOVE to the best possible node: the most preferred eligible preferred owner other than the current
 *       owner; without preferred owners, the first eligible node of the list other than the current owner.
 *       STAY if no other node qualifies and the owner is eligible. A move never counts toward the threshold.
 * </ul>
 * Eligible: every hard {@link CandidateRule} lets the node through ({@link StandardRule#windows()}: up, and
 * a possible owner of every resource).
 */
public final class Placer {

    private final List<CandidateRule> rules;
    private final Scan scan;

    /** A placer with these rules, applied in order. */
    public Placer(List<CandidateRule> rules) {
        this.rules = List.copyOf(rules);
        this.scan = new Scan(this.rules);
    }

    /** Windows' rules: up, and a possible owner of every resource. */
    public static Placer windows() {
        return new Placer(StandardRule.windows());
    }

    public List<CandidateRule> rules() {
        return rules;
    }

    /**
     * Where {@code group} goes for {@code request}, and why.
     *
     * @throws IllegalArgumentException if the snapshot has no such group, or a START names a group that has an owner
     */
    public Placement place(PlacementSnapshot s, String group, PlacementRequest request) {
        Objects.requireNonNull(request, "request");
        GroupView g = s.group(group);
        List<String> list = s.nodeList(g);
        Trace t = new Trace(g.name(), request);
        t.note("node-list", "node list " + list + (g.preferredOwners().isEmpty() ? " (no preferred owners: the configured order)"
                : " (preferred owners " + g.preferredOwners() + ", then the configured order)"));
        if (s.possibleOwners(g).isEmpty()) {
            List<String> restricted = g.resources().stream().filter(r -> r.possibleOwners().isPresent()).map(ResourceView::name).toList();
            return t.none(Verdict.NONE_ELIGIBLE, "possible-owners", "no node may own group " + g.name() + ": resources "
                    + String.join(", ", restricted) + " have no possible owner in common");
        }
        return switch (request) {
            case PlacementRequest.Start r -> start(s, g, list, t);
            case PlacementRequest.Failover r -> failover(s, g, list, t);
            case PlacementRequest.Move m -> m.target().isPresent() ? moveTo(s, g, m.target().get(), t) : moveToBestPossible(s, g, list, t);
        };
    }

    /**
     * Where {@code group} would go if its current owner failed now (for {@code cluster status}): a failover
     * with that node down. Empty if the group has no owner.
     */
    public Optional<Placement> ifOwnerFails(PlacementSnapshot s, String group) {
        GroupView g = s.group(group);
        return g.currentOwner().map(owner -> {
            Placement p = place(s.withDown(owner).withGroup(g.lastOwnedBy(owner)), group, PlacementRequest.failover());
            List<Reason> reasons = new ArrayList<>(p.reasons());
            reasons.addFirst(Reason.of("if-owner-fails", "if its owner " + owner + " failed now"));
            return new Placement(p.group(), p.request(), p.verdict(), p.chosen(), p.candidates(), reasons, p.retryAt());
        });
    }

    private Placement start(PlacementSnapshot s, GroupView g, List<String> list, Trace t) {
        if (g.currentOwner().isPresent()) {
            throw new IllegalArgumentException("group " + g.name() + ": START, but owned by " + g.currentOwner().get()
                    + " (expected: START only for a group without owner)");
        }
        return automatic(s, g, list, list, false, "start-order", "first eligible node of " + list, t);
    }

    private Placement failover(PlacementSnapshot s, GroupView g, List<String> list, Trace t) {
        Optional<String> last = g.lastOwner();
        if (last.isPresent() && list.contains(last.get())) {
            int at = list.indexOf(last.get());
            List<String> order = new ArrayList<>(list.subList(at + 1, list.size()));
            order.addAll(list.subList(0, at + 1));
            return automatic(s, g, list, order, true, "failover-order", "next after the last owner " + last.get() + " in " + list, t);
        }
        String why = last.map(n -> " (the last owner " + n + " is not a configured node)").orElse(" (no last owner)");
        return automatic(s, g, list, list, true, "failover-order", "first eligible node of " + list + why, t);
    }

    private Placement automatic(PlacementSnapshot s, GroupView g, List<String> list, List<String> order, boolean failover,
                                String rule, String how, Trace t) {
        List<String> candidates = scan.candidates(s, g, order, t);
        Optional<Instant> blocked = FailoverGate.check(s, g, failover, t);
        if (blocked.isPresent()) {
            return t.failed(candidates, blocked.get());
        }
        if (candidates.isEmpty()) {
            return t.none(Verdict.NONE_ELIGIBLE, "eligibility", "no eligible node in " + list);
        }
        boolean self = failover && g.lastOwner().equals(Optional.of(candidates.getFirst()));
        return t.choose(Verdict.PLACE, candidates, rule,
                self ? "chosen (the last owner itself: no other node is eligible)" : "chosen (" + how + ")");
    }

    private Placement moveTo(PlacementSnapshot s, GroupView g, String target, Trace t) {
        notePlanned(g, t);
        if (!s.nodes().contains(target)) {
            return t.invalidTarget(target, "move-target", "cannot take the group (not a configured node; nodes: " + s.nodes() + ")");
        }
        Optional<Reason> excluded = scan.exclusion(s, g, target, false);
        if (excluded.isPresent()) {
            return t.invalidTarget(target, excluded.get().rule(), "cannot take the group (" + excluded.get().text() + ")");
        }
        if (g.currentOwner().equals(Optional.of(target))) {
            return t.choose(Verdict.STAY, List.of(target), "move-target", "stays (the move's target is already the owner)");
        }
        return t.choose(Verdict.PLACE, List.of(target), "move-target", "chosen (the move's target)");
    }

    private Placement moveToBestPossible(PlacementSnapshot s, GroupView g, List<String> list, Trace t) {
        notePlanned(g, t);
        boolean preferred = !g.preferredOwners().isEmpty();
        List<String> pool = preferred ? g.preferredOwners() : list;
        Optional<String> owner = g.currentOwner();
        List<String> order = new ArrayList<>(pool);
        owner.filter(order::remove).ifPresent(o -> t.note("best-possible", o, "skipped (the current owner: a move leaves it)"));
        List<String> candidates = scan.candidates(s, g, order, t);
        String among = preferred ? "among the preferred owners " + pool : "of " + list;
        if (!candidates.isEmpty()) {
            return t.choose(Verdict.PLACE, candidates, "best-possible", "chosen (the most preferred eligible node " + among
                    + (owner.isPresent() ? " other than the current owner)" : ")"));
        }
        if (owner.isPresent() && scan.exclusion(s, g, owner.get(), false).isEmpty()) {
            return t.choose(Verdict.STAY, List.of(owner.get()), "best-possible", "stays (no other eligible node " + among + ")");
        }
        return t.none(Verdict.NONE_ELIGIBLE, "best-possible", "no eligible node to move group " + g.name() + " to " + among);
    }

    private static void notePlanned(GroupView g, Trace t) {
        t.note("planned-move", "a planned move: never counts toward the failover threshold"
                + (g.failed() ? "; an operator's move overrides the Failed phase (since " + g.failedSince().orElseThrow() + ")" : ""));
    }
}
