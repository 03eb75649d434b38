package org.clusworker.cluster.placement;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The explanation of one placement as it is being decided; confined to the call that decides it. */
final class Trace {

    private final String group;
    private final PlacementRequest request;
    private final List<Reason> reasons = new ArrayList<>();

    Trace(String group, PlacementRequest request) {
        this.group = group;
        this.request = request;
    }

    void note(String rule, String text) {
        reasons.add(Reason.of(rule, text));
    }

    void note(String rule, String node, String text) {
        reasons.add(Reason.about(rule, node, text));
    }

    /** PLACE or STAY on {@code candidates.getFirst()}, decided by the line {@code rule} writes about it. */
    Placement choose(Verdict verdict, List<String> candidates, String rule, String text) {
        note(rule, candidates.getFirst(), text);
        return new Placement(group, request, verdict, Optional.of(candidates.getFirst()), candidates, reasons, Optional.empty());
    }

    /** A verdict on {@code candidates.getFirst()}, decided by the line {@code rule} writes about the group. */
    Placement decide(Verdict verdict, List<String> candidates, String rule, String text) {
        note(rule, text);
        return new Placement(group, request, verdict, Optional.of(candidates.getFirst()), candidates, reasons, Optional.empty());
    }

    List<Reason> reasons() {
        return List.copyOf(reasons);
    }

    /** A verdict without a node, decided by the line {@code rule} writes about the group. */
    Placement none(Verdict verdict, String rule, String text) {
        note(rule, text);
        return new Placement(group, request, verdict, Optional.empty(), List.of(), reasons, Optional.empty());
    }

    /** An invalid target, decided by the line {@code rule} writes about it. */
    Placement invalidTarget(String target, String rule, String text) {
        note(rule, target, text);
        return new Placement(group, request, Verdict.INVALID_TARGET, Optional.empty(), List.of(), reasons, Optional.empty());
    }

    /** FAILED until {@code retryAt}; the gate has written the deciding line last. */
    Placement failed(List<String> candidates, Instant retryAt) {
        return new Placement(group, request, Verdict.FAILED, Optional.empty(), candidates, reasons, Optional.of(retryAt));
    }
}
