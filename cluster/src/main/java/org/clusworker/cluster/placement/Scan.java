package org.clusworker.cluster.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Applies the candidate rules, in order, to the nodes of a scan, and writes why each left node left. */
final class Scan {

    private final List<CandidateRule> rules;

    Scan(List<CandidateRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * The eligible nodes of {@code order}, in order, those a soft rule defers behind the rest. Writes one
     * line per node a rule excluded or deferred.
     */
    List<String> candidates(PlacementSnapshot s, GroupView g, List<String> order, Trace t) {
        List<String> first = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (String node : order) {
            Optional<Reason> hard = exclusion(s, g, node, false);
            Optional<Reason> soft = hard.isPresent() ? Optional.empty() : exclusion(s, g, node, true);
            if (hard.isPresent()) {
                t.note(hard.get().rule(), node, "skipped (" + hard.get().text() + ")");
            } else if (soft.isPresent()) {
                t.note(soft.get().rule(), node, "deferred (" + soft.get().text() + ")");
                deferred.add(node);
            } else {
                first.add(node);
            }
        }
        first.addAll(deferred);
        return first;
    }

    /** Why the hard (or the soft) rules exclude {@code node}: each such rule's reason, joined, under the first one's id. */
    Optional<Reason> exclusion(PlacementSnapshot s, GroupView g, String node, boolean soft) {
        return exclusion(s, g, node, soft, r -> true);
    }

    /** As {@link #exclusion(PlacementSnapshot, GroupView, String, boolean)}, with only the rules {@code which} accepts. */
    Optional<Reason> exclusion(PlacementSnapshot s, GroupView g, String node, boolean soft, Predicate<CandidateRule> which) {
        String rule = null;
        List<String> why = new ArrayList<>();
        for (CandidateRule r : rules) {
            if (r.soft() != soft || !which.test(r)) {
                continue;
            }
            Optional<String> excluded = r.exclude(s, g, node);
            if (excluded.isPresent()) {
                rule = rule == null ? r.id() : rule;
                why.add(excluded.get());
            }
        }
        return rule == null ? Optional.empty() : Optional.of(Reason.about(rule, node, String.join("; ", why)));
    }
}
