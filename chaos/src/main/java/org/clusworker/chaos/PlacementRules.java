package org.clusworker.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The checker's own reading of the placement rules (CLUSTER.md §1.2-§1.4, §1.7, §1.8), written apart from
 * the cluster layer's placement function: given the snapshot a node logged with an {@code acquire} (its
 * {@code placement} line), which nodes may take the group, in which order, and whether it may be placed at
 * all. {@link #judge} says what is wrong with an acquisition, if anything.
 *
 * <ul>
 *   <li>The node list: the group's preferred owners in order, then every other node in configured order.</li>
 *   <li>Eligible: up (a member, not paused nor draining), a possible owner of every resource, and not hosting
 *       a group that shares an anti-affinity class with it when either of the two is enforced. A node
 *       hosting such a group when neither is enforced is deferred behind every other eligible node.</li>
 *   <li>{@code START}: the node list in order. {@code FAILOVER}: the node list from the one after the
 *       last owner, round to the last owner itself. {@code MOVE N}: N alone. {@code MOVE} (to the best possible
 *       node): the preferred owners (all nodes if none), less the node that owns or just released it; if
 *       none of them may, that node itself if it may; if not, the node list as for a start.</li>
 *   <li>A start or failover (not a move) of a Failed group waits for its retry period; a failover with
 *       {@code threshold} unplanned changes of owner already in the period (counted afresh from when the
 *       group last went Failed) may not happen; a {@code no-auto-start} group is never started nor
 *       failed over automatically.</li>
 * </ul>
 */
final class PlacementRules {

    private PlacementRules() {
    }

    /** The eligible nodes for {@code group}'s logged request, in the order they may take it; empty if none may. */
    static List<String> candidates(JsonNode snapshot, String group) {
        JsonNode g = group(snapshot, group);
        String request = snapshot.path("requests").path(group).asText("");
        List<String> nodes = texts(snapshot.path("nodes"));
        List<String> preferred = texts(g.path("preferredOwners"));
        List<String> list = new ArrayList<>(preferred.stream().filter(nodes::contains).toList());
        nodes.stream().filter(n -> !list.contains(n)).forEach(list::add);
        String current = g.path("currentOwner").isTextual() ? g.path("currentOwner").asText() : null;
        String last = g.path("lastOwner").isTextual() ? g.path("lastOwner").asText() : null;
        List<String> order;
        if (request.equals("START")) {
            order = list;
        } else if (request.equals("FAILOVER")) {
            order = list;
            if (last != null && list.contains(last)) {
                int at = list.indexOf(last);
                order = new ArrayList<>(list.subList(at + 1, list.size()));
                order.addAll(list.subList(0, at + 1));
            }
        } else if (request.startsWith("MOVE ")) {
            String target = request.substring(5);
            return eligible(snapshot, g, target) ? List.of(target) : List.of();
        } else if (request.equals("MOVE")) {
            // the most preferred eligible node other than the owner (a group its owner just released: that owner);
            // the owner itself if no other may take it and it may; else the first eligible node of the list
            String leaving = current != null ? current : g.path("failed").asBoolean(false) ? null : last;
            order = new ArrayList<>(preferred.isEmpty() ? list : preferred);
            order.remove(leaving);
            List<String> best = ordered(snapshot, g, order);
            if (!best.isEmpty()) {
                return best;
            }
            if (leaving != null && eligible(snapshot, g, leaving)) {
                return List.of(leaving);
            }
            if (g.path("priority").asText("").equals("no-auto-start") || gate(snapshot, g, false) != null) {
                return List.of();
            }
            return ordered(snapshot, g, list);
        } else {
            return List.of();
        }
        return ordered(snapshot, g, order);
    }

    /** The eligible nodes of {@code order}, in order, those that host an anti-affined group (neither enforced) last. */
    private static List<String> ordered(JsonNode snapshot, JsonNode g, List<String> order) {
        List<String> first = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (String n : order) {
            if (eligible(snapshot, g, n)) {
                (hostsAntiAffined(snapshot, g, n, false) ? deferred : first).add(n);
            }
        }
        first.addAll(deferred);
        return first;
    }

    /**
     * What is wrong with {@code node} acquiring {@code group} as the {@code index}-th candidate on this
     * snapshot; null if nothing is.
     */
    static String judge(JsonNode snapshot, String group, String node, int index) {
        JsonNode g = group(snapshot, group);
        if (g.isMissingNode()) {
            return "the snapshot has no group " + group;
        }
        String request = snapshot.path("requests").path(group).asText("");
        if (request.isEmpty()) {
            return "the snapshot has no request for " + group;
        }
        boolean automatic = request.equals("START") || request.equals("FAILOVER");
        if (automatic) {
            if (g.path("priority").asText("").equals("no-auto-start")) {
                return "a " + request + " of a no-auto-start group (only an operator's move starts it)";
            }
            String blocked = gate(snapshot, g, request.equals("FAILOVER"));
            if (blocked != null) {
                return blocked;
            }
        }
        if (request.equals("START") && g.path("currentOwner").isTextual()) {
            return "a START of a group owned by " + g.path("currentOwner").asText();
        }
        List<String> candidates = candidates(snapshot, group);
        if (!candidates.contains(node)) {
            return "node " + node + " is not eligible for " + request + " (eligible, in order: " + candidates + ")";
        }
        if (candidates.indexOf(node) != index) {
            return "node " + node + " took it as candidate " + index + ", but by the rules it is candidate " + candidates.indexOf(node)
                    + " of " + candidates;
        }
        return null;
    }

    /** The request a placement line's snapshot names for {@code group} ({@code ?} if it cannot be read). */
    static String request(String snapshotJson, String group) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(snapshotJson).path("requests").path(group).asText("?");
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /**
     * Where the snapshot's fixed part differs from the configuration (its nodes, the possible owners of the group's
     * resources): a decision taken on other rules than the configuration's. Null if it does not.
     */
    static String disagrees(HistoryChecker.Spec spec, JsonNode snapshot, String group) {
        if (!spec.nodes().isEmpty() && !texts(snapshot.path("nodes")).equals(spec.nodes())) {
            return "the snapshot's nodes " + texts(snapshot.path("nodes")) + " are not the configuration's " + spec.nodes();
        }
        for (JsonNode r : group(snapshot, group).path("resources")) {
            Set<String> configured = spec.possibleOwners().get(r.path("name").asText());
            Set<String> logged = r.path("possibleOwners").isArray() ? new java.util.TreeSet<>(texts(r.path("possibleOwners"))) : null;
            boolean anywhere = configured == null || configured.containsAll(spec.nodes()) && !spec.nodes().isEmpty();
            if (anywhere ? logged != null && !logged.containsAll(spec.nodes())
                    : logged == null || !logged.equals(new java.util.TreeSet<>(configured))) {
                return "the snapshot's possible owners of " + r.path("name").asText() + " (" + (logged == null ? "any node" : logged)
                        + ") are not the configuration's (" + (configured == null ? "any node" : configured) + ")";
            }
        }
        return null;
    }

    /** Why a start or failover must not happen now (Failed and waiting, or past the failover threshold); null if it may. */
    private static String gate(JsonNode snapshot, JsonNode g, boolean failover) {
        Instant now = Instant.parse(snapshot.path("now").asText());
        Instant failedSince = g.path("failedSince").isTextual() ? Instant.parse(g.path("failedSince").asText()) : null;
        if (g.path("failed").asBoolean(false)) {
            Instant retryAt = failedSince.plus(Duration.parse(g.path("retryPeriodOnFailure").asText()));
            return now.isBefore(retryAt) ? "Failed since " + failedSince + ", retry not before " + retryAt : null;
        }
        if (!failover) {
            return null;
        }
        Instant from = now.minus(Duration.parse(g.path("failoverPeriod").asText()));
        if (failedSince != null && failedSince.isAfter(from)) {
            from = failedSince;
        }
        int threshold = g.path("failoverThreshold").asInt();
        int count = 0;
        for (JsonNode c : g.path("history")) {
            if (!c.path("planned").asBoolean() && c.path("from").isTextual() && Instant.parse(c.path("time").asText()).isAfter(from)) {
                count++;
            }
        }
        return count >= threshold ? "failover threshold " + threshold + " reached (" + count + " unplanned changes of owner after " + from + ")"
                : null;
    }

    private static boolean eligible(JsonNode snapshot, JsonNode g, String node) {
        if (!texts(snapshot.path("up")).contains(node) || !texts(snapshot.path("nodes")).contains(node)) {
            return false;
        }
        for (JsonNode r : g.path("resources")) {
            if (r.path("possibleOwners").isArray() && !texts(r.path("possibleOwners")).contains(node)) {
                return false;
            }
        }
        return !hostsAntiAffined(snapshot, g, node, true);
    }

    /** Whether {@code node} owns another group sharing an anti-affinity class with {@code g}, enforced by either of them (or by neither). */
    private static boolean hostsAntiAffined(JsonNode snapshot, JsonNode g, String node, boolean enforced) {
        Set<String> mine = new LinkedHashSet<>(texts(g.path("antiAffinityClasses")));
        if (mine.isEmpty()) {
            return false;
        }
        for (JsonNode other : snapshot.path("groups")) {
            if (other.path("name").asText().equals(g.path("name").asText()) || !node.equals(other.path("currentOwner").asText(null))) {
                continue;
            }
            boolean shares = texts(other.path("antiAffinityClasses")).stream().anyMatch(mine::contains);
            boolean either = g.path("antiAffinityEnforced").asBoolean() || other.path("antiAffinityEnforced").asBoolean();
            if (shares && either == enforced) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode group(JsonNode snapshot, String name) {
        for (JsonNode g : snapshot.path("groups")) {
            if (g.path("name").asText().equals(name)) {
                return g;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static List<String> texts(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(v -> l.add(v.asText()));
        return l;
    }
}
