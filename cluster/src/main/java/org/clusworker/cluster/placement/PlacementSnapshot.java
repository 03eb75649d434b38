package org.clusworker.cluster.placement;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every node knows when it decides where groups go: the same snapshot gives the same answer on
 * every node.
 *
 * @param nodes  the configured nodes, in the order used after a group's preferred owners (join order)
 * @param up     the nodes that are members now
 * @param groups the groups, each once
 * @param now    the time of the decision: the only clock placement reads
 * @param upSince per node, since when it has been up (a member, without a break): failback waits for its
 *                preferred node to have been up {@code stableFor}. A node missing here has been up for an
 *                unknown time (failback to it waits only if {@code stableFor} is zero)
 * @param zone   the cluster's local time zone: the hours of a failback window are in it
 */
public record PlacementSnapshot(List<String> nodes, Set<String> up, List<GroupView> groups, Instant now,
                                Map<String, Instant> upSince, ZoneId zone) {

    /** A snapshot without the nodes' up-since times, in the system's time zone. */
    public PlacementSnapshot(List<String> nodes, Set<String> up, List<GroupView> groups, Instant now) {
        this(nodes, up, groups, now, Map.of(), ZoneId.systemDefault());
    }

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
        upSince = java.util.Collections.unmodifiableMap(new TreeMap<>(upSince));
        for (String n : upSince.keySet()) {
            if (!nodes.contains(n)) {
                throw new IllegalArgumentException("upSince: " + n + " is not a configured node (nodes: " + nodes + ")");
            }
        }
        Objects.requireNonNull(zone, "zone");
    }

    /** Since when {@code node} has been up, if it is up and that is known. */
    public Optional<Instant> upSince(String node) {
        return up.contains(node) ? Optional.ofNullable(upSince.get(node)) : Optional.empty();
    }

    /** The same snapshot with {@code node} up since {@code since} (and up, if it was not). */
    public PlacementSnapshot withUpSince(String node, Instant since) {
        Map<String, Instant> all = new TreeMap<>(upSince);
        all.put(node, since);
        Set<String> nowUp = new HashSet<>(up);
        nowUp.add(node);
        return new PlacementSnapshot(nodes, nowUp, groups, now, all, zone);
    }

    /** The same snapshot with these up-since times. */
    public PlacementSnapshot withUpSince(Map<String, Instant> since) {
        return new PlacementSnapshot(nodes, up, groups, now, since, zone);
    }

    /** The same snapshot in the time zone {@code zone}. */
    public PlacementSnapshot inZone(ZoneId zone) {
        return new PlacementSnapshot(nodes, up, groups, now, upSince, zone);
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
        return new PlacementSnapshot(nodes, still, groups, now, upSince, zone);
    }

    /** The same snapshot with {@code g} in place of the group of its name. */
    public PlacementSnapshot withGroup(GroupView g) {
        List<GroupView> all = new ArrayList<>(groups);
        all.replaceAll(old -> old.name().equals(g.name()) ? g : old);
        if (!all.contains(g)) {
            all.add(g);
        }
        return new PlacementSnapshot(nodes, up, all, now, upSince, zone);
    }

    /** The same snapshot at another time. */
    public PlacementSnapshot at(Instant now) {
        return new PlacementSnapshot(nodes, up, groups, now, upSince, zone);
    }
}
