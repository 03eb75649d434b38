package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What every node knows when it decides where groups go: the same snapshot gives the same answer on
 * every node.
 *
 * @param nodes  the configured nodes, in the order used after a group's preferred owners (join order)
 * @param up     the nodes that are members now
 * @param groups the groups, each once
 * @param now    the time of the decision: the only clock placement reads
 */
public record PlacementSnapshot(List<String> nodes, Set<String> up, List<GroupView> groups, Instant now) {

    public PlacementSnapshot {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: [] (expected: at least one node)");
        }
        nodes.forEach(n -> Checks.name("node name", n));
        Checks.unique("nodes", nodes);
        up = Set.copyOf(up);
        for (String n : up) {
            if (!nodes.contains(n)) {
                throw new IllegalArgumentException("up: " + n + " is not a configured node (nodes: " + nodes + ")");
            }
        }
        groups = List.copyOf(groups);
        Checks.unique("groups", groups.stream().map(GroupView::name).toList());
        for (GroupView g : groups) {
            requireKnown(nodes, g);
        }
        Objects.requireNonNull(now, "now");
    }

    private static void requireKnown(List<String> nodes, GroupView g) {
        for (String n : g.preferredOwners()) {
            if (!nodes.contains(n)) {
                throw new IllegalArgumentException("group " + g.name() + ": preferred owner " + n
                        + " is not a configured node (nodes: " + nodes + ")");
            }
        }
        for (ResourceView r : g.resources()) {
            for (String n : r.possibleOwners().orElse(Set.of())) {
                if (!nodes.contains(n)) {
                    throw new IllegalArgumentException("group " + g.name() + ": resource " + r.name() + ": possible owner " + n
                            + " is not a configured node (nodes: " + nodes + ")");
                }
            }
        }
    }

    /** The group named {@code name}. */
    public GroupView group(String name) {
        for (GroupView g : groups) {
            if (g.name().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("group " + name + ": unknown (groups: " + groups.stream().map(GroupView::name).toList() + ")");
    }

    /**
     * The group's node list (CLUSTER.md §1.2): its preferred owners in order, then every other node in
     * configured order.
     */
    public List<String> nodeList(GroupView g) {
        Set<String> list = new LinkedHashSet<>(g.preferredOwners());
        list.addAll(nodes);
        return List.copyOf(list);
    }

    /** The nodes that may own the group: possible owners of every one of its resources, in configured order. */
    public List<String> possibleOwners(GroupView g) {
        return nodes.stream().filter(n -> g.resources().stream().allMatch(r -> r.mayRunOn(n))).toList();
    }

    /** The same snapshot with {@code down} no longer up. */
    public PlacementSnapshot withDown(String... down) {
        Set<String> still = new HashSet<>(up);
        Arrays.asList(down).forEach(still::remove);
        return new PlacementSnapshot(nodes, still, groups, now);
    }

    /** The same snapshot with {@code g} in place of the group of its name. */
    public PlacementSnapshot withGroup(GroupView g) {
        List<GroupView> all = new ArrayList<>(groups);
        all.replaceAll(old -> old.name().equals(g.name()) ? g : old);
        if (!all.contains(g)) {
            all.add(g);
        }
        return new PlacementSnapshot(nodes, up, all, now);
    }

    /** The same snapshot at another time. */
    public PlacementSnapshot at(Instant now) {
        return new PlacementSnapshot(nodes, up, groups, now);
    }
}
