package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.cluster.placement.Fixtures.PLACER;
import static org.clusworker.cluster.placement.Fixtures.TWO_IN_6H;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.snapshot;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may take a group: up, a possible owner of every resource, and the rules added after them (CLUSTER.md §1.3). */
class PlacementEligibilityTest {

    private static final List<String> ABCD = nodes("A", "B", "C", "D");

    @Test
    void possibleOwners_severalResources_theirIntersection() {
        GroupView g = GroupView.of("web", TWO_IN_6H, ResourceView.on("db", "A", "B", "C"), ResourceView.on("vip", "B", "C", "D"),
                ResourceView.anyNode("app"));
        PlacementSnapshot s = snapshot(ABCD, up("A", "B", "C", "D"), g);

        assertThat(s.possibleOwners(g)).containsExactly("B", "C");
        Placement p = PLACER.place(s, "web", PlacementRequest.start());
        assertThat(p.candidates()).containsExactly("B", "C");
        assertThat(p.lines()).contains("A: skipped (not a possible owner of resource vip)",
                "D: skipped (not a possible owner of resource db)");
    }

    @Test
    void possibleOwners_resourceWithoutThem_everyNode() {
        GroupView g = GroupView.of("web", TWO_IN_6H, ResourceView.anyNode("app"), ResourceView.anyNode("vip"));
        assertThat(snapshot(ABCD, up("A"), g).possibleOwners(g)).containsExactly("A", "B", "C", "D");
    }

    @Test
    void place_noPossibleOwnerInCommon_noneEligibleNamingTheResources() {
        GroupView g = GroupView.of("web", TWO_IN_6H, ResourceView.on("a", "A", "B"), ResourceView.on("b", "C"),
                ResourceView.anyNode("app")).lastOwnedBy("A");
        Placement p = PLACER.place(snapshot(ABCD, up("A", "B", "C", "D"), g), "web", PlacementRequest.failover());

        assertThat(p.verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(p.decidedBy().toString()).isEqualTo("no node may own group web: resources a, b have no possible owner in common");
        assertThat(p.decidedBy().rule()).isEqualTo("possible-owners");
    }

    @Test
    void scan_nodeDownAndNotAPossibleOwner_oneLineWithBothReasons() {
        GroupView g = GroupView.of("web", TWO_IN_6H, ResourceView.on("db", "A", "B")).lastOwnedBy("B");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("A"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("A");
        assertThat(p.lines()).contains("C: skipped (not up; not a possible owner of resource db)");
    }

    @Test
    void scan_notAPossibleOwnerOfTwoResources_namesBoth() {
        GroupView g = GroupView.of("web", TWO_IN_6H, ResourceView.on("db", "A", "B"), ResourceView.on("vip", "A", "B"));
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("A", "B", "C"), g), "web", PlacementRequest.moveTo("C"));
        assertThat(p.decidedBy().toString()).isEqualTo("C: cannot take the group (not a possible owner of resources db, vip)");
    }

    @Test
    void resourceView_emptyPossibleOwners_throwsSayingHowToMeanEveryNode() {
        assertThatThrownBy(() -> new ResourceView("db", Optional.of(Set.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource db: possibleOwners: [] (expected: at least one node; leave it unset for every node)");
    }

    @Test
    void hardRule_addedAfterWindowsRules_excludesWithItsReason() {
        Placer placer = new Placer(withRule(node -> node.equals("B"), "paused", false));
        GroupView g = group("web", 3).lastOwnedBy("A");
        Placement p = placer.place(snapshot(nodes("A", "B", "C"), up("B", "C"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("C");
        assertThat(p.reasons()).contains(Reason.about("paused", "B", "skipped (paused)"));
    }

    @Test
    void softRule_excludesANode_defersItBehindTheOthers() {
        Placer placer = new Placer(withRule(node -> node.equals("B"), "anti-affinity", true));
        GroupView g = group("web", 3).lastOwnedBy("A");
        Placement p = placer.place(snapshot(nodes("A", "B", "C"), up("B", "C"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("C");
        assertThat(p.candidates()).containsExactly("C", "B");
        assertThat(p.lines()).contains("B: deferred (anti-affinity)");
    }

    @Test
    void softRule_excludesEveryNode_ignoredSoTheGroupIsStillPlaced() {
        Placer placer = new Placer(withRule(node -> true, "anti-affinity", true));
        GroupView g = group("web", 3).lastOwnedBy("A");
        Placement p = placer.place(snapshot(nodes("A", "B", "C"), up("B", "C"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("B");
        assertThat(p.candidates()).containsExactly("B", "C");
    }

    /** Windows' rules, then a rule {@code id} that excludes the nodes {@code excludes} accepts. */
    private static List<CandidateRule> withRule(java.util.function.Predicate<String> excludes, String id, boolean soft) {
        List<CandidateRule> rules = new ArrayList<>(StandardRule.windows());
        rules.add(new CandidateRule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public Optional<String> exclude(PlacementSnapshot snapshot, GroupView group, String node) {
                return excludes.test(node) ? Optional.of(id) : Optional.empty();
            }

            @Override
            public boolean soft() {
                return soft;
            }
        });
        return rules;
    }
}
