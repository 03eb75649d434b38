package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.cluster.placement.Fixtures.PLACER;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Failback (CLUSTER.md §1.5, §6.5): explicit instants and zones, no clock. */
class PlacementFailbackTest {

    private static final List<String> ABC = nodes("A", "B", "C");
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final Duration FIVE_MIN = Duration.ofMinutes(5);

    /** 2025-06-01 at {@code hh:mm} UTC. */
    private static Instant at(int hh, int mm) {
        return Instant.parse("2025-06-01T00:00:00Z").plus(Duration.ofHours(hh)).plus(Duration.ofMinutes(mm));
    }

    /** web prefers A then B, runs on B; A up since {@code aUpSince}; evaluated at {@code now} in UTC. */
    private static PlacementSnapshot webOnB(FailbackPolicy f, Instant aUpSince, Instant now) {
        GroupView web = group("web", 3).withPreferredOwners("A", "B").withFailback(f).ownedBy("B");
        return new PlacementSnapshot(ABC, up("A", "B", "C"), List.of(web), now).withUpSince("A", aUpSince).inZone(UTC);
    }

    @Test
    void prevented_byDefault_noFailback() {
        GroupView web = group("web", 3).withPreferredOwners("A", "B").ownedBy("B");
        PlacementSnapshot s = new PlacementSnapshot(ABC, up("A", "B"), List.of(web), at(12, 0)).withUpSince("A", at(1, 0));

        FailbackDecision d = PLACER.explainFailback(s, "web");

        assertThat(web.failback()).isEqualTo(FailbackPolicy.PREVENT);
        assertThat(d.due()).isFalse();
        assertThat(PLACER.failback(s, "web")).isEmpty();
        assertThat(d.decidedBy().text()).isEqualTo("failback not allowed (failback.allow: false, Windows' ClusterGroupPreventFailback, the default)");
        assertThat(d.recheckAt()).isEmpty();
    }

    /** Windows: Allow has no effect without a preferred-owner list. */
    @Test
    void allowed_withoutPreferredOwners_neverHappens() {
        GroupView web = group("web", 3).withFailback(FailbackPolicy.allowed(Duration.ZERO)).ownedBy("B");
        FailbackDecision d = PLACER.explainFailback(new PlacementSnapshot(ABC, up("A", "B"), List.of(web), at(12, 0)), "web");
        assertThat(d.due()).isFalse();
        assertThat(d.decidedBy().text()).startsWith("no preferred owners: failback never happens");
    }

    @Test
    void allowed_preferredNodeUpLongEnough_plannedMoveBackToIt() {
        PlacementSnapshot s = webOnB(FailbackPolicy.allowed(FIVE_MIN), at(11, 50), at(12, 0));

        Placement p = PLACER.failback(s, "web").orElseThrow();

        assertThat(p.request()).isEqualTo(PlacementRequest.moveTo("A"));
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("A");
        assertThat(p.candidates()).containsExactly("A");
        assertThat(p.lines()).containsExactly(
                "failback allowed (allowed, stableFor 5m, any time) to the most preferred eligible node of the preferred owners [A, B]",
                "B: the owner is preferred owner 2 of 2: more preferred are [A]",
                "A: up since 2025-06-01T11:50:00Z: for stableFor 5m or more",
                "no failback window: at any time of day",
                "a planned move: never counts toward the failover threshold",
                "A: chosen (failback from B to the most preferred eligible node)");
    }

    @Test
    void preferredNodeNotUpForStableForYet_noFailback_decideAgainWhenItIs() {
        FailbackDecision d = PLACER.explainFailback(webOnB(FailbackPolicy.allowed(FIVE_MIN), at(11, 58), at(12, 0)), "web");
        assertThat(d.due()).isFalse();
        assertThat(d.decidedBy().toString()).isEqualTo("A: up since 2025-06-01T11:58:00Z, not yet for stableFor 5m: stable at 2025-06-01T12:03:00Z");
        assertThat(d.recheckAt()).contains(at(12, 3));
        assertThat(PLACER.failback(webOnB(FailbackPolicy.allowed(FIVE_MIN), at(11, 58), at(12, 3)), "web")).isPresent();
    }

    @Test
    void upSinceUnknown_waitsOnlyIfStableForIsSet() {
        GroupView web = group("web", 3).withPreferredOwners("A", "B").withFailback(FailbackPolicy.allowed(FIVE_MIN)).ownedBy("B");
        PlacementSnapshot s = new PlacementSnapshot(ABC, up("A", "B"), List.of(web), at(12, 0));
        assertThat(PLACER.explainFailback(s, "web").decidedBy().text()).startsWith("up for an unknown time");

        PlacementSnapshot atOnce = s.withGroup(web.withFailback(FailbackPolicy.allowed(Duration.ZERO)));
        assertThat(PLACER.failback(atOnce, "web")).map(p -> p.chosen().orElseThrow()).contains("A");
    }

    @Test
    void ownerIsMostPreferred_orNoOwner_orPreferredNodeDown_noFailback() {
        FailbackPolicy f = FailbackPolicy.allowed(Duration.ZERO);
        GroupView onA = group("web", 3).withPreferredOwners("A", "B").withFailback(f).ownedBy("A");
        assertThat(PLACER.explainFailback(new PlacementSnapshot(ABC, up("A", "B"), List.of(onA), at(12, 0)), "web").decidedBy().toString())
                .isEqualTo("A: stays (the owner is the most preferred owner already)");

        GroupView none = group("web", 3).withPreferredOwners("A", "B").withFailback(f).lastOwnedBy("B");
        assertThat(PLACER.explainFailback(new PlacementSnapshot(ABC, up("A", "B"), List.of(none), at(12, 0)), "web").decidedBy().text())
                .startsWith("no owner");

        GroupView onB = group("web", 3).withPreferredOwners("A", "B").withFailback(f).ownedBy("B");
        FailbackDecision d = PLACER.explainFailback(new PlacementSnapshot(ABC, up("B", "C"), List.of(onB), at(12, 0)), "web");
        assertThat(d.lines()).contains("A: skipped (not up)");
        assertThat(d.decidedBy().toString()).isEqualTo("B: stays (no preferred owner more preferred than it is eligible)");
    }

    /** The target is the most preferred eligible node: an ineligible more-preferred one is passed over. */
    @Test
    void ownerNotAPreferredOwner_goesToTheMostPreferredEligible() {
        GroupView web = GroupView.of("web", FailoverPolicy.defaults(3), ResourceView.on("app", "B", "C"))
                .withPreferredOwners("A", "B").withFailback(FailbackPolicy.allowed(Duration.ZERO)).ownedBy("C");
        FailbackDecision d = PLACER.explainFailback(new PlacementSnapshot(ABC, up("A", "B", "C"), List.of(web), at(12, 0)), "web");

        assertThat(d.move().flatMap(Placement::chosen)).contains("B");
        assertThat(d.lines()).contains("C: the owner is not a preferred owner", "A: skipped (not a possible owner of resource app)");
    }

    @Test
    void preferredNodeHostsAnAntiAffinedGroup_notAFailbackTarget() {
        FailbackPolicy f = FailbackPolicy.allowed(Duration.ZERO);
        GroupView web = group("web", 3).withPreferredOwners("A", "B").withFailback(f).withAntiAffinity(AntiAffinity.soft("fe")).ownedBy("B");
        GroupView api = group("api", 3).withAntiAffinity(AntiAffinity.soft("fe")).ownedBy("A");
        FailbackDecision d = PLACER.explainFailback(new PlacementSnapshot(ABC, up("A", "B"), List.of(web, api), at(12, 0)), "web");
        assertThat(d.due()).isFalse();
        assertThat(d.lines()).contains("A: skipped (hosts anti-affined group api (class fe); a failback never moves a group next to an anti-affined one)");
    }

    /** Windows: FailbackWindowStart 22, End 6: failback only between 22:00 and 06:00, across midnight. */
    @Test
    void window22To6_acrossMidnight() {
        FailbackPolicy f = FailbackPolicy.allowed(Duration.ZERO).within(new FailbackWindow(22, 6));
        Instant up = at(1, 0);
        assertThat(PLACER.failback(webOnB(f, up, at(22, 0)), "web")).isPresent();
        assertThat(PLACER.failback(webOnB(f, up, at(23, 59)), "web")).isPresent();
        assertThat(PLACER.failback(webOnB(f, up, at(24 + 5, 59)), "web")).as("05:59 the next day").isPresent();
        assertThat(PLACER.failback(webOnB(f, up, at(2, 30)), "web")).isPresent();

        FailbackDecision six = PLACER.explainFailback(webOnB(f, up, at(6, 0)), "web");
        assertThat(six.due()).isFalse();
        assertThat(six.decidedBy().text()).isEqualTo("outside the failback window 22-6 (06:00 Z): it opens at 2025-06-01T22:00:00Z");
        assertThat(six.recheckAt()).contains(at(22, 0));
        assertThat(PLACER.explainFailback(webOnB(f, up, at(21, 59)), "web").recheckAt()).contains(at(22, 0));
        assertThat(PLACER.explainFailback(webOnB(f, up, at(23, 0)), "web").lines()).contains("inside the failback window 22-6 (23:00 Z)");
    }

    @Test
    void window9To17_startIncludedEndNot_closedUntilTheNextMorning() {
        FailbackPolicy f = FailbackPolicy.allowed(Duration.ZERO).within(new FailbackWindow(9, 17));
        Instant up = at(1, 0);
        assertThat(PLACER.failback(webOnB(f, up, at(8, 59)), "web")).isEmpty();
        assertThat(PLACER.failback(webOnB(f, up, at(9, 0)), "web")).isPresent();
        assertThat(PLACER.failback(webOnB(f, up, at(16, 59)), "web")).isPresent();
        assertThat(PLACER.explainFailback(webOnB(f, up, at(17, 0)), "web").recheckAt()).contains(at(24 + 9, 0));
    }

    /** The hours are the cluster's local time: 12:00 UTC is 22:00 in Sydney (UTC+10 in June). */
    @Test
    void window_inTheClustersTimeZone() {
        FailbackPolicy f = FailbackPolicy.allowed(Duration.ZERO).within(new FailbackWindow(22, 6));
        PlacementSnapshot s = webOnB(f, at(1, 0), at(12, 0));
        assertThat(PLACER.failback(s, "web")).isEmpty();
        FailbackDecision sydney = PLACER.explainFailback(s.inZone(ZoneId.of("Australia/Sydney")), "web");
        assertThat(sydney.due()).isTrue();
        assertThat(sydney.lines()).contains("inside the failback window 22-6 (22:00 Australia/Sydney)");
    }

    /** Stable only at 21:00, and the window opens at 22:00: decide again at 22:00. */
    @Test
    void notStableAndWindowClosed_decideAgainWhenBothHold() {
        FailbackPolicy f = new FailbackPolicy(true, Duration.ofHours(1), Optional.of(new FailbackWindow(22, 6)));
        FailbackDecision d = PLACER.explainFailback(webOnB(f, at(20, 0), at(20, 30)), "web");
        assertThat(d.recheckAt()).contains(at(22, 0));
        FailbackDecision inWindow = PLACER.explainFailback(webOnB(f, at(22, 30), at(23, 0)), "web");
        assertThat(inWindow.recheckAt()).contains(at(23, 30));
    }

    /**
     * Windows: if the current owner fails before the window, its groups move anyway — a failover, not a
     * failback: the window does not hold it back, and it goes where a failover goes.
     */
    @Test
    void ownerFailsBeforeTheWindow_failoverNotFailback() {
        FailbackPolicy f = FailbackPolicy.allowed(Duration.ZERO).within(new FailbackWindow(22, 6));
        GroupView web = group("web", 2).withPreferredOwners("A", "B").withFailback(f).ownedBy("B");
        PlacementSnapshot s = new PlacementSnapshot(nodes("A", "B"), up("A", "B"), List.of(web), at(12, 0)).withUpSince("A", at(1, 0)).inZone(UTC);
        assertThat(PLACER.failback(s, "web")).isEmpty();

        Placement p = PLACER.ifOwnerFails(s, "web").orElseThrow();

        assertThat(p.request()).isEqualTo(PlacementRequest.failover());
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("A");
        assertThat(p.lines()).noneMatch(l -> l.contains("failback"));
    }

    @Test
    void failbackWindow_parseAndHours() {
        assertThat(FailbackWindow.parse("22-6")).contains(new FailbackWindow(22, 6));
        assertThat(FailbackWindow.parse(" 9 - 17 ")).contains(new FailbackWindow(9, 17));
        assertThat(FailbackWindow.parse("0-23")).contains(new FailbackWindow(0, 23));
        for (String bad : List.of("25-3", "6-6", "22", "a-b", "-1-5", "22-6-1", "")) {
            assertThat(FailbackWindow.parse(bad)).as(bad).isEmpty();
        }
        FailbackWindow night = new FailbackWindow(22, 6);
        assertThat(night.wrapsMidnight()).isTrue();
        assertThat(List.of(22, 23, 0, 5)).allMatch(night::containsHour);
        assertThat(List.of(6, 12, 21)).noneMatch(night::containsHour);
        assertThat(night.toString()).isEqualTo("22-6");
        assertThatThrownBy(() -> new FailbackWindow(24, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FailbackWindow(3, 3)).hasMessageContaining("leave the window out");
    }

    @Test
    void snapshot_upSinceOfAnUnknownNode_refused_andOfADownNodeIgnored() {
        GroupView web = group("web", 3);
        assertThatThrownBy(() -> new PlacementSnapshot(ABC, up("A"), List.of(web), at(12, 0)).withUpSince(java.util.Map.of("X", at(1, 0))))
                .hasMessageContaining("upSince: X is not a configured node");
        PlacementSnapshot s = new PlacementSnapshot(ABC, up("A"), List.of(web), at(12, 0)).withUpSince("B", at(1, 0)).withDown("B");
        assertThat(s.upSince("B")).isEmpty();
        assertThat(s.withUpSince("A", at(2, 0)).upSince("A")).contains(at(2, 0));
    }
}
