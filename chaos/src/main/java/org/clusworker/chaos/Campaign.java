package org.clusworker.chaos;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A campaign's result, from the run directories the harness kept: every complete run (its history has the
 * {@code end} marker) checked again with {@link HistoryChecker}, and the figures summed over them: runs,
 * faults by kind, violations, oracle writes, and the time from each fault to a displaced group's new first
 * line (p50, p99, max) by kind, and the longest time a group that should be online had no line.
 *
 * <p>A run directory holds half a megabyte of history; a campaign of hundreds of runs is kept as its
 * <em>records</em> instead: one JSON line per run with the figures above ({@link Run}), written with
 * {@code --record FILE} and summarized again from that file alone, so that a campaign made in several parts
 * (on one build) is summed as one.
 *
 * <pre>
 * Campaign [--record FILE] WORKDIR...   check the runs kept under each WORKDIR (run-SEED directories);
 *                                       with --record, add the records of the runs FILE lacks to it
 * Campaign RECORDS.jsonl... [WORKDIR...] the figures of recorded runs (and of kept ones, once per seed)
 * </pre>
 * Exit 1 if any run has a violation, 2 on bad arguments.
 */
public final class Campaign {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Campaign() {
    }

    /**
     * What a campaign keeps of one run.
     *
     * @param seed        the run's seed
     * @param where       its run directory, or the record file it was read from
     * @param faults      faults injected, by kind
     * @param failoverMs  by fault kind: ms from the fault to the first line of a new incarnation of a group it displaced
     * @param violations  the invariant of each violation (I1-I8)
     * @param spawnWaits  fences in which a watchdog waited for processes its host was starting (from the watchdogs' logs)
     * @param lateKills   fences in which a watchdog's second look found processes its first scan had missed
     * @param quietStallMs the longest stall of the machine in the quiet period past the lease's pause allowance (I7
     *                     judged after the last one), 0 if none
     * @param livenessUnchecked whether I7 could not be judged (no quiet period long enough after its last stall)
     * @param firstKillsMs how long each fence's first kills took, as its watchdog logged them (empty in records
     *                     written before they were kept)
     */
    record Run(long seed, @JsonInclude(JsonInclude.Include.NON_EMPTY) String where, Map<String, Integer> faults, Map<String, List<Long>> failoverMs, List<String> violations,
               long oracleAccepted, long oracleRejected, long linesPastFence, long maxPastFenceMs, long longestOfflineMs,
               String longestOffline, long maxStallMs, int spawnWaits, int lateKills, long quietStallMs, boolean livenessUnchecked,
               List<Long> firstKillsMs) {

        Run {
            firstKillsMs = firstKillsMs == null ? List.of() : List.copyOf(firstKillsMs);
            faults = java.util.Collections.unmodifiableMap(new TreeMap<>(faults));      // in order, so that a record reads the same each time
            failoverMs = java.util.Collections.unmodifiableMap(new TreeMap<>(failoverMs));
            violations = List.copyOf(violations);
        }

        /** The figures of a checked history; the watchdog counts from {@code dir}'s watchdog logs, when it is a run directory. */
        static Run of(long seed, Path dir, HistoryChecker.Report r) throws IOException {
            int waits = 0;
            int late = 0;
            List<Long> firstKills = new ArrayList<>();
            if (dir != null && Files.isDirectory(dir)) {
                try (Stream<Path> logs = Files.find(dir, 4, (p, a) -> p.getFileName().toString().equals("watchdog.log") && a.isRegularFile())) {
                    for (Path log : logs.toList()) {
                        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                            waits += line.contains("waited for ") && line.contains("the host was starting") ? 1 : 0;
                            late += line.contains("that its first scan missed") ? 1 : 0;
                            java.util.regex.Matcher m = FIRST_KILLS.matcher(line);
                            if (m.find()) {
                                firstKills.add(Long.parseLong(m.group(1)));
                            }
                        }
                    }
                }
            }
            return new Run(seed, String.valueOf(dir), r.faults, r.failoverMs, r.violations.stream().map(HistoryChecker.Violation::invariant).toList(),
                    r.oracleAccepted, r.oracleRejected, r.linesPastFence, r.maxPastFenceMs, r.longestOfflineMs, r.longestOffline,
                    r.maxStallMs(), waits, late, r.quietStallMs, !r.livenessChecked, firstKills);
        }

        /** The same figures, read from or written to {@code place}. */
        Run at(String place) {
            return new Run(seed, place, faults, failoverMs, violations, oracleAccepted, oracleRejected, linesPastFence, maxPastFenceMs,
                    longestOfflineMs, longestOffline, maxStallMs, spawnWaits, lateKills, quietStallMs, livenessUnchecked, firstKillsMs);
        }

        boolean ok() {
            return violations.isEmpty();
        }
    }

    /** Every complete run under the work directories, checked. */
    static List<Run> check(List<Path> workDirs) throws IOException {
        List<Run> runs = new ArrayList<>();
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
                runs.add(Run.of(Long.parseLong(d.getFileName().toString().substring(4)), d, r));
            }
        }
        return runs;
    }

    /** The runs recorded in {@code file}, one JSON line each; a line that is no record is an error that names it. */
    static List<Run> read(Path file) throws IOException {
        List<Run> runs = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                runs.add(JSON.readValue(lines.get(i), Run.class).at(file + ":" + (i + 1)));
            } catch (JacksonException e) {
                throw new IOException(file + " line " + (i + 1) + ": not a run record (" + e.getOriginalMessage() + ")", e);
            }
        }
        return runs;
    }

    /** Appends to {@code file} the records of the runs whose seed it does not hold yet; returns how many it added. */
    static int record(List<Run> runs, Path file) throws IOException {
        Set<Long> held = new LinkedHashSet<>();
        if (Files.exists(file)) {
            read(file).forEach(r -> held.add(r.seed()));
        }
        StringBuilder add = new StringBuilder();
        int n = 0;
        for (Run r : runs) {
            if (held.add(r.seed())) {
                add.append(JSON.writeValueAsString(r.at(""))).append('\n');     // where it was checked is no figure
                n++;
            }
        }
        Files.writeString(file, add, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return n;
    }

    /** The campaign's figures. */
    static int summarize(List<Run> runs, PrintStream out) {
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
        int waits = 0;
        int late = 0;
        List<Long> firstKills = new ArrayList<>();
        int quietStalled = 0;
        long quietStallMax = 0;
        int unchecked = 0;
        for (Run r : runs) {
            r.faults().forEach((k, v) -> faults.merge(k, v, Integer::sum));
            r.failoverMs().forEach((k, v) -> moved.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
            r.violations().forEach(v -> byInvariant.merge(v, 1, Integer::sum));
            accepted += r.oracleAccepted();
            rejected += r.oracleRejected();
            pastFence += r.linesPastFence();
            pastFenceMax = Math.max(pastFenceMax, r.maxPastFenceMs());
            if (r.longestOfflineMs() > longest) {
                longest = r.longestOfflineMs();
                longestWhere = "seed " + r.seed() + ", " + r.longestOffline();
            }
            stallMax = Math.max(stallMax, r.maxStallMs());
            if (r.maxStallMs() > 0) {
                stalled++;
            }
            waits += r.spawnWaits();
            late += r.lateKills();
            firstKills.addAll(r.firstKillsMs());
            if (r.quietStallMs() > 0) {
                quietStalled++;
                quietStallMax = Math.max(quietStallMax, r.quietStallMs());
            }
            unchecked += r.livenessUnchecked() ? 1 : 0;
            if (!r.ok()) {
                bad++;
                out.printf("campaign: seed %d: %d violations %s, see %s%s%n", r.seed(), r.violations().size(),
                        r.violations().stream().distinct().toList(), r.where(),
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
        out.printf(Locale.ROOT, "campaign: runs whose quiet period the machine broke with a stall past the lease's pause allowance: %d,"
                + " the longest %d ms (I7 judged from the liveness bound after it); runs in which I7 could not be judged: %d%n",
                quietStalled, quietStallMax, unchecked);
        out.printf(Locale.ROOT, "campaign: fences that waited for a spawn of their host: %d; that found processes their first scan missed: %d%n",
                waits, late);
        if (!firstKills.isEmpty()) {
            firstKills.sort(null);
            out.printf(Locale.ROOT, "campaign: the watchdogs' first kills (from their logs) in %d fences: p50 %d ms, p99 %d ms, max %d ms%n",
                    firstKills.size(), firstKills.get(firstKills.size() / 2), percentile99(firstKills), firstKills.getLast());
        }
        for (var e : moved.entrySet()) {
            List<Long> ms = new ArrayList<>(e.getValue());
            if (ms.isEmpty()) {
                continue;
            }
            ms.sort(null);
            out.printf(Locale.ROOT, "campaign: after %-14s %5d group moves, fault to new owner's first line: p50 %d ms, p99 %d ms, max %d ms%n",
                    e.getKey(), ms.size(), ms.get(ms.size() / 2), percentile99(ms), ms.getLast());
        }
        return bad;
    }

    /** The 99th percentile of sorted figures (nearest rank). */
    private static long percentile99(List<Long> sorted) {
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * 0.99) - 1));
    }

    /** A watchdog's line on its fence: "... the first kills of 6 process(es) took 4 ms ...". */
    private static final java.util.regex.Pattern FIRST_KILLS = java.util.regex.Pattern.compile("the first kills of \\d+ process\\(es\\) took (\\d+) ms");

    public static void main(String[] args) throws IOException {
        Path recordTo = null;
        List<Path> dirs = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--record")) {
                if (i + 1 == args.length) {
                    usage("--record needs a file");
                }
                recordTo = Path.of(args[++i]);
                continue;
            }
            Path p = Path.of(args[i]);
            if (Files.isDirectory(p)) {
                dirs.add(p);
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                usage(args[i] + " is neither a work directory nor a file of run records");
            }
        }
        if (dirs.isEmpty() && files.isEmpty()) {
            usage("no work directory or file of run records");
        }
        if (recordTo != null && !files.isEmpty()) {
            usage("--record adds the runs of work directories to a file; it reads no other record file");
        }
        List<Run> runs = new ArrayList<>();
        Set<Long> seeds = new LinkedHashSet<>();
        for (Path f : files) {
            List<Run> recorded;
            try {
                recorded = read(f);
            } catch (IOException e) {
                System.err.println("campaign: " + e.getMessage());
                System.exit(2);
                return;
            }
            for (Run r : recorded) {
                if (seeds.add(r.seed())) {
                    runs.add(r);
                }
            }
        }
        for (Run r : check(dirs)) {
            if (seeds.add(r.seed())) {
                runs.add(r);
            }
        }
        if (recordTo != null) {
            int added = record(runs, recordTo);
            System.out.printf("campaign: %d run records added to %s%n", added, recordTo);
        }
        System.exit(summarize(runs, System.out) == 0 ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println("campaign: " + problem);
        System.err.println("usage: Campaign [--record FILE] WORKDIR...   (directories holding the run-SEED directories of stress/cluster-chaos)");
        System.err.println("       Campaign RECORDS.jsonl... [WORKDIR...]   (files of run records that --record wrote)");
        System.exit(2);
    }
}
