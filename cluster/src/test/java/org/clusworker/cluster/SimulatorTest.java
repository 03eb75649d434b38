package org.clusworker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clusworker.cluster.placement.FailoverPolicy;
import org.clusworker.cluster.placement.GroupView;
import org.clusworker.cluster.placement.PlacementRequest;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.Placer;
import org.clusworker.cluster.placement.ResourceView;
import org.clusworker.cluster.placement.Verdict;
import org.junit.jupiter.api.Test;

/** {@code cluster simulate}: the placement function on a snapshot with nodes down or paused, or resources failing. */
class SimulatorTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<String> NODES = List.of("a", "b", "c");
    private final Simulator simulator = new Simulator(Placer.windows());

    private static GroupView group(String name, String owner, String... preferred) {
        GroupView g = GroupView.of(name, FailoverPolicy.defaults(3), ResourceView.anyNode(name + "-app")).withPreferredOwners(preferred);
        return owner == null ? g : g.ownedBy(owner);
    }

    private static PlacementSnapshot live(GroupView... groups) {
        return new PlacementSnapshot(NODES, Set.of("a", "b", "c"), List.of(groups), NOW);
    }

    @Test
    void nothingChanges_everyOwnedGroupStays() {
        List<Simulator.Outcome> out = simulator.run(live(group("web", "a"), group("db", "b")), Map.of(), Simulator.Changes.none());
        assertThat(out).extracting(Simulator.Outcome::summary).containsExactly("stays on a", "stays on b");
        assertThat(out).allMatch(o -> o.placement().isEmpty() && o.ownerAfter().equals(o.ownerBefore()));
    }

    @Test
    void ownerDown_itsGroupsFailOverToTheNextNode_othersStay() {
        List<Simulator.Outcome> out = simulator.run(live(group("web", "a"), group("db", "b")), Map.of(),
                new Simulator.Changes(Set.of("a"), Set.of(), Map.of()));
        assertThat(out.get(0).ownerAfter()).contains("b");
        assertThat(out.get(0).placement().orElseThrow().verdict()).isEqualTo(Verdict.PLACE);
        assertThat(out.get(0).summary()).startsWith("-> b (PLACE: its owner a is down; decided by rule failover-order: b: chosen (next after the last owner a");
        assertThat(out.get(1).summary()).isEqualTo("stays on b");
    }

    @Test
    void nextNodePaused_theFailoverSkipsIt_aPausedOwnerKeepsItsGroup() {
        List<Simulator.Outcome> out = simulator.run(live(group("web", "a"), group("db", "b")), Map.of(),
                new Simulator.Changes(Set.of("a"), Set.of("b"), Map.of()));
        assertThat(out.get(0).ownerAfter()).contains("c");
        assertThat(out.get(0).placement().orElseThrow().lines()).anyMatch(l -> l.contains("b") && l.contains("not up"));
        assertThat(out.get(1).summary()).isEqualTo("stays on b (a paused node keeps what it has)");
    }

    @Test
    void resourceFails_theGroupLeavesItsOwner_evenThoughTheOwnerStaysUp() {
        List<Simulator.Outcome> out = simulator.run(live(group("web", "a")), Map.of(),
                new Simulator.Changes(Set.of(), Set.of(), Map.of("web", "web-app")));
        assertThat(out.getFirst().ownerAfter()).contains("b");
        assertThat(out.getFirst().summary()).contains("resource web-app fails on a");
    }

    @Test
    void unownedGroups_areStartedAsTheNodesWould_laterOnesSeeTheEarlierPlacements() {
        List<Simulator.Outcome> out = simulator.run(live(group("web", null, "c"), group("db", null)),
                Map.of("web", PlacementRequest.start(), "db", PlacementRequest.start()), Simulator.Changes.none());
        assertThat(out).extracting(o -> o.ownerAfter().orElse("-")).containsExactly("c", "a");
        assertThat(out.getFirst().ownerBefore()).isEmpty();
    }

    @Test
    void ownerDown_softAntiAffinity_eachGroupSeesWhereTheOnesBeforeItWent_inPriorityOrder() {
        org.clusworker.cluster.placement.GroupPolicy tier = org.clusworker.cluster.placement.GroupPolicy.DEFAULTS
                .withAntiAffinity(org.clusworker.cluster.placement.AntiAffinity.soft("tier"));
        GroupView g1 = group("g1", "b", "a").withGroupPolicy(tier.withPriority(org.clusworker.cluster.placement.Priority.LOW));
        GroupView g2 = group("g2", "b", "a").withGroupPolicy(tier.withPriority(org.clusworker.cluster.placement.Priority.HIGH));
        GroupView g3 = group("g3", "b").withGroupPolicy(tier.withPriority(org.clusworker.cluster.placement.Priority.HIGH));
        List<Simulator.Outcome> out = simulator.run(live(g1, g2, g3), Map.of(), new Simulator.Changes(Set.of("b"), Set.of(), Map.of()));
        // g2 first (high, configured first): c, the next after b; g3 (high): c hosts a 'tier' group, so a;
        // g1 (low): both host one, so the failover order decides: c
        assertThat(out).extracting(o -> o.group() + "->" + o.ownerAfter().orElse("-")).containsExactly("g1->c", "g2->c", "g3->a");
    }

    @Test
    void everyNodeDown_theGroupStaysOffline_withTheReason() {
        List<Simulator.Outcome> out = simulator.run(live(group("web", "a")), Map.of(),
                new Simulator.Changes(Set.of("a", "b", "c"), Set.of(), Map.of()));
        assertThat(out.getFirst().ownerAfter()).isEmpty();
        assertThat(out.getFirst().summary()).startsWith("stays offline (NONE_ELIGIBLE: its owner a is down");
    }

    @Test
    void badInput_namesWhatIsWrong() {
        PlacementSnapshot s = live(group("web", "a"));
        assertThatThrownBy(() -> simulator.run(s, Map.of(), new Simulator.Changes(Set.of("x"), Set.of(), Map.of())))
                .hasMessage("--down x: no such node (nodes: [a, b, c])");
        assertThatThrownBy(() -> simulator.run(s, Map.of(), new Simulator.Changes(Set.of(), Set.of("y"), Map.of())))
                .hasMessage("--pause y: no such node (nodes: [a, b, c])");
        assertThatThrownBy(() -> simulator.run(s, Map.of(), new Simulator.Changes(Set.of(), Set.of(), Map.of("web", "nope"))))
                .hasMessage("--fail web/nope: group web has no resource nope (its resources: [web-app])");
    }
}
