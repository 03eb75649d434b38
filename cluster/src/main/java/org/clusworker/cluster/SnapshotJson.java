package org.clusworker.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.clusworker.cluster.placement.AntiAffinity;
import org.clusworker.cluster.placement.FailbackPolicy;
import org.clusworker.cluster.placement.FailbackWindow;
import org.clusworker.cluster.placement.FailoverPolicy;
import org.clusworker.cluster.placement.FailoverRecord;
import org.clusworker.cluster.placement.GroupPolicy;
import org.clusworker.cluster.placement.GroupView;
import org.clusworker.cluster.placement.PlacementRequest;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.Priority;
import org.clusworker.cluster.placement.ResourceView;

/**
 * What the placement function saw, as plain JSON values: written into {@code cluster status --json}
 * (its {@code snapshot} field) and read back by {@code cluster simulate --snapshot FILE}, so that a saved
 * moment can be simulated later, or elsewhere. Times are ISO-8601 instants, durations ISO-8601 durations.
 *
 * @param requests for each group without an owner, what placing it means now: {@code START}, {@code FAILOVER},
 *                 {@code MOVE} (best possible) or {@code MOVE NODE}
 */
public record SnapshotJson(List<String> nodes, List<String> up, Map<String, String> upSince, String zone, String now,
                           List<Group> groups, Map<String, String> requests) {

    /** One group. {@code failback.window}: e.g. {@code "22-6"}, or null (any time). */
    public record Group(String name, List<String> preferredOwners, List<Resource> resources, String currentOwner, String lastOwner,
                        int failoverThreshold, String failoverPeriod, String retryPeriodOnFailure, List<Change> history, boolean failed,
                        String failedSince, boolean failbackAllowed, String failbackStableFor, String failbackWindow,
                        List<String> antiAffinityClasses, boolean antiAffinityEnforced, String priority) {
    }

    /** One resource; {@code possibleOwners} null: every node. */
    public record Resource(String name, List<String> possibleOwners) {
    }

    /** One change of owner. */
    public record Change(long epoch, String from, String to, String time, boolean planned) {
    }

    public static SnapshotJson of(PlacementSnapshot s, Map<String, PlacementRequest> requests) {
        Map<String, String> since = new TreeMap<>();
        s.upSince().forEach((n, t) -> since.put(n, t.toString()));
        List<Group> groups = s.groups().stream().map(SnapshotJson::group).toList();
        Map<String, String> asked = new LinkedHashMap<>();
        requests.forEach((g, r) -> asked.put(g, switch (r) {
            case PlacementRequest.Start x -> "START";
            case PlacementRequest.Failover x -> "FAILOVER";
            case PlacementRequest.Move m -> m.target().map(t -> "MOVE " + t).orElse("MOVE");
        }));
        return new SnapshotJson(s.nodes(), List.copyOf(new TreeSet<>(s.up())), since, s.zone().getId(), s.now().toString(), groups, asked);
    }

    private static Group group(GroupView g) {
        GroupPolicy p = g.groupPolicy();
        return new Group(g.name(), g.preferredOwners(),
                g.resources().stream().map(r -> new Resource(r.name(), r.possibleOwners().map(o -> List.copyOf(new TreeSet<>(o))).orElse(null)))
                        .toList(),
                g.currentOwner().orElse(null), g.lastOwner().orElse(null), g.policy().threshold(), g.policy().period().toString(),
                g.policy().retryPeriodOnFailure().toString(),
                g.history().stream().map(f -> new Change(f.epoch(), f.from().orElse(null), f.to(), f.time().toString(), f.planned())).toList(),
                g.failed(), g.failedSince().map(Instant::toString).orElse(null), p.failback().allowed(), p.failback().stableFor().toString(),
                p.failback().window().map(w -> w.start() + "-" + w.end()).orElse(null), p.antiAffinity().classes(), p.antiAffinity().enforced(),
                p.priority().text());
    }

    /** The snapshot again. @throws IllegalArgumentException naming the field, if a value is not what {@link #of} writes */
    public PlacementSnapshot toSnapshot() {
        Map<String, Instant> since = new TreeMap<>();
        (upSince == null ? Map.<String, String>of() : upSince).forEach((n, t) -> since.put(n, instant("upSince." + n, t)));
        List<GroupView> views = required("groups", groups).stream().map(SnapshotJson::view).toList();
        return new PlacementSnapshot(required("nodes", nodes), Set.copyOf(required("up", up)), views, instant("now", now), since,
                zone == null ? ZoneId.systemDefault() : ZoneId.of(zone));
    }

    /** The requests again, by group. */
    public Map<String, PlacementRequest> toRequests() {
        Map<String, PlacementRequest> all = new LinkedHashMap<>();
        (requests == null ? Map.<String, String>of() : requests).forEach((g, r) -> all.put(g, switch (r) {
            case "START" -> PlacementRequest.start();
            case "FAILOVER" -> PlacementRequest.failover();
            case "MOVE" -> PlacementRequest.moveToBestPossible();
            default -> {
                if (!r.startsWith("MOVE ")) {
                    throw new IllegalArgumentException("requests." + g + ": '" + r + "' (expected: START, FAILOVER, MOVE or MOVE NODE)");
                }
                yield PlacementRequest.moveTo(r.substring(5));
            }
        }));
        return all;
    }

    private static GroupView view(Group g) {
        String at = "groups[" + g.name() + "]";
        List<ResourceView> resources = required(at + ".resources", g.resources()).stream()
                .map(r -> new ResourceView(r.name(), Optional.ofNullable(r.possibleOwners()).map(Set::copyOf))).toList();
        FailoverPolicy policy = new FailoverPolicy(g.failoverThreshold(), duration(at + ".failoverPeriod", g.failoverPeriod()),
                duration(at + ".retryPeriodOnFailure", g.retryPeriodOnFailure()));
        List<FailoverRecord> history = (g.history() == null ? List.<Change>of() : g.history()).stream()
                .map(c -> new FailoverRecord(c.epoch(), Optional.ofNullable(c.from()), c.to(), instant(at + ".history.time", c.time()), c.planned()))
                .toList();
        FailbackPolicy failback = new FailbackPolicy(g.failbackAllowed(),
                g.failbackStableFor() == null ? Duration.ZERO : duration(at + ".failbackStableFor", g.failbackStableFor()),
                g.failbackWindow() == null ? Optional.empty() : Optional.of(FailbackWindow.parse(g.failbackWindow()).orElseThrow(() ->
                        new IllegalArgumentException(at + ".failbackWindow: '" + g.failbackWindow() + "' (expected: " + FailbackWindow.EXPECTED + ")"))));
        AntiAffinity apart = new AntiAffinity(g.antiAffinityClasses() == null ? List.of() : g.antiAffinityClasses(), g.antiAffinityEnforced());
        Priority priority = g.priority() == null ? Priority.DEFAULT : Priority.of(g.priority()).orElseThrow(() ->
                new IllegalArgumentException(at + ".priority: '" + g.priority() + "' (expected: high, medium, low or no-auto-start)"));
        return new GroupView(g.name(), g.preferredOwners() == null ? List.of() : g.preferredOwners(), resources,
                Optional.ofNullable(g.currentOwner()), Optional.ofNullable(g.lastOwner()), policy, history, g.failed(),
                Optional.ofNullable(g.failedSince()).map(t -> instant(at + ".failedSince", t)), new GroupPolicy(failback, apart, priority));
    }

    private static <T> T required(String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": missing");
        }
        return value;
    }

    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(required(field, text));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' (expected an ISO-8601 instant, e.g. 2026-12-04T05:00:00Z)");
        }
    }

    private static Duration duration(String field, String text) {
        try {
            return Duration.parse(required(field, text));
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' (expected an ISO-8601 duration, e.g. PT6H)");
        }
    }
}
