package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.cluster.placement.Fixtures.PLACER;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.snapshot;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The node list and the order START and FAILOVER scan it in (CLUSTER.md §1.2). */
class PlacementFailoverTest {

    private static final List<String> SIX = nodes("A", "B", "C", "D", "E", "F");

    @Test
    void nodeList_preferredOwners_firstThenEveryOtherNodeInConfiguredOrder() {
        GroupView g = group("web", 6).withPreferredOwners("A", "C", "E");
        assertThat(snapshot(SIX, up("A"), g).nodeList(g)).containsExactly("A", "C", "E", "B", "D", "F");
    }

    @Test
    void nodeList_preferredOwnersOutOfConfiguredOrder_keepTheirOwnOrder() {
        GroupView g = group("web", 6).withPreferredOwners("D", "B");
        assertThat(snapshot(SIX, up("A"), g).nodeList(g)).containsExactly("D", "B", "A", "C", "E", "F");
    }

    /** [K1]: list {A, C, E, B, D, F}, group failing on C → E. */
    @Test
    void failover_windowsListACEBDFFailingOnC_goesToE() {
        GroupView g = group("web", 6).withPreferredOwners("A", "C", "E").lastOwnedBy("C");
        Placement p = PLACER.place(snapshot(SIX, up("A", "B", "D", "E", "F"), g), "web", PlacementRequest.failover());

        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("E");
        assertThat(p.candidates()).containsExactly("E", "B", "D", "F", "A");
        assertThat(p.lines()).contains("E: chosen (next after the last owner C in [A, C, E, B, D, F])", "C: skipped (not up)");
    }

    /** [B1]: 4 nodes, preferred {3, 4} → list {3, 4, 1, 2}; a failure on 4 goes to 1, not 3. */
    @Test
    void failover_fourNodesPreferred34FailureOn4_goesTo1Not3() {
        GroupView g = group("web", 4).withPreferredOwners("3", "4").lastOwnedBy("4");
        PlacementSnapshot s = snapshot(nodes("1", "2", "3", "4"), up("1", "2", "3"), g);

        Placement p = PLACER.place(s, "web", PlacementRequest.failover());

        assertThat(s.nodeList(g)).containsExactly("3", "4", "1", "2");
        assertThat(p.chosen()).contains("1");
        assertThat(p.candidates()).containsExactly("1", "2", "3");
    }

    @Test
    void failover_nextNodeDown_skipsItWithItsReason() {
        GroupView g = group("web", 3).lastOwnedBy("A");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("C"), g), "web", PlacementRequest.failover());

        assertThat(p.chosen()).contains("C");
        assertThat(p.lines()).containsExactly(
                "node list [A, B, C] (no preferred owners: the configured order)",
                "B: skipped (not up)",
                "A: skipped (not up)",
                "failover threshold 2 in 6h not reached (0 unplanned failovers after 2025-06-01T06:00:00Z)",
                "C: chosen (next after the last owner A in [A, B, C])");
    }

    @Test
    void failover_lastOwnerLastInList_wrapsToTheFirst() {
        GroupView g = group("web", 3).lastOwnedBy("C");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("A", "B"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("A");
        assertThat(p.candidates()).containsExactly("A", "B");
    }

    @Test
    void failover_preferredOwnerDown_goesToANodeOutsideThePreferredOwners() {
        GroupView g = group("web", 3).withPreferredOwners("A").lastOwnedBy("A");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("B", "C"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("B");
    }

    /** A resource failed past its restart threshold and no other node may take the group: it restarts on its owner. */
    @Test
    void failover_onlyTheFailingOwnerEligible_choosesItLast() {
        GroupView g = group("web", 3).ownedBy("A");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("A"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("A");
        assertThat(p.decidedBy().toString()).isEqualTo("A: chosen (the last owner itself: no other node is eligible)");
    }

    @Test
    void failover_noLastOwner_firstEligibleNode() {
        GroupView g = group("web", 3).withPreferredOwners("C");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("A", "B", "C"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("C");
        assertThat(p.decidedBy().toString()).isEqualTo("C: chosen (first eligible node of [C, A, B] (no last owner))");
    }

    @Test
    void failover_lastOwnerNoLongerConfigured_firstEligibleNodeSayingSo() {
        GroupView g = group("web", 3).lastOwnedBy("Z");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("B", "C"), g), "web", PlacementRequest.failover());
        assertThat(p.chosen()).contains("B");
        assertThat(p.decidedBy().text()).contains("the last owner Z is not a configured node");
    }

    @Test
    void failover_noNodeUp_noneEligible() {
        GroupView g = group("web", 2).lastOwnedBy("A");
        Placement p = PLACER.place(snapshot(nodes("A", "B"), up(), g), "web", PlacementRequest.failover());
        assertThat(p.verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(p.chosen()).isEmpty();
        assertThat(p.candidates()).isEmpty();
        assertThat(p.decidedBy().toString()).isEqualTo("no eligible node in [A, B]");
    }

    @Test
    void start_noOwner_firstEligibleNodeOfTheList() {
        GroupView g = group("web", 3).withPreferredOwners("B");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("A", "C"), g), "web", PlacementRequest.start());

        assertThat(p.chosen()).contains("A");
        assertThat(p.candidates()).containsExactly("A", "C");
        assertThat(p.lines()).containsExactly(
                "node list [B, A, C] (preferred owners [B], then the configured order)",
                "B: skipped (not up)",
                "A: chosen (first eligible node of [B, A, C])");
    }

    @Test
    void start_groupOwned_throwsNamingTheOwner() {
        GroupView g = group("web", 2).ownedBy("A");
        assertThatThrownBy(() -> PLACER.place(snapshot(nodes("A", "B"), up("A", "B"), g), "web", PlacementRequest.start()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: START, but owned by A (expected: START only for a group without owner)");
    }

    @Test
    void place_unknownGroup_throwsNamingItAndTheGroups() {
        PlacementSnapshot s = snapshot(nodes("A"), up("A"), group("web", 1));
        assertThatThrownBy(() -> PLACER.place(s, "db", PlacementRequest.start()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group db: unknown (groups: [web])");
    }

    @Test
    void ifOwnerFails_ownedGroup_theFailoverWithTheOwnerDown() {
        GroupView g = group("web", 4).withPreferredOwners("3", "4").ownedBy("4");
        PlacementSnapshot s = snapshot(nodes("1", "2", "3", "4"), up("1", "2", "3", "4"), g);

        Optional<Placement> p = PLACER.ifOwnerFails(s, "web");

        assertThat(p).isPresent();
        assertThat(p.get().chosen()).contains("1");
        assertThat(p.get().lines().getFirst()).isEqualTo("if its owner 4 failed now");
        assertThat(p.get().lines()).contains("4: skipped (not up)");
    }

    @Test
    void ifOwnerFails_noOwner_empty() {
        GroupView g = group("web", 2).lastOwnedBy("A");
        assertThat(PLACER.ifOwnerFails(snapshot(nodes("A", "B"), up("B"), g), "web")).isEmpty();
    }

    @Test
    void toString_failover_readsAsAMultiLineExplanation() {
        GroupView g = group("web", 3).withPreferredOwners("C").lastOwnedBy("C");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("B"), g), "web", PlacementRequest.failover());

        assertThat(p).hasToString("""
                group web: FAILOVER -> B (PLACE, decided by rule failover-order)
                  node list [C, A, B] (preferred owners [C], then the configured order)
                  A: skipped (not up)
                  C: skipped (not up)
                  failover threshold 2 in 6h not reached (0 unplanned failovers after 2025-06-01T06:00:00Z)
                  B: chosen (next after the last owner C in [C, A, B])
                  candidates: [B]""");
    }
}
