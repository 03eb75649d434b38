package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.cluster.placement.Fixtures.NOW;
import static org.clusworker.cluster.placement.Fixtures.TWO_IN_6H;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.snapshot;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bad snapshots are refused with a message that names what is wrong. */
class PlacementInputTest {

    @Test
    void snapshot_unknownNodeInPreferredOwners_throwsNamingTheGroupAndTheNode() {
        GroupView g = group("web", 2).withPreferredOwners("A", "X");
        assertThatThrownBy(() -> snapshot(nodes("A", "B"), up("A"), g))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: preferred owner X is not a configured node (nodes: [A, B])");
    }

    @Test
    void snapshot_unknownPossibleOwner_throwsNamingTheGroupResourceAndNode() {
        GroupView g = GroupView.of("web", TWO_IN_6H, ResourceView.on("db", "X"));
        assertThatThrownBy(() -> snapshot(nodes("A", "B"), up("A"), g))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: resource db: possible owner X is not a configured node (nodes: [A, B])");
    }

    @Test
    void snapshot_noNodes_throws() {
        assertThatThrownBy(() -> new PlacementSnapshot(List.of(), up(), List.of(), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes: [] (expected: at least one node)");
    }

    @Test
    void snapshot_nodeTwice_throwsNamingIt() {
        assertThatThrownBy(() -> snapshot(nodes("A", "B", "A"), up()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes: [A, B, A] (expected: each once, but A appears twice)");
    }

    @Test
    void snapshot_upNodeNotConfigured_throwsNamingIt() {
        assertThatThrownBy(() -> snapshot(nodes("A", "B"), up("C")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("up: C is not a configured node (nodes: [A, B])");
    }

    @Test
    void snapshot_groupTwice_throwsNamingIt() {
        assertThatThrownBy(() -> snapshot(nodes("A"), up("A"), group("web", 1), group("web", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("groups: [web, web] (expected: each once, but web appears twice)");
    }

    @Test
    void groupView_preferredOwnerTwice_throwsNamingTheGroup() {
        assertThatThrownBy(() -> group("web", 2).withPreferredOwners("A", "A"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: preferredOwners: [A, A] (expected: each once, but A appears twice)");
    }

    @Test
    void groupView_noResources_throws() {
        assertThatThrownBy(() -> GroupView.of("web", TWO_IN_6H))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: resources: [] (expected: at least one resource)");
    }

    @Test
    void groupView_lastOwnerOtherThanTheCurrentOwner_throws() {
        assertThatThrownBy(() -> new GroupView("web", List.of(), List.of(ResourceView.anyNode("app")), Optional.of("A"),
                Optional.of("B"), TWO_IN_6H, List.of(), false, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: lastOwner: B, currentOwner: A (expected: the current owner is the last owner)");
    }

    @Test
    void groupView_currentOwnerOnly_isAlsoTheLastOwner() {
        GroupView g = new GroupView("web", List.of(), List.of(ResourceView.anyNode("app")), Optional.of("A"), Optional.empty(),
                TWO_IN_6H, List.of(), false, Optional.empty());
        assertThat(g.lastOwner()).contains("A");
    }

    @Test
    void groupView_failedWhileOwned_throws() {
        assertThatThrownBy(() -> group("web", 2).ownedBy("A").failedSince(NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: failed, but owned by A (expected: a Failed group has no owner)");
    }

    @Test
    void groupView_failedWithoutSince_throws() {
        assertThatThrownBy(() -> new GroupView("web", List.of(), List.of(ResourceView.anyNode("app")), Optional.empty(),
                Optional.empty(), TWO_IN_6H, List.of(), true, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: failed without failedSince (expected: the time it went Failed)");
    }

    @Test
    void placement_chosenNotTheFirstCandidate_throws() {
        assertThatThrownBy(() -> new Placement("web", PlacementRequest.start(), Verdict.PLACE, Optional.of("B"), List.of("A", "B"),
                List.of(Reason.of("start-order", "x")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: chosen B, candidates [A, B] (expected: the chosen node first)");
    }

    @Test
    void placement_placeWithoutANode_throws() {
        assertThatThrownBy(() -> new Placement("web", PlacementRequest.start(), Verdict.PLACE, Optional.empty(), List.of(),
                List.of(Reason.of("start-order", "x")), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("group web: verdict PLACE with chosen Optional.empty (expected: a node exactly for PLACE and STAY)");
    }
}
