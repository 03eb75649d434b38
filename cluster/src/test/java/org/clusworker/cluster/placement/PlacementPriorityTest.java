package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.cluster.placement.Fixtures.PLACER;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.snapshot;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Priority: start order after a failover, and no-auto-start (CLUSTER.md §1.8). */
class PlacementPriorityTest {

    private static final List<String> ABC = nodes("A", "B", "C");

    @Test
    void startOrder_highMediumLowThenNoAutoStart_tiesInConfiguredOrder() {
        PlacementSnapshot s = snapshot(ABC, up("A"),
                group("low1", 3).withPriority(Priority.LOW),
                group("med1", 3),
                group("held", 3).withPriority(Priority.NO_AUTO_START),
                group("high1", 3).withPriority(Priority.HIGH),
                group("med2", 3).withPriority(Priority.MEDIUM));

        assertThat(PLACER.startOrder(s)).containsExactly("high1", "med1", "med2", "low1", "held");
        assertThat(PLACER.startOrder(s, List.of("low1", "med2", "high1"))).containsExactly("high1", "med2", "low1");
    }

    @Test
    void priority_defaultIsMedium_andWindowsValues() {
        assertThat(group("g", 1).priority()).isEqualTo(Priority.MEDIUM);
        assertThat(List.of(Priority.values())).extracting(Priority::windowsValue).containsExactly(3000, 2000, 1000, 0);
        assertThat(Priority.of("no-auto-start")).contains(Priority.NO_AUTO_START);
        assertThat(Priority.of("urgent")).isEmpty();
    }

    /**
     * After node A is lost, its groups are placed highest priority first, each seeing the ones before it:
     * the high-priority group takes B, the next free node; the low one, anti-affined with it, goes on to C —
     * even though the low one comes first in the configuration.
     */
    @Test
    void afterANodeLoss_placedInPriorityOrder_andEachSeesThePlacementsBeforeIt() {
        PlacementSnapshot s = snapshot(ABC, up("A", "B", "C"),
                group("reports", 3).withPriority(Priority.LOW).withAntiAffinity(AntiAffinity.soft("db")).ownedBy("A"),
                group("orders", 3).withPriority(Priority.HIGH).withAntiAffinity(AntiAffinity.soft("db")).ownedBy("A"),
                group("web", 3).ownedBy("C"));

        List<Placement> ps = PLACER.ifNodesFail(s, "A");

        assertThat(ps).extracting(Placement::group).containsExactly("orders", "reports");
        assertThat(ps).extracting(p -> p.chosen().orElseThrow()).containsExactly("B", "C");
        assertThat(ps.get(0).lines().getFirst()).isEqualTo("priority high: placed 1 of 2 (order [orders, reports])");
        assertThat(ps.get(1).lines()).contains("priority low: placed 2 of 2 (order [orders, reports])",
                "B: deferred (hosts anti-affined group orders (class db))");
    }

    /** With one node left and enforced anti-affinity, the high-priority group gets it; the low one stays offline. */
    @Test
    void afterANodeLoss_oneNodeLeft_enforced_highPriorityWinsIt() {
        PlacementSnapshot s = snapshot(ABC, up("A", "B"),
                group("reports", 3).withPriority(Priority.LOW).withAntiAffinity(AntiAffinity.enforced("db")).ownedBy("A"),
                group("orders", 3).withPriority(Priority.HIGH).withAntiAffinity(AntiAffinity.enforced("db")).ownedBy("A"));

        List<Placement> ps = PLACER.ifNodesFail(s, "A");

        assertThat(ps.get(0).group()).isEqualTo("orders");
        assertThat(ps.get(0).chosen()).contains("B");
        assertThat(ps.get(1).group()).isEqualTo("reports");
        assertThat(ps.get(1).verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(ps.get(1).decidedBy().text()).startsWith("anti-affinity conflict");
    }

    @Test
    void placeAll_theSamePriority_inConfiguredOrder_andOnlyTheGroupsAsked() {
        PlacementSnapshot s = snapshot(ABC, up("A", "B", "C"), group("x", 3), group("y", 3), group("z", 3));
        Map<String, PlacementRequest> asked = new LinkedHashMap<>();
        asked.put("z", PlacementRequest.start());
        asked.put("x", PlacementRequest.start());
        assertThat(PLACER.placeAll(s, asked)).extracting(Placement::group).containsExactly("x", "z");
        assertThatThrownBy(() -> PLACER.placeAll(s, Map.of("ghost", PlacementRequest.start())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group ghost: unknown");
    }

    /** Windows: No-auto-start roles fail over but stay offline. */
    @Test
    void noAutoStart_failover_heldOnTheNodeItWouldGoTo() {
        GroupView g = group("batch", 3).withPriority(Priority.NO_AUTO_START).lastOwnedBy("A");
        Placement p = PLACER.place(snapshot(ABC, up("B", "C"), g), "batch", PlacementRequest.failover());

        assertThat(p.verdict()).isEqualTo(Verdict.HELD);
        assertThat(p.verdict().chooses()).isTrue();
        assertThat(p.verdict().starts()).isFalse();
        assertThat(p.chosen()).contains("B");
        assertThat(p.candidates()).containsExactly("B", "C");
        assertThat(p.decidedBy().rule()).isEqualTo("priority");
        assertThat(p.decidedBy().text()).isEqualTo("no-auto-start: placed on B but stays offline until asked (an operator's move starts it)");
        assertThat(p.lines()).contains("B: chosen (next after the last owner A in [A, B, C])");
    }

    @Test
    void noAutoStart_start_held() {
        GroupView g = group("batch", 3).withPriority(Priority.NO_AUTO_START);
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), g), "batch", PlacementRequest.start());
        assertThat(p.verdict()).isEqualTo(Verdict.HELD);
        assertThat(p.chosen()).contains("A");
    }

    @Test
    void noAutoStart_operatorsMove_startsIt() {
        GroupView g = group("batch", 3).withPriority(Priority.NO_AUTO_START).withPreferredOwners("C").ownedBy("B");
        PlacementSnapshot s = snapshot(ABC, up("A", "B", "C"), g);

        Placement to = PLACER.place(s, "batch", PlacementRequest.moveTo("A"));
        Placement best = PLACER.place(s, "batch", PlacementRequest.moveToBestPossible());

        assertThat(to.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(to.verdict().starts()).isTrue();
        assertThat(best.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(best.chosen()).contains("C");
    }

    @Test
    void noAutoStart_noEligibleNode_stillNoneEligible() {
        GroupView g = group("batch", 3).withPriority(Priority.NO_AUTO_START).lastOwnedBy("A");
        assertThat(PLACER.place(snapshot(ABC, up(), g), "batch", PlacementRequest.failover()).verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
    }

    /** A held group counts as placed for the groups after it: its node owns it. */
    @Test
    void placeAll_heldGroupOccupiesItsNodeForAntiAffinity() {
        PlacementSnapshot s = snapshot(nodes("A", "B"), up("A", "B"),
                group("held", 2).withPriority(Priority.NO_AUTO_START).withAntiAffinity(AntiAffinity.enforced("x")),
                group("low", 2).withPriority(Priority.LOW).withAntiAffinity(AntiAffinity.enforced("x")));
        List<Placement> ps = PLACER.placeAll(s, Map.of("held", PlacementRequest.start(), "low", PlacementRequest.start()));
        assertThat(ps).extracting(Placement::group).containsExactly("low", "held");
        assertThat(ps).extracting(Placement::verdict).containsExactly(Verdict.PLACE, Verdict.HELD);
        assertThat(ps).extracting(p -> p.chosen().orElseThrow()).containsExactly("A", "B");
    }
}
