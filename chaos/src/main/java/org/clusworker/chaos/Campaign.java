package org.clusworker.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A campaign's result, from the run directories the harness kept: every complete run (its history has the
 * {@code end} marker) checked again with {@link HistoryChecker}, and the figures summed over them: runs,
 * faults by kind, violations, oracle writes, and the time from each fault to a displaced group's new first
 * line (p50, p99, max) by kind, and the longest time a group that should be online had no line.
 *
 * <p>{@code Campaign WORKDIR...} (each holds {@code run-SEED} directories); exit 1 if any run has a violation.
 */
public final class Campaign {

    private Campaign() {
    }

    /** One checked run. */
    record Checked(long seed, Path dir, HistoryChecker.Report report) {
    }

    /** Every complete run under the work directories, checked. */
    static List<Checked> check(List<Path> workDirs) throws IOException {
        List<Checked> runs = new ArrayList<>();
        for (Path w : workDirs) {
            List<Path> dirs;
            try (Stream<Path> s = Files.list(w)) {
                dirs = s.filter(p -> p.getFileName().toString().matches("run-\\d+") && Files.isRegularFile(p.resolve("history"))).sorted().toList();
            }
            for (Path d : dirs) {
                List<String> lines = Files.readAllLines(d.resolve("history"));
                boolean complete = lines.stream().anyMatch(l -> l.matches("\\d+ @ end"));
                if (!complete) {
                    continue;       // under way, or interrupted
                }
                HistoryChecker.Report r = HistoryChecker.check(HistoryChecker.Spec.fromConfig(d.resolve("node-a.yaml")), lines);
                runs.add(new Checked(Long.parseLong(d.getFileName().toString().substring(4)), d, r));
            }
        }
        return runs;
    }

    /** The campaign's figures. */
    static int summarize(List<Checked> runs, PrintStream out) {
        Map<String, Integer> faults = new TreeMap<>();
        Map<String, List<Long>> moved = new TreeMap<>();
        Map<String, Integer> byInvariant = new TreeMap<>();
        long accepted = 0;
        long rejected = 0;
        long pastFence = 0;
        long pastFenceMax = 0;
        long longest = 0;
        String longestWhere = "-";
        int bad = 0;
        int stalled = 0;
        long stallMax = 0;
        for (Checked c : runs) {
            HistoryChecker.Report r = c.report();
            r.faults.forEach((k, v) -> faults.merge(k, v, Integer::sum));
            r.failoverMs.forEach((k, v) -> moved.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            r.violations.forEach(v -> byInvariant.merge(v.invariant(), 1, Integer::sum));
            accepted += r.oracleAccepted;
            rejected += r.oracleRejected;
            pastFence += r.linesPastFence;
            pastFenceMax = Math.max(pastFenceMax, r.maxPastFenceMs);
            if (r.longestOfflineMs > longest) {
                longest = r.longestOfflineMs;
                longestWhere = "seed " + c.seed() + ", " + r.longestOffline;
            }
            stallMax = Math.max(stallMax, r.maxStallMs());
            if (r.maxStallMs() > 0) {
                stalled++;
            }
            if (!r.ok()) {
                bad++;
                out.printf("campaign: seed %d: %d violations %s, see %s%s%n", c.seed(), r.violations.size(),
                        r.violations.stream().map(HistoryChecker.Violation::invariant).distinct().toList(), c.dir(),
                        r.maxStallMs() > 0 ? " (the machine stalled up to " + r.maxStallMs() + " ms in that run)" : "");
            }
        }
        int total = faults.values().stream().mapToInt(Integer::intValue).sum();
        out.printf(Locale.ROOT, "campaign: %d runs, %d faults (%s), %d runs with violations %s%n", runs.size(), total, faults, bad,
                byInvariant.isEmpty() ? "" : byInvariant);
        out.printf(Locale.ROOT, "campaign: oracle store: %d writes accepted, %d rejected as stale; %d lines past a node's fence time "
                + "(before its takeover time), the latest %d ms past it%n", accepted, rejected, pastFence, pastFenceMax);
        out.printf(Locale.ROOT, "campaign: longest time a group that should be online had no line: %d ms (%s)%n", longest, longestWhere);
        out.printf(Locale.ROOT, "campaign: runs in which the machine stalled %d ms or more (the harness's own wake-ups that late): %d, the longest %d ms%n",
                ChaosHarness.STALL_MS, stalled, stallMax);
        for (var e : moved.entrySet()) {
            List<Long> ms = new ArrayList<>(e.getValue());
            ms.sort(null);
            out.printf(Locale.ROOT, "campaign: after %-14s %5d group moves, fault to new owner's first line: p50 %d ms, p99 %d ms, max %d ms%n",
                    e.getKey(), ms.size(), ms.get(ms.size() / 2), ms.get(Math.max(0, (int) Math.ceil(ms.size() * 0.99) - 1)), ms.getLast());
        }
        return bad;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: Campaign WORKDIR...   (directories holding the run-SEED directories of stress/cluster-chaos)");
            System.exit(2);
        }
        List<Path> dirs = new ArrayList<>();
        for (String a : args) {
            Path p = Path.of(a);
            if (!Files.isDirectory(p)) {
                System.err.println("campaign: " + a + " is not a directory");
                System.exit(2);
            }
            dirs.add(p);
        }
        System.exit(summarize(check(dirs), System.out) == 0 ? 0 : 1);
    }
}
