package org.clusworker.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.clusworker.cluster.placement.GroupView;
import org.clusworker.cluster.placement.Placement;
import org.clusworker.cluster.placement.PlacementRequest;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.Placer;

/**
 * What the cluster would do if some nodes went down or were paused, or some groups' resources failed
 * ({@code clusworker cluster simulate}): the same placement function the nodes run, on a snapshot with
 * those changes. Pure; changes nothing.
 */
public final class Simulator {

    private final Placer placer;

    public Simulator(Placer placer) {
        this.placer = Objects.requireNonNull(placer, "placer");
    }

    /**
     * The changes to simulate.
     *
     * @param down   nodes that fail: their groups fail over
     * @param paused nodes that are paused: they take nothing new, keep what they own
     * @param failed groups whose resource fails past its restart threshold on the owner, by group: the resource
     */
    public record Changes(Set<String> down, Set<String> paused, Map<String, String> failed) {
        public Changes {
            down = Set.copyOf(down);
            paused = Set.copyOf(paused);
            failed = Map.copyOf(failed);
        }

        public static Changes none() {
            return new Changes(Set.of(), Set.of(), Map.of());
        }
    }

    /**
     * One group's outcome.
     *
     * @param placement the placement that decided it; empty when nothing would change for it
     * @param summary   one line: where it would be and why
     */
    public record Outcome(String group, Optional<String> ownerBefore, Optional<String> ownerAfter, Optional<Placement> placement,
                          String summary) {
    }

    /**
     * @param live     the cluster as it is (its {@code up} nodes: those that may take groups)
     * @param requests for each group without an owner, what placing it means now (as the nodes read its records)
     */
    public List<Outcome> run(PlacementSnapshot live, Map<String, PlacementRequest> requests, Changes changes) {
        for (String n : changes.down()) {
            requireNode(live, n, "--down");
        }
        for (String n : changes.paused()) {
            requireNode(live, n, "--pause");
        }
        for (String g : changes.failed().keySet()) {
            GroupView view = live.group(g);
            if (view.resources().stream().noneMatch(r -> r.name().equals(changes.failed().get(g)))) {
                throw new IllegalArgumentException("--fail " + g + "/" + changes.failed().get(g) + ": group " + g + " has no resource "
                        + changes.failed().get(g) + " (its resources: " + view.resources().stream().map(r -> r.name()).toList() + ")");
            }
        }
        String[] gone = java.util.stream.Stream.concat(changes.down().stream(), changes.paused().stream()).toArray(String[]::new);
        PlacementSnapshot s = live.withDown(gone);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (String name : placer.startOrder(live)) {          // high priority first, as the nodes place them
            GroupView g = live.group(name);
            Optional<String> owner = g.currentOwner();
            boolean lost = owner.isPresent() && changes.down().contains(owner.get());
            boolean failed = owner.isPresent() && changes.failed().containsKey(g.name());
            Placement p;
            if (lost || failed) {
                // its owner is gone, or gives it up: a failover from it (a failed-over group may come back to it last)
                p = placer.place(s.withGroup(g.lastOwnedBy(owner.get())), g.name(), PlacementRequest.failover());
            } else if (owner.isPresent()) {
                String why = changes.paused().contains(owner.get()) ? " (a paused node keeps what it has)" : "";
                outcomes.put(g.name(), new Outcome(g.name(), owner, owner, Optional.empty(), "stays on " + owner.get() + why));
                continue;
            } else {
                PlacementRequest asked = requests.getOrDefault(g.name(), PlacementRequest.start());
                p = Snapshots.placeUnowned(placer, s, g.name(), asked, g.lastOwner().isEmpty()).placement();
            }
            // the groups placed after it see where it went (anti-affinity), and no longer see it on its old owner
            if (p.chosen().isPresent() && p.verdict().starts()) {
                s = s.withGroup(s.group(g.name()).ownedBy(p.chosen().get()));
            } else if (owner.isPresent()) {
                s = s.withGroup(s.group(g.name()).lastOwnedBy(owner.get()));
            }
            String because = lost ? "its owner " + owner.get() + " is down" : failed ? "resource " + changes.failed().get(g.name())
                    + " fails on " + owner.get() : "it has no owner";
            String where = p.verdict().starts() ? "-> " + p.chosen().orElseThrow()
                    : p.chosen().map(n -> "stays offline, placed on " + n).orElse("stays offline");
            String summary = where + " (" + p.verdict() + ": " + because + "; decided by rule "
                    + p.decidedBy().rule() + ": " + p.decidedBy() + ")";
            outcomes.put(g.name(), new Outcome(g.name(), owner, p.verdict().starts() ? p.chosen() : Optional.empty(), Optional.of(p), summary));
        }
        List<Outcome> inConfiguredOrder = new ArrayList<>();
        for (GroupView g : live.groups()) {
            inConfiguredOrder.add(outcomes.get(g.name()));
        }
        return inConfiguredOrder;
    }

    private static void requireNode(PlacementSnapshot s, String n, String option) {
        if (!s.nodes().contains(n)) {
            throw new IllegalArgumentException(option + " " + n + ": no such node (nodes: " + s.nodes() + ")");
        }
    }
}
