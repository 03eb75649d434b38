package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clusworker.cluster.placement.Fixtures.NOW;
import static org.clusworker.cluster.placement.Fixtures.PLACER;
import static org.clusworker.cluster.placement.Fixtures.TWO_IN_6H;
import static org.clusworker.cluster.placement.Fixtures.ago;
import static org.clusworker.cluster.placement.Fixtures.group;
import static org.clusworker.cluster.placement.Fixtures.hours;
import static org.clusworker.cluster.placement.Fixtures.nodes;
import static org.clusworker.cluster.placement.Fixtures.snapshot;
import static org.clusworker.cluster.placement.Fixtures.up;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** FailoverThreshold per FailoverPeriod, the Failed phase and RetryPeriodOnFailure (CLUSTER.md §1.4, §1.11). */
class PlacementThresholdTest {

    /** Threshold 2 in 6h; A just failed; B and C are up. */
    private static Placement failoverFromA(GroupView g) {
        return PLACER.place(snapshot(nodes("A", "B", "C"), up("B", "C"), g), "web", PlacementRequest.failover());
    }

    private static GroupView web(FailoverRecord... history) {
        return group("web", 3).withPolicy(TWO_IN_6H).lastOwnedBy("A").withHistory(history);
    }

    @Test
    void failover_belowTheThreshold_places() {
        Placement p = failoverFromA(web(FailoverRecord.failover(2, "C", "A", ago(hours(1)))));
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.lines()).contains("failover threshold 2 in 6h not reached (1 unplanned failover after 2025-06-01T06:00:00Z)");
    }

    @Test
    void failover_thresholdReached_failedUntilRetryPeriodOnFailure() {
        Placement p = failoverFromA(web(FailoverRecord.failover(2, "B", "C", ago(hours(3))), FailoverRecord.failover(3, "C", "A", ago(hours(1)))));

        assertThat(p.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(p.chosen()).isEmpty();
        assertThat(p.candidates()).containsExactly("B", "C");
        assertThat(p.retryAt()).contains(NOW.plus(hours(1)));
        assertThat(p.decidedBy().rule()).isEqualTo("failover-threshold");
        assertThat(p.decidedBy().toString()).isEqualTo("failover threshold 2 in 6h reached (2 unplanned failovers after"
                + " 2025-06-01T06:00:00Z); retry at 2025-06-01T13:00:00Z (RetryPeriodOnFailure 1h)");
    }

    @Test
    void failover_aFailoverExactlyPeriodAgo_noLongerCounts() {
        Placement p = failoverFromA(web(FailoverRecord.failover(2, "B", "C", ago(hours(6))), FailoverRecord.failover(3, "C", "A", ago(hours(1)))));
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
    }

    @Test
    void failover_aFailoverJustInsideThePeriod_counts() {
        Placement p = failoverFromA(web(FailoverRecord.failover(2, "B", "C", ago(hours(6).minusMillis(1))),
                FailoverRecord.failover(3, "C", "A", ago(hours(1)))));
        assertThat(p.verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void failover_plannedMovesInThePeriod_notCounted() {
        Placement p = failoverFromA(web(FailoverRecord.move(2, "B", "C", ago(hours(3))), FailoverRecord.move(3, "C", "B", ago(hours(2))),
                FailoverRecord.failover(4, "B", "A", ago(hours(1)))));
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
    }

    @Test
    void failover_theFirstAcquisition_notCounted() {
        Placement p = failoverFromA(web(new FailoverRecord(1, Optional.empty(), "C", ago(hours(3)), false),
                FailoverRecord.failover(2, "C", "A", ago(hours(1)))));
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
    }

    @Test
    void failover_failedWithinRetryPeriodOnFailure_staysFailed() {
        Placement p = failoverFromA(web().failedSince(ago(Duration.ofMinutes(30))));
        assertThat(p.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(p.retryAt()).contains(NOW.plus(Duration.ofMinutes(30)));
        assertThat(p.decidedBy().toString()).isEqualTo("Failed since 2025-06-01T11:30:00Z (failover threshold reached);"
                + " retry at 2025-06-01T12:30:00Z (RetryPeriodOnFailure 1h)");
    }

    @Test
    void failover_failedAndRetryPeriodOnFailurePassed_oneMoreAttemptDespiteTheThreshold() {
        GroupView g = web(FailoverRecord.failover(2, "B", "C", ago(hours(3))), FailoverRecord.failover(3, "C", "A", ago(hours(2))))
                .failedSince(ago(hours(1)));
        Placement p = failoverFromA(g);
        assertThat(p.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(p.chosen()).contains("B");
        assertThat(p.lines()).contains("Failed since 2025-06-01T11:00:00Z; RetryPeriodOnFailure 1h has passed: one more attempt"
                + " (the failover window counts afresh from 2025-06-01T11:00:00Z)");
    }

    @Test
    void start_failedWithinRetryPeriodOnFailure_staysFailed() {
        GroupView g = group("web", 3).withPolicy(TWO_IN_6H).failedSince(ago(Duration.ofMinutes(1)));
        Placement p = PLACER.place(snapshot(nodes("A", "B", "C"), up("A", "B", "C"), g), "web", PlacementRequest.start());
        assertThat(p.verdict()).isEqualTo(Verdict.FAILED);
    }

    /**
     * Failovers at −5h and −4h; Failed at −3h; the retry at −2h succeeded (one failover after the Failed
     * moment); now the owner fails again: the two old failovers no longer count, the retry does.
     */
    @Test
    void failover_afterTheRetry_theWindowCountsAfresh() {
        FailoverRecord[] history = {
            FailoverRecord.failover(2, "B", "C", ago(hours(5))),
            FailoverRecord.failover(3, "C", "A", ago(hours(4))),
            FailoverRecord.failover(4, "A", "B", ago(hours(2)))};
        GroupView afterRetry = web(history).lastOwnedBy("B").retriedAfterFailedSince(ago(hours(3)));
        Placement once = PLACER.place(snapshot(nodes("A", "B", "C"), up("A", "C"), afterRetry), "web", PlacementRequest.failover());

        assertThat(once.verdict()).isEqualTo(Verdict.PLACE);
        assertThat(once.lines()).contains("failover threshold 2 in 6h not reached (1 unplanned failover after 2025-06-01T09:00:00Z,"
                + " counting afresh from when it went Failed)");

        GroupView again = afterRetry.withHistory(history[0], history[1], history[2], FailoverRecord.failover(5, "B", "C", ago(hours(1))))
                .lastOwnedBy("C");
        Placement twice = PLACER.place(snapshot(nodes("A", "B", "C"), up("A", "B"), again), "web", PlacementRequest.failover());
        assertThat(twice.verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void failover_failedLongerAgoThanThePeriod_windowIsThePeriod() {
        GroupView g = web(FailoverRecord.failover(2, "B", "C", ago(hours(3))), FailoverRecord.failover(3, "C", "A", ago(hours(1))))
                .retriedAfterFailedSince(ago(hours(10)));
        assertThat(failoverFromA(g).verdict()).isEqualTo(Verdict.FAILED);
    }

    @Test
    void start_singleNodeWithDefaultThresholdZero_places() {
        GroupView g = group("web", 1);
        Placement p = PLACER.place(snapshot(nodes("A"), up("A"), g), "web", PlacementRequest.start());
        assertThat(g.policy().threshold()).isZero();
        assertThat(p.chosen()).contains("A");
    }

    @Test
    void ifOwnerFails_thresholdReached_reportsFailed() {
        GroupView g = group("web", 3).withPolicy(TWO_IN_6H).ownedBy("A").withHistory(
                FailoverRecord.failover(2, "B", "C", ago(hours(3))), FailoverRecord.failover(3, "C", "A", ago(hours(1))));
        Placement p = PLACER.ifOwnerFails(snapshot(nodes("A", "B", "C"), up("A", "B", "C"), g), "web").orElseThrow();
        assertThat(p.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(p.candidates()).containsExactly("B", "C");
    }

    @Test
    void defaultThreshold_nodes_nodesMinusOne() {
        assertThat(FailoverPolicy.defaultThreshold(1)).isZero();
        assertThat(FailoverPolicy.defaultThreshold(5)).isEqualTo(4);
        assertThat(FailoverPolicy.defaults(3)).isEqualTo(new FailoverPolicy(2, hours(6), hours(1)));
    }

    @Test
    void defaultThreshold_noNodes_throws() {
        assertThatThrownBy(() -> FailoverPolicy.defaultThreshold(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes: 0 (expected: >= 1)");
    }

    @Test
    void failoverPolicy_negativeValues_throwNamingThem() {
        assertThatThrownBy(() -> new FailoverPolicy(-1, hours(6), hours(1)))
                .hasMessage("failover threshold: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new FailoverPolicy(1, hours(-6), hours(1)))
                .hasMessage("failover period: -6h (expected: >= 0)");
        assertThatThrownBy(() -> new FailoverPolicy(1, hours(6), hours(-1)))
                .hasMessage("retryPeriodOnFailure: -1h (expected: >= 0)");
    }
}
