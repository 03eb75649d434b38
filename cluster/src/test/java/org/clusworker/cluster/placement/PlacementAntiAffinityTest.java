package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clusworker.cluster.placement.Fixtures.PLACER;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.snapshot;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.util.List;
import org.junit.jupiter.api.Test;

/** AntiAffinityClassNames, soft and enforced (CLUSTER.md §1.7). */
class PlacementAntiAffinityTest {

    private static final List<String> ABC = nodes("A", "B", "C");

    /** sql1 on B; sql2 lost its owner A. */
    private static PlacementSnapshot sqlOnBAndSql2FromA(AntiAffinity sql1, AntiAffinity sql2, String... up) {
        return snapshot(ABC, up(up), group("sql1", 3).withAntiAffinity(sql1).ownedBy("B"),
                group("sql2", 3).withAntiAffinity(sql2).lastOwnedBy("A"));
    }

    /** Windows: take the next preferred node; skip it if it hosts an anti-affined group. */
    @Test
    void soft_failover_skipsTheNodeHostingAnAntiAffinedGroup() {
        Placement p = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.soft("db"), AntiAffinity.soft("db"), "B", "C"), "sql2",
                PlacementRequest.failover());

        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("C");
        assertThat(p.candidates()).containsExactly("C", "B");
        assertThat(p.lines()).contains("B: deferred (hosts anti-affined group sql1 (class db))");
    }

    /** Windows: if only such nodes remain, anti-affinity is ignored (soft: "does not guarantee" separation). */
    @Test
    void soft_onlyConflictingNodesLeft_placedThereAnyway() {
        Placement p = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.soft("db"), AntiAffinity.soft("db"), "B"), "sql2",
                PlacementRequest.failover());

        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("B");
        assertThat(p.lines()).contains("B: deferred (hosts anti-affined group sql1 (class db))", "C: skipped (not up)");
    }

    /** ClusterEnforcedAntiAffinity: the group stays Offline (Anti-Affinity Conflict). */
    @Test
    void enforced_onlyConflictingNodesLeft_staysOfflineWithAntiAffinityConflict() {
        Placement p = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.enforced("db"), AntiAffinity.enforced("db"), "B"), "sql2",
                PlacementRequest.failover());

        assertThat(p.verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(p.chosen()).isEmpty();
        assertThat(p.decidedBy().rule()).isEqualTo("anti-affinity");
        assertThat(p.decidedBy().text()).startsWith("anti-affinity conflict: group sql2 stays offline").contains("[B]");
        assertThat(p.lines()).contains("B: skipped (anti-affinity conflict: hosts group sql1 (class db), enforced)");
    }

    @Test
    void enforced_anotherNodeLeft_goesThere() {
        Placement p = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.enforced("db"), AntiAffinity.enforced("db"), "B", "C"), "sql2",
                PlacementRequest.failover());
        assertThat(p.chosen()).contains("C");
        assertThat(p.candidates()).containsExactly("C");
    }

    /** Enforced on either of the two groups makes it hard between them. */
    @Test
    void enforced_onTheOtherGroupOnly_isHardToo() {
        Placement p = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.enforced("db"), AntiAffinity.soft("db"), "B"), "sql2",
                PlacementRequest.failover());
        assertThat(p.verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(p.decidedBy().text()).contains("anti-affinity conflict");
    }

    @Test
    void noNodeUpAtAll_isNotAnAntiAffinityConflict() {
        Placement p = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.enforced("db"), AntiAffinity.enforced("db")), "sql2",
                PlacementRequest.failover());
        assertThat(p.verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(p.decidedBy().rule()).isEqualTo("eligibility");
    }

    @Test
    void sharingAnyOneClass_isEnough_andNoSharedClassHasNoEffect() {
        Placement shared = PLACER.place(sqlOnBAndSql2FromA(new AntiAffinity(List.of("db", "big"), false), AntiAffinity.soft("big"), "B", "C"),
                "sql2", PlacementRequest.failover());
        assertThat(shared.chosen()).contains("C");
        assertThat(shared.lines()).contains("B: deferred (hosts anti-affined group sql1 (class big))");

        Placement unrelated = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.enforced("web"), AntiAffinity.enforced("db"), "B", "C"),
                "sql2", PlacementRequest.failover());
        assertThat(unrelated.chosen()).contains("B");
    }

    @Test
    void start_groupsWithoutOwner_doNotRepel() {
        PlacementSnapshot s = snapshot(ABC, up("A", "B", "C"), group("sql1", 3).withAntiAffinity(AntiAffinity.enforced("db")),
                group("sql2", 3).withAntiAffinity(AntiAffinity.enforced("db")));
        assertThat(PLACER.place(s, "sql2", PlacementRequest.start()).chosen()).contains("A");
    }

    @Test
    void moveToANodeWithAnEnforcedConflict_invalidTarget_butASoftOneIsTheOperatorsChoice() {
        Placement hard = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.enforced("db"), AntiAffinity.soft("db"), "B", "C"), "sql2",
                PlacementRequest.moveTo("B"));
        assertThat(hard.verdict()).isEqualTo(Verdict.INVALID_TARGET);
        assertThat(hard.lines()).contains("B: cannot take the group (anti-affinity conflict: hosts group sql1 (class db), enforced)");

        Placement soft = PLACER.place(sqlOnBAndSql2FromA(AntiAffinity.soft("db"), AntiAffinity.soft("db"), "B", "C"), "sql2",
                PlacementRequest.moveTo("B"));
        assertThat(soft.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(soft.chosen()).contains("B");
    }

    @Test
    void moveToBestPossible_prefersANodeWithoutAntiAffinedGroups() {
        GroupView sql1 = group("sql1", 3).withAntiAffinity(AntiAffinity.soft("db")).ownedBy("A");
        GroupView sql2 = group("sql2", 3).withAntiAffinity(AntiAffinity.soft("db")).withPreferredOwners("A", "B").ownedBy("C");
        Placement p = PLACER.place(snapshot(ABC, up("A", "B", "C"), sql1, sql2), "sql2", PlacementRequest.moveToBestPossible());
        assertThat(p.chosen()).contains("B");
        assertThat(p.candidates()).containsExactly("B", "A");
    }

    @Test
    void ifOwnerFails_showsTheConflict() {
        GroupView sql1 = group("sql1", 2).withAntiAffinity(AntiAffinity.enforced("db")).ownedBy("A");
        GroupView sql2 = group("sql2", 2).withAntiAffinity(AntiAffinity.enforced("db")).ownedBy("B");
        Placement p = PLACER.ifOwnerFails(snapshot(nodes("A", "B"), up("A", "B"), sql1, sql2), "sql2").orElseThrow();
        assertThat(p.verdict()).isEqualTo(Verdict.NONE_ELIGIBLE);
        assertThat(p.decidedBy().text()).contains("anti-affinity conflict");
    }
}
