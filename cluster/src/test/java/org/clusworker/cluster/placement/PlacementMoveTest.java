package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.cluster.placement.Fixtures.PLACER;
import static org.clusworker.cluster.placement.Fixtures.TWO_IN_6H;
import static org.clusworker.cluster.placement.Fixtures.ago;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.hours;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.snapshot;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Planned moves, to a target or to the best possible node (CLUSTER.md §1.2, §1.6). */
class PlacementMoveTest {

    private static final List<String> ABC = nodes("A", "B", "C");

    @Test
    void moveTo_eligibleTarget_placesItThere() {
        GroupView g = group("web", 3).ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "web", PlacementRequest.moveTo("C"));
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("C");
        assertThat(p.candidates()).containsExactly("C");
        assertThat(p.decidedBy().toString()).isEqualTo("C: chosen (the move's target)");
    }

    @Test
    void moveTo_targetDown_invalidTargetNamingWhy() {
        GroupView g = group("web", 3).ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "C"), g), "web", PlacementRequest.moveTo("B"));
        assertThat(p.verdict()).isEqualTo(Verdict.INVALID_TARGET);
        assertThat(p.chosen()).isEmpty();
        assertThat(p.decidedBy().toString()).isEqualTo("B: cannot take the group (not up)");
        assertThat(p.decidedBy().rule()).isEqualTo("up");
    }

    @Test
    void moveTo_targetNotAPossibleOwner_invalidTargetNamingTheResource() {
        GroupView g = GroupView.of("web", TWO_IN_6H, ResourceView.on("db", "A", "C"), ResourceView.anyNode("app")).ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "web", PlacementRequest.moveTo("B"));
        assertThat(p.verdict()).isEqualTo(Verdict.INVALID_TARGET);
        assertThat(p.decidedBy().toString()).isEqualTo("B: cannot take the group (not a possible owner of resource db)");
    }

    @Test
    void moveTo_unknownNode_invalidTargetNamingTheNodes() {
        GroupView g = group("web", 3).ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "web", PlacementRequest.moveTo("Z"));
        assertThat(p.verdict()).isEqualTo(Verdict.INVALID_TARGET);
        assertThat(p.decidedBy().toString()).isEqualTo("Z: cannot take the group (not a configured node; nodes: [A, B, C])");
    }

    @Test
    void moveTo_theCurrentOwner_stays() {
        GroupView g = group("web", 3).ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "B"), g), "web", PlacementRequest.moveTo("A"));
        assertThat(p.verdict()).isEqualTo(Verdict.STAY);
        assertThat(p.chosen()).contains("A");
    }

    @Test
    void moveTo_blankTarget_throws() {
        assertThatThrownBy(() -> PlacementRequest.moveTo(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("move target: ' ' (expected: a non-blank name)");
    }

    @Test
    void moveToBestPossible_preferredOwners_mostPreferredEligibleOneOtherThanTheOwner() {
        GroupView g = group("web", 4).withPreferredOwners("D", "C", "B").ownedBy("A");
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C", "D"), up("A", "B", "C"), g), "web",
                PlacementRequest.moveToBestPossible());
        assertThat(p.chosen()).contains("C");
        assertThat(p.candidates()).containsExactly("C", "B");
        assertThat(p.lines()).contains("D: skipped (not up)",
                "C: chosen (the most preferred eligible node among the preferred owners [D, C, B] other than the current owner)");
    }

    @Test
    void moveToBestPossible_ownerIsTheMostPreferred_goesToTheNextPreferredOwner() {
        GroupView g = group("web", 3).withPreferredOwners("A", "B").ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "web", PlacementRequest.moveToBestPossible());
        assertThat(p.chosen()).contains("B");
        assertThat(p.lines()).contains("A: skipped (the current owner: a move leaves it)");
    }

    /** [B1]: "it will always move to a node in the preferred owners list". */
    @Test
    void moveToBestPossible_noOtherPreferredOwnerEligible_staysRatherThanLeavingThePreferredOwners() {
        GroupView g = group("web", 3).withPreferredOwners("A", "B").ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "C"), g), "web", PlacementRequest.moveToBestPossible());
        assertThat(p.verdict()).isEqualTo(Verdict.STAY);
        assertThat(p.chosen()).contains("A");
        assertThat(p.decidedBy().toString()).isEqualTo("A: stays (no other eligible node among the preferred owners [A, B])");
    }

    @Test
    void moveToBestPossible_noPreferredOwners_firstEligibleNodeOfTheListOtherThanTheOwner() {
        GroupView g = group("web", 3).ownedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "web", PlacementRequest.moveToBestPossible());
        assertThat(p.chosen()).contains("B");
        assertThat(p.candidates()).containsExactly("B", "C");
    }

    @Test
    void moveToBestPossible_offlineGroupAndNoPreferredOwnerUp_noneEligibleSayingSo() {
        GroupView g = group("web", 3).withPreferredOwners("B").lastOwnedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("A", "C"), g), "web", PlacementRequest.moveToBestPossible());
        assertThat(p.verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(p.decidedBy().toString()).isEqualTo("no eligible node to move group web to among the preferred owners [B]");
    }

    @Test
    void move_thresholdReached_notGated() {
        GroupView g = group("web", 3).withPolicy(TWO_IN_6H).ownedBy("A").withHistory(
                FailoverRecord.failover(2, "B", "C", ago(hours(2))), FailoverRecord.failover(3, "C", "A", ago(hours(1))));
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "web", PlacementRequest.moveTo("B"));
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.lines()).contains("a planned move: never counts toward the failover threshold");
    }

    @Test
    void move_failedGroup_overridesTheFailedPhase() {
        GroupView g = group("web", 3).withPolicy(TWO_IN_6H).lastOwnedBy("A").failedSince(ago(hours(0).plusMinutes(10)));
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "web", PlacementRequest.moveToBestPossible());
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("A");
        assertThat(p.lines()).contains("a planned move: never counts toward the failover threshold;"
                + " an operator's move overrides the Failed phase (since 2025-06-01T11:50:00Z)");
    }
}
