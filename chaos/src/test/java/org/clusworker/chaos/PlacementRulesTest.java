package org.clusworker.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The checker's reading of the placement rules (I5's re-run), on hand-written snapshots in the form the
 * nodes log ({@code cluster status --json}'s {@code snapshot}); and the checker flagging an acquisition
 * that breaks them.
 */
class PlacementRulesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NOW = "2026-12-04T10:00:00Z";

    /** A snapshot of nodes a, b, c (all up unless {@link Snap#up} says otherwise), whose groups {@link Snap#group} adds. */
    static final class Snap {
        final ObjectNode root = JSON.createObjectNode();
        final ArrayNode groups;

        Snap() {
            root.set("nodes", JSON.valueToTree(List.of("a", "b", "c")));
            root.set("up", JSON.valueToTree(List.of("a", "b", "c")));
            root.set("upSince", JSON.createObjectNode());
            root.put("zone", "UTC");
            root.put("now", NOW);
            groups = root.putArray("groups");
            root.putObject("requests");
        }

        Snap up(String... nodes) {
            root.set("up", JSON.valueToTree(List.of(nodes)));
            return this;
        }

        /** A group with one resource {@code r<name>}, anywhere, threshold 2 in 6 h, retry after 1 h. */
        ObjectNode group(String name, String... preferred) {
            ObjectNode g = groups.addObject();
            g.put("name", name);
            g.set("preferredOwners", JSON.valueToTree(List.of(preferred)));
            ObjectNode r = g.putArray("resources").addObject();
            r.put("name", "r" + name);
            r.putNull("possibleOwners");
            g.putNull("currentOwner");
            g.putNull("lastOwner");
            g.put("failoverThreshold", 2);
            g.put("failoverPeriod", "PT6H");
            g.put("retryPeriodOnFailure", "PT1H");
            g.putArray("history");
            g.put("failed", false);
            g.putNull("failedSince");
            g.put("failbackAllowed", false);
            g.put("failbackStableFor", "PT0S");
            g.putNull("failbackWindow");
            g.putArray("antiAffinityClasses");
            g.put("antiAffinityEnforced", false);
            g.put("priority", "medium");
            return g;
        }

        Snap request(String group, String request) {
            ((ObjectNode) root.get("requests")).put(group, request);
            return this;
        }

        String json() {
            return root.toString();
        }
    }

    private static void change(ObjectNode g, long epoch, String from, String to, String time, boolean planned) {
        ObjectNode c = ((ArrayNode) g.get("history")).addObject();
        c.put("epoch", epoch);
        if (from == null) {
            c.putNull("from");
        } else {
            c.put("from", from);
        }
        c.put("to", to);
        c.put("time", time);
        c.put("planned", planned);
    }

    private static void antiAffine(ObjectNode g, boolean enforced) {
        g.set("antiAffinityClasses", JSON.valueToTree(List.of("apart")));
        g.put("antiAffinityEnforced", enforced);
    }

    @Test
    void aStartGoesDownTheNodeList_preferredOwnersFirst_thenTheConfiguredOrder() {
        Snap s = new Snap().up("a", "c");
        s.group("g", "c");
        s.request("g", "START");
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("c", "a");
        assertThat(PlacementRules.judge(s.root, "g", "c", 0)).isNull();
        assertThat(PlacementRules.judge(s.root, "g", "a", 1)).isNull();        // a later candidate, after c let it pass
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).contains("node b is not eligible for START");
        assertThat(PlacementRules.judge(s.root, "g", "a", 0)).contains("candidate 0", "it is candidate 1 of [c, a]");
    }

    @Test
    void aFailoverGoesToTheNextNodeAfterTheLastOwner_notBackToTheFirst() {
        Snap s = new Snap();
        ObjectNode g = s.group("g", "b", "c");
        g.put("lastOwner", "b");
        s.request("g", "FAILOVER");
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("c", "a", "b");
        assertThat(PlacementRules.judge(s.root, "g", "c", 0)).isNull();
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).contains("it is candidate 2");
    }

    @Test
    void possibleOwnersAndUpExclude_softAntiAffinityDefers_enforcedExcludes() {
        Snap s = new Snap();
        ObjectNode g = s.group("g");
        ((ObjectNode) g.get("resources").get(0)).set("possibleOwners", JSON.valueToTree(List.of("a", "b")));
        antiAffine(g, false);
        ObjectNode other = s.group("h");
        antiAffine(other, false);
        other.put("currentOwner", "a");
        s.request("g", "START");
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("b", "a");    // c may not; a hosts h: last
        other.put("antiAffinityEnforced", true);
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("b");
        s.up("a", "c");
        assertThat(PlacementRules.candidates(s.root, "g")).isEmpty();
        assertThat(PlacementRules.judge(s.root, "g", "a", 0)).contains("not eligible");
    }

    @Test
    void aMoveToANodeGoesThereOnly_aMoveToTheBestPossibleSkipsTheNodeThatReleasedIt() {
        Snap s = new Snap();
        ObjectNode g = s.group("g", "a", "b");
        g.put("lastOwner", "a");
        s.request("g", "MOVE c");
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("c");
        s.request("g", "MOVE");
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("b");          // the preferred owners less a
        s.up("a", "c");
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("a");          // no other preferred owner: a keeps it
        s.up("c");
        assertThat(PlacementRules.candidates(s.root, "g")).containsExactly("c");          // none: the node list
    }

    @Test
    void aFailoverPastTheThreshold_aFailedGroupBeforeItsRetry_andANoAutoStartGroupMayNotBePlacedAutomatically() {
        Snap s = new Snap();
        ObjectNode g = s.group("g");
        g.put("lastOwner", "a");
        change(g, 2, "a", "b", "2026-12-04T09:00:00Z", false);
        change(g, 3, "b", "a", "2026-12-04T09:30:00Z", true);      // planned: does not count
        s.request("g", "FAILOVER");
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).isNull();
        change(g, 4, "a", "c", "2026-12-04T09:40:00Z", false);
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).contains("failover threshold 2 reached (2 unplanned");
        change(g, 1, "c", "a", "2026-12-04T03:59:59Z", false);      // older than the 6 h period: still 2
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).contains("(2 unplanned");

        g.put("failed", true);
        g.put("failedSince", "2026-12-04T09:45:00Z");
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).contains("Failed since 2026-12-04T09:45:00Z, retry not before 2026-12-04T10:45:00Z");
        s.request("g", "MOVE b");
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).isNull();                  // an operator's move may
        g.put("failedSince", "2026-12-04T08:45:00Z");
        s.request("g", "FAILOVER");
        assertThat(PlacementRules.judge(s.root, "g", "b", 0)).isNull();                  // past the retry period: one more attempt

        Snap m = new Snap();
        m.group("m").put("priority", "no-auto-start");
        m.request("m", "START");
        assertThat(PlacementRules.judge(m.root, "m", "a", 0)).contains("no-auto-start");
        m.request("m", "MOVE b");
        assertThat(PlacementRules.judge(m.root, "m", "b", 0)).isNull();
    }

    // ------------------------------------------------------------------ in the checker

    private static final long MS = 1_000_000L;
    private static final HistoryChecker.Spec RULES = new HistoryChecker.Spec(List.of("g"), Set.of(), Duration.ofMillis(50),
            Duration.ofSeconds(1), Duration.ofSeconds(1), List.of("a", "b", "c"),
            Map.of("g", new HistoryChecker.Spec.GroupRule(List.of("rg"), Duration.ofMillis(500), 2, Duration.ofHours(6))),
            Map.of("rg", Set.of("a", "b", "c")));

    /** Node {@code node} acquires g epoch 1 at 10 ms, as candidate {@code index} of {@code snapshot}; its line runs to 1 s. */
    private static List<String> acquiredWith(String node, int index, String snapshot) {
        List<String> l = new ArrayList<>();
        for (long t = 0; t <= 1_000; t += 200) {
            l.add(t * MS + " ~ " + node + " lease - - 51 " + (t + 500) * MS + " " + (t + 800) * MS);
        }
        l.add(10 * MS + " ~ " + node + " acquire g 1 51 start start");
        if (snapshot != null) {
            l.add(11 * MS + " ~ " + node + " placement g 1 51 index " + index + " " + snapshot);
        }
        for (long t = 20; t <= 1_000; t += 50) {
            l.add(t * MS + " g " + node + " 1 7");
        }
        return l;
    }

    @Test
    void theCheckerReplacesEveryAcquisitionOnItsSnapshot_andFlagsOneAgainstTheRules() {
        Snap s = new Snap();
        s.group("g", "b");
        s.request("g", "START");
        HistoryChecker.Report fine = HistoryChecker.check(RULES, acquiredWith("b", 0, s.json()));
        assertThat(fine.violations).isEmpty();
        assertThat(fine.placementsChecked).isEqualTo(1);
        assertThat(fine.notes).anyMatch(n -> n.startsWith("I5: 1 acquisitions re-placed"));

        HistoryChecker.Report wrong = HistoryChecker.check(RULES, acquiredWith("a", 0, s.json()));
        assertThat(wrong.violations).singleElement().satisfies(v -> {
            assertThat(v.invariant()).isEqualTo("I5");
            assertThat(v.message()).contains("node a acquired g epoch 1 (START) against the placement rules",
                    "took it as candidate 0, but by the rules it is candidate 1 of [b, a, c]");
        });
        // the timeline shows the placement line short: its index and request, not its snapshot
        assertThat(wrong.ownership).filteredOn(o -> o.event().equals("placement")).singleElement()
                .satisfies(o -> assertThat(o.text()).isEqualTo("~ a placement g 1 51 index 0 of START"));
    }

    @Test
    void aSnapshotWhosePossibleOwnersAreNotTheConfigurationsBreaksI5() throws Exception {
        Snap s = new Snap();
        ObjectNode g = s.group("g");
        ((ObjectNode) g.get("resources").get(0)).set("possibleOwners", JSON.valueToTree(List.of("a")));
        s.request("g", "START");
        HistoryChecker.Report r = HistoryChecker.check(RULES, acquiredWith("a", 0, s.json()));
        assertThat(r.violations).singleElement().satisfies(v -> assertThat(v.message())
                .contains("the snapshot's possible owners of rg ([a]) are not the configuration's"));
        JsonNode parsed = JSON.readTree(s.json());
        assertThat(PlacementRules.disagrees(RULES, parsed, "g")).isNotNull();
    }

    @Test
    void anAcquireWithoutItsPlacementLine_inAHistoryThatHasThem_breaksI5_oneWithoutAnyIsOnlyNoted() {
        Snap s = new Snap();
        s.group("g");
        s.request("g", "START");
        List<String> lines = new ArrayList<>(acquiredWith("a", 0, s.json()));
        lines.add(1_100 * MS + " ~ a release g 1 51 planned");
        lines.add(1_200 * MS + " ~ b acquire g 2 52 move move requested");      // no placement line
        HistoryChecker.Report ended = HistoryChecker.check(RULES, lines);
        // b wrote nothing after: its JVM may have ended between the two lines (a kill -9 there): noted, not flagged
        assertThat(ended.violations).isEmpty();
        assertThat(ended.notes).contains("node b acquired g epoch 2 and ended before it logged the placement: not re-placed");
        lines.add(2_300 * MS + " ~ b online g 2 52");                             // it lived on: the line is missing
        HistoryChecker.Report r = HistoryChecker.check(RULES, lines);
        assertThat(r.violations).filteredOn(v -> v.invariant().equals("I5")).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("node b acquired g epoch 2 without a placement line"));

        HistoryChecker.Report old = HistoryChecker.check(RULES, acquiredWith("a", 0, null));
        assertThat(old.violations).isEmpty();
        assertThat(old.notes).contains("no placement lines: I5's re-run of the placement rules not checked");
    }
}
