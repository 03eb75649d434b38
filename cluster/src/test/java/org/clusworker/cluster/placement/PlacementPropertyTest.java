package org.clusworker.cluster.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Properties over random snapshots (seeded): the answer is a function of the snapshot, and what it
 * chooses is allowed.
 */
class PlacementPropertyTest {

    private static final int RUNS = 3_000;
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void place_randomSnapshots_deterministicAndOnlyEligibleCandidates() {
        Random random = new Random(20250601);
        Placer placer = Placer.windows();
        int placed = 0;
        for (int run = 0; run < RUNS; run++) {
            long seed = random.nextLong();
            PlacementSnapshot s = randomSnapshot(new Random(seed));
            PlacementSnapshot same = randomSnapshot(new Random(seed));
            GroupView g = s.groups().getFirst();
            PlacementRequest request = randomRequest(new Random(seed ^ 1), s, g);

            Placement p = placer.place(s, g.name(), request);

            String where = "seed " + seed + ", " + request + ":\n" + p;
            assertThat(placer.place(same, g.name(), request)).as(where).isEqualTo(p);
            assertThat(placer.place(s, g.name(), request)).as(where).isEqualTo(p);
            assertThat(p.candidates()).as(where).doesNotHaveDuplicates().allMatch(n -> eligible(s, g, n));
            p.chosen().ifPresent(c -> assertThat(p.candidates().getFirst()).as(where).isEqualTo(c));
            assertThat(p.chosen().isPresent()).as(where).isEqualTo(p.verdict().chooses());
            if (request instanceof PlacementRequest.Move) {
                assertThat(p.verdict()).as(where).isNotEqualTo(Verdict.FAILED);
            }
            if (request instanceof PlacementRequest.Failover && p.verdict() == Verdict.PLACE) {
                assertThat(skippedBeforeChosen(s, g, p.chosen().get())).as(where).noneMatch(n -> eligible(s, g, n));
            }
            if (request instanceof PlacementRequest.Move m && m.target().isEmpty() && p.verdict() == Verdict.PLACE) {
                assertThat(p.chosen()).as(where).isNotEqualTo(g.currentOwner());
                if (!g.preferredOwners().isEmpty()) {
                    assertThat(g.preferredOwners()).as(where).contains(p.chosen().get());
                }
            }
            if (p.verdict() == Verdict.NONE_ELIGIBLE && !(request instanceof PlacementRequest.Move)) {
                assertThat(s.nodes()).as(where).noneMatch(n -> eligible(s, g, n));
            }
            placed += p.verdict() == Verdict.PLACE ? 1 : 0;
        }
        assertThat(placed).as("runs that placed the group").isGreaterThan(RUNS / 4);
    }

    /** The nodes a failover passed over: those strictly between the last owner and the chosen node, cyclically. */
    private static List<String> skippedBeforeChosen(PlacementSnapshot s, GroupView g, String chosen) {
        List<String> list = s.nodeList(g);
        int from = g.lastOwner().map(list::indexOf).orElse(-1);
        List<String> skipped = new ArrayList<>();
        for (int i = 1; i <= list.size(); i++) {
            String n = list.get(Math.floorMod(from + i, list.size()));
            if (n.equals(chosen)) {
                break;
            }
            skipped.add(n);
        }
        return skipped;
    }

    private static boolean eligible(PlacementSnapshot s, GroupView g, String node) {
        return s.up().contains(node) && g.resources().stream().allMatch(r -> r.mayRunOn(node));
    }

    private static PlacementRequest randomRequest(Random r, PlacementSnapshot s, GroupView g) {
        return switch (r.nextInt(4)) {
            case 0 -> g.currentOwner().isPresent() ? PlacementRequest.failover() : PlacementRequest.start();
            case 1 -> PlacementRequest.failover();
            case 2 -> PlacementRequest.moveToBestPossible();
            default -> PlacementRequest.moveTo(s.nodes().get(r.nextInt(s.nodes().size())));
        };
    }

    private static PlacementSnapshot randomSnapshot(Random r) {
        List<String> nodes = new ArrayList<>();
        int n = 1 + r.nextInt(7);
        for (int i = 1; i <= n; i++) {
            nodes.add("node-" + i);
        }
        Set<String> up = new HashSet<>(subset(r, nodes, 0.7));
        List<String> preferred = subset(r, nodes, 0.4);
        java.util.Collections.shuffle(preferred, r);
        List<ResourceView> resources = new ArrayList<>();
        for (int i = 0, k = 1 + r.nextInt(3); i < k; i++) {
            List<String> owners = subset(r, nodes, 0.8);
            resources.add(r.nextBoolean() || owners.isEmpty() ? ResourceView.anyNode("res-" + i)
                    : new ResourceView("res-" + i, Optional.of(Set.copyOf(owners))));
        }
        FailoverPolicy policy = new FailoverPolicy(r.nextInt(n + 1), Duration.ofHours(r.nextInt(8)), Duration.ofMinutes(r.nextInt(120)));
        List<FailoverRecord> history = new ArrayList<>();
        for (int i = 0, k = r.nextInt(5); i < k; i++) {
            history.add(new FailoverRecord(i + 1, Optional.of(pick(r, nodes)), pick(r, nodes),
                    NOW.minus(Duration.ofMinutes(r.nextInt(600))), r.nextInt(4) == 0));
        }
        Optional<String> owner = r.nextInt(3) == 0 ? Optional.of(pick(r, nodes)) : Optional.empty();
        Optional<String> last = owner.isPresent() || r.nextInt(4) == 0 ? owner : Optional.of(pick(r, nodes));
        boolean failed = owner.isEmpty() && r.nextInt(5) == 0;
        Optional<Instant> failedSince = failed || r.nextInt(5) == 0
                ? Optional.of(NOW.minus(Duration.ofMinutes(r.nextInt(180)))) : Optional.empty();
        GroupView g = new GroupView("web", preferred, resources, owner, last, policy, history, failed, failedSince);
        return new PlacementSnapshot(nodes, up, List.of(g), NOW);
    }

    private static List<String> subset(Random r, List<String> of, double p) {
        List<String> out = new ArrayList<>();
        for (String s : of) {
            if (r.nextDouble() < p) {
                out.add(s);
            }
        }
        return out;
    }

    private static String pick(Random r, List<String> of) {
        return of.get(r.nextInt(of.size()));
    }
}
