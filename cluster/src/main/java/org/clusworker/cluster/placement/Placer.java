package org.clusworker.cluster.placement;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
 * Eligible: every hard {@link CandidateRule} lets the node through ({@link StandardRule#windows()}: up, a
 * possible owner of every resource, no enforced anti-affinity conflict); a soft rule (anti-affinity) only
 * moves a node behind the others.
 *
 * <p>The policies of CLUSTER.md §1.5, §1.7, §1.8:
 * <ul>
 *   <li>priority: {@link #startOrder} and {@link #placeAll} place groups highest priority first, each on a
 *       snapshot that holds the placements before it; a {@link Priority#NO_AUTO_START} group's START or
 *       FAILOVER is {@link Verdict#HELD}: placed, but left offline until an operator's move.
 *   <li>anti-affinity: {@link StandardRule#ANTI_AFFINITY} (soft) and {@link StandardRule#ENFORCED_ANTI_AFFINITY}
 *       (hard: NONE_ELIGIBLE, "anti-affinity conflict", when only conflicting nodes are left).
 *   <li>failback: {@link #failback} / {@link #explainFailback}: a planned move back to the most preferred
 *       eligible preferred owner, once it has been up {@code stableFor}, inside the failback window.
 * </ul>
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

    /**
     * The snapshot's groups in the order they are placed and started (CLUSTER.md §1.8): high, medium,
     * low, then no-auto-start; groups of one priority in configured (snapshot) order.
     */
    public List<String> startOrder(PlacementSnapshot s) {
        return s.groups().stream().sorted(Comparator.comparing(GroupView::priority)).map(GroupView::name).toList();
    }

    /** {@code groups} in the order they are placed and started: as {@link #startOrder(PlacementSnapshot)}. */
    public List<String> startOrder(PlacementSnapshot s, Collection<String> groups) {
        Set<String> wanted = new HashSet<>(groups);
        groups.forEach(s::group);       // an unknown group is an error
        return startOrder(s).stream().filter(wanted::contains).toList();
    }

    /**
     * Places several groups, in {@link #startOrder(PlacementSnapshot, Collection) priority order}, each on
     * the snapshot with the placements before it applied (the chosen node owns the group), so that
     * anti-affinity sees them. The first line of each explanation gives its place in that order.
     *
     * @param requests per group, what is asked
     * @return one placement per group, in the order they were decided (the order to start them in)
     */
    public List<Placement> placeAll(PlacementSnapshot s, Map<String, PlacementRequest> requests) {
        List<String> order = startOrder(s, requests.keySet());
        List<Placement> out = new ArrayList<>();
        PlacementSnapshot now = s;
        for (int i = 0; i < order.size(); i++) {
            String name = order.get(i);
            Placement p = place(now, name, requests.get(name));
            List<Reason> reasons = new ArrayList<>(p.reasons());
            GroupView g = now.group(name);
            reasons.addFirst(Reason.of("priority", "priority " + g.priority() + ": placed " + (i + 1) + " of " + order.size()
                    + " (order " + order + ")"));
            out.add(new Placement(p.group(), p.request(), p.verdict(), p.chosen(), p.candidates(), reasons, p.retryAt()));
            if (p.verdict().chooses() && !g.currentOwner().equals(p.chosen())) {
                now = now.withGroup(placedOn(g, p.chosen().orElseThrow()));
            }
        }
        return out;
    }

    /**
     * Where the groups of {@code failed} nodes would go if those nodes failed now (for {@code cluster
     * simulate}): the groups they own fail over, in priority order ({@link #placeAll}).
     */
    public List<Placement> ifNodesFail(PlacementSnapshot s, String... failed) {
        Set<String> down = new HashSet<>(Arrays.asList(failed));
        PlacementSnapshot after = s.withDown(failed);
        Map<String, PlacementRequest> requests = new LinkedHashMap<>();
        for (GroupView g : s.groups()) {
            if (g.currentOwner().filter(down::contains).isPresent()) {
                after = after.withGroup(g.lastOwnedBy(g.currentOwner().get()));
                requests.put(g.name(), PlacementRequest.failover());
            }
        }
        return placeAll(after, requests);
    }

    /** {@code g} owned by {@code node}, out of phase Failed (a placement chose it). */
    private static GroupView placedOn(GroupView g, String node) {
        return new GroupView(g.name(), g.preferredOwners(), g.resources(), Optional.of(node), Optional.of(node), g.policy(), g.history(),
                false, g.failedSince(), g.groupPolicy());
    }

    /**
     * The failback of {@code group} if one is due now: a planned move to its most preferred eligible node.
     * See {@link #explainFailback}.
     */
    public Optional<Placement> failback(PlacementSnapshot s, String group) {
        return explainFailback(s, group).move();
    }

    /**
     * Whether {@code group} goes back to its most preferred node now (CLUSTER.md §1.5, §6.5), and why (not).
     * A failback is due when: the group has an owner; failback is allowed; it has preferred owners; a
     * preferred owner more preferred than its owner (any, if the owner is not one) is eligible and hosts no
     * group anti-affined with it (the first such is the target); the target has been up for
     * {@code stableFor} ({@link PlacementSnapshot#upSince}); and the snapshot's {@code now} is inside the
     * failback window, in the snapshot's time zone. The move is planned: it never counts toward the
     * failover threshold.
     */
    public FailbackDecision explainFailback(PlacementSnapshot s, String group) {
        GroupView g = s.group(group);
        Trace t = new Trace(g.name(), PlacementRequest.moveToBestPossible());
        FailbackPolicy f = g.failback();
        if (g.currentOwner().isEmpty()) {
            t.note("failback", "no owner: a group without an owner is started or failed over, not failed back");
            return FailbackDecision.none(g.name(), t.reasons(), Optional.empty());
        }
        String owner = g.currentOwner().get();
        if (!f.allowed()) {
            t.note("failback", "failback not allowed (failback.allow: false, Windows' ClusterGroupPreventFailback, the default)");
            return FailbackDecision.none(g.name(), t.reasons(), Optional.empty());
        }
        List<String> preferred = g.preferredOwners();
        if (preferred.isEmpty()) {
            t.note("failback", "no preferred owners: failback never happens (failback.allow has no effect without them)");
            return FailbackDecision.none(g.name(), t.reasons(), Optional.empty());
        }
        t.note("failback", "failback allowed (" + f + ") to the most preferred eligible node of the preferred owners " + preferred);
        int rank = preferred.indexOf(owner);
        if (rank == 0) {
            t.note("failback", owner, "stays (the owner is the most preferred owner already)");
            return FailbackDecision.none(g.name(), t.reasons(), Optional.empty());
        }
        List<String> better = rank < 0 ? preferred : preferred.subList(0, rank);
        t.note("failback", owner, rank < 0 ? "the owner is not a preferred owner" : "the owner is preferred owner " + (rank + 1) + " of "
                + preferred.size() + ": more preferred are " + better);
        String target = null;
        for (String n : better) {
            Optional<Reason> hard = scan.exclusion(s, g, n, false);
            Optional<Reason> soft = hard.isPresent() ? Optional.empty() : scan.exclusion(s, g, n, true);
            if (hard.isPresent()) {
                t.note(hard.get().rule(), n, "skipped (" + hard.get().text() + ")");
            } else if (soft.isPresent()) {
                t.note(soft.get().rule(), n, "skipped (" + soft.get().text() + "; a failback never moves a group next to an anti-affined one)");
            } else {
                target = n;
                break;
            }
        }
        if (target == null) {
            t.note("failback", owner, "stays (no preferred owner more preferred than it is eligible)");
            return FailbackDecision.none(g.name(), t.reasons(), Optional.empty());
        }
        Optional<FailbackWindow> window = f.window();
        Duration stableFor = f.stableFor();
        if (!stableFor.isZero()) {
            Optional<Instant> since = s.upSince(target);
            if (since.isEmpty()) {
                t.note("failback-stable", target, "up for an unknown time (stableFor " + Checks.format(stableFor) + "): no failback yet");
                return FailbackDecision.none(g.name(), t.reasons(), Optional.empty());
            }
            Instant stableAt = since.get().plus(stableFor);
            if (s.now().isBefore(stableAt)) {
                t.note("failback-stable", target, "up since " + since.get() + ", not yet for stableFor " + Checks.format(stableFor)
                        + ": stable at " + stableAt);
                Instant recheck = window.map(w -> w.nextOpen(stableAt, s.zone())).orElse(stableAt);
                return FailbackDecision.none(g.name(), t.reasons(), Optional.of(recheck));
            }
            t.note("failback-stable", target, "up since " + since.get() + ": for stableFor " + Checks.format(stableFor) + " or more");
        } else {
            t.note("failback-stable", target, "up (stableFor 0s: no wait)");
        }
        String local = s.now().atZone(s.zone()).format(DateTimeFormatter.ofPattern("HH:mm")) + " " + s.zone();
        if (window.isPresent()) {
            FailbackWindow w = window.get();
            if (!w.contains(s.now(), s.zone())) {
                Instant opens = w.nextOpen(s.now(), s.zone());
                t.note("failback-window", "outside the failback window " + w + " (" + local + "): it opens at " + opens);
                return FailbackDecision.none(g.name(), t.reasons(), Optional.of(opens));
            }
            t.note("failback-window", "inside the failback window " + w + " (" + local + ")");
        } else {
            t.note("failback-window", "no failback window: at any time of day");
        }
        t.note("planned-move", "a planned move: never counts toward the failover threshold");
        t.note("failback", target, "chosen (failback from " + owner + " to the most preferred eligible node)");
        Placement move = new Placement(g.name(), PlacementRequest.moveTo(target), Verdict.PLACE, Optional.of(target), List.of(target),
                t.reasons(), Optional.empty());
        return new FailbackDecision(g.name(), Optional.of(move), t.reasons(), Optional.empty());
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
            List<String> conflicts = order.stream().filter(n -> onlyAntiAffinityExcludes(s, g, n)).toList();
            if (!conflicts.isEmpty()) {
                return t.none(Verdict.NONE_ELIGIBLE, "anti-affinity", StandardRule.CONFLICT + ": group " + g.name()
                        + " stays offline (the only nodes otherwise eligible, " + conflicts + ", host groups anti-affined with it, enforced)");
            }
            return t.none(Verdict.NONE_ELIGIBLE, "eligibility", "no eligible node in " + list);
        }
        boolean self = failover && g.lastOwner().equals(Optional.of(candidates.getFirst()));
        String chosen = self ? "chosen (the last owner itself: no other node is eligible)" : "chosen (" + how + ")";
        if (!g.priority().autoStart()) {
            t.note(rule, candidates.getFirst(), chosen);
            return t.decide(Verdict.HELD, candidates, "priority", "no-auto-start: placed on " + candidates.getFirst()
                    + " but stays offline until asked (an operator's move starts it)");
        }
        return t.choose(Verdict.PLACE, candidates, rule, chosen);
    }

    /** Whether the enforced anti-affinity rule excludes {@code node}, and no other hard rule does. */
    private boolean onlyAntiAffinityExcludes(PlacementSnapshot s, GroupView g, String node) {
        return rules.contains(StandardRule.ENFORCED_ANTI_AFFINITY)
                && StandardRule.ENFORCED_ANTI_AFFINITY.exclude(s, g, node).isPresent()
                && scan.exclusion(s, g, node, false, r -> r != StandardRule.ENFORCED_ANTI_AFFINITY).isEmpty();
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
