package org.clusworker.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The independent judge of a chaos run (issue 12, CLUSTER.md §4.3): it reads only the run's history file
 * and the cluster's configuration, and shares no code with the cluster layer.
 *
 * <h2>The history</h2>
 * One event per line, times in nanoseconds of CLOCK_MONOTONIC (one machine, so every process's clock is
 * the same clock):
 * <ul>
 *   <li>{@code NS GROUP NODE EPOCH PID [bindfail]}: a heartbeat of a group's test resource, every 50 ms
 *       while it lives; {@code bindfail} when it could not bind its group's loopback port (another
 *       process holds it).</li>
 *   <li>{@code NS @ WORD ...}: a marker of the harness: {@code start}, {@code fault ID KIND TARGET...},
 *       {@code heal ID ...}, {@code quiet} (every fault healed; the quiet period begins), {@code end}.</li>
 * </ul>
 *
 * <h2>What it checks</h2>
 * An <em>incarnation</em> is a group's (node, epoch); its interval runs from its first line to its last.
 * The resource was alive a little longer than its lines show: up to one line period (50 ms, plus the
 * scheduler's slack) before its first and after its last line. So:
 * <ul>
 *   <li><b>I1</b>, no two incarnations alive at once: two incarnations (or two processes) of one group
 *       whose line intervals overlap are a violation (certain: lines interleave); a handover whose gap
 *       is shorter than the line period cannot be resolved by lines and is counted as such, not flagged.
 *       A {@code bindfail} line is a violation too (the OS saw two holders of the group's port).</li>
 *   <li><b>I2</b>, epochs: a group's incarnations, in order of their first line, have strictly increasing
 *       epochs, no two share an epoch, and no line of epoch e comes after the first line of an e' > e.</li>
 *   <li><b>I7</b>, liveness: from {@code quiet} + the liveness bound (session timeout + tickTime +
 *       takeover delay + 5 s) to {@code end}, every group that should be online has lines of exactly one
 *       incarnation, with no gap longer than {@link Spec#maxGap()}, up to the end. A
 *       {@code no-auto-start} group should never be online unless the harness moved it (it never does).</li>
 * </ul>
 */
public final class HistoryChecker {

    /** What the checker needs from the configuration. */
    public record Spec(List<String> groups, Set<String> noAutoStart, Duration lineGap, Duration livenessBound, Duration maxGap) {

        /** Reads {@code groups[].name}, {@code groups[].priority} and the cluster's timing from a clusworker YAML file. */
        @SuppressWarnings("unchecked")
        public static Spec fromConfig(Path yaml) throws IOException {
            Map<String, Object> root = new ObjectMapper(new YAMLFactory()).readValue(yaml.toFile(), Map.class);
            List<String> groups = new ArrayList<>();
            Set<String> manual = new LinkedHashSet<>();
            for (Object o : (List<Object>) root.getOrDefault("groups", List.of())) {
                Map<String, Object> g = (Map<String, Object>) o;
                String name = String.valueOf(g.get("name"));
                groups.add(name);
                if ("no-auto-start".equals(String.valueOf(g.get("priority")))) {
                    manual.add(name);
                }
            }
            Map<String, Object> cluster = (Map<String, Object>) root.getOrDefault("cluster", Map.of());
            Map<String, Object> zk = (Map<String, Object>) cluster.getOrDefault("zookeeper", Map.of());
            Map<String, Object> lease = (Map<String, Object>) cluster.getOrDefault("lease", Map.of());
            Duration session = duration(zk.getOrDefault("sessionTimeout", "15s"));
            Duration tick = duration(zk.getOrDefault("tickTime", "2s"));
            Duration takeover = duration(lease.getOrDefault("takeoverDelay", "1s"));
            Duration bound = session.plus(tick).plus(takeover).plusSeconds(5);
            return new Spec(groups, manual, Duration.ofMillis(50), bound, Duration.ofSeconds(1));
        }

        static Duration duration(Object v) {
            String s = String.valueOf(v).trim();
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            }
            throw new IllegalArgumentException("not a duration: " + s);
        }
    }

    /** One heartbeat line. */
    public record Beat(long ns, String group, String node, long epoch, long pid, boolean bindFail) {
        String incarnation() {
            return node + "/" + epoch;
        }
    }

    /** One marker of the harness. */
    public record Marker(long ns, List<String> words) {
        String word(int i) {
            return i < words.size() ? words.get(i) : "";
        }
    }

    /** A broken invariant, with the time and group the timeline is printed around. */
    public record Violation(String invariant, String group, long ns, String message) {}

    /** The checker's findings on one history. */
    public static final class Report {
        public final List<Violation> violations = new ArrayList<>();
        /** Handovers whose gap was shorter than the line period: I1 holds as far as lines can tell. */
        public int unresolvedHandovers;
        public int handovers;
        public final List<String> notes = new ArrayList<>();
        /** Per fault kind: ms from the fault to the first line of a new incarnation of a group it displaced. */
        public final Map<String, List<Long>> failoverMs = new TreeMap<>();
        /** Per fault kind: faults after which no affected group changed owner within the window. */
        public final Map<String, Integer> noMove = new TreeMap<>();
        /** Per fault kind: how many were injected. */
        public final Map<String, Integer> faults = new TreeMap<>();
        final List<Beat> beats;
        final List<Marker> markers;
        final long origin;

        Report(List<Beat> beats, List<Marker> markers) {
            this.beats = beats;
            this.markers = markers;
            long o = Long.MAX_VALUE;
            for (Beat b : beats) {
                o = Math.min(o, b.ns());
            }
            for (Marker m : markers) {
                o = Math.min(o, m.ns());
            }
            this.origin = o == Long.MAX_VALUE ? 0 : o;
        }

        public boolean ok() {
            return violations.isEmpty();
        }

        /** Seconds since the first event of the history, for the timelines. */
        String at(long ns) {
            return String.format(Locale.ROOT, "%9.3f", (ns - origin) / 1e9);
        }

        /** Prints every violation with the seed and the timeline of lines around it. */
        public void print(long seed, PrintStream out) {
            for (Violation v : violations) {
                out.printf("VIOLATION %s (seed %d) group %s at t=%ss: %s%n", v.invariant(), seed, v.group(), at(v.ns()).trim(), v.message());
                out.printf("  replay: stress/cluster-chaos --runs 1 --seed %d%n", seed);
                timeline(v.group(), v.ns(), out);
            }
        }

        /** The group's lines and every marker within 1.5 s of {@code ns}; runs of one process's lines collapsed. */
        void timeline(String group, long ns, PrintStream out) {
            long from = ns - 1_500_000_000L;
            long to = ns + 1_500_000_000L;
            List<Object> events = new ArrayList<>();
            for (Beat b : beats) {
                if (b.group().equals(group) && b.ns() >= from && b.ns() <= to) {
                    events.add(b);
                }
            }
            for (Marker m : markers) {
                if (m.ns() >= from && m.ns() <= to) {
                    events.add(m);
                }
            }
            events.sort(Comparator.comparingLong(e -> e instanceof Beat b ? b.ns() : ((Marker) e).ns()));
            out.printf("  timeline of %s, t in s (runs of one process's lines shown by their first and last):%n", group);
            int i = 0;
            while (i < events.size()) {
                Object e = events.get(i);
                if (e instanceof Marker m) {
                    out.printf("    %s  @ %s%n", at(m.ns()), String.join(" ", m.words()));
                    i++;
                    continue;
                }
                Beat first = (Beat) e;
                int j = i;
                while (j + 1 < events.size() && events.get(j + 1) instanceof Beat n && n.pid() == first.pid() && n.bindFail() == first.bindFail()) {
                    j++;
                }
                Beat last = (Beat) events.get(j);
                String what = String.format("%s node %s epoch %d pid %d%s", first.group(), first.node(), first.epoch(), first.pid(), first.bindFail() ? " BINDFAIL" : "");
                if (j == i) {
                    out.printf("    %s  %s%n", at(first.ns()), what);
                } else {
                    out.printf("    %s .. %s  %s (%d lines)%n", at(first.ns()), at(last.ns()).trim(), what, j - i + 1);
                }
                i = j + 1;
            }
        }

        /** One paragraph: counts, and failover times per fault kind. */
        public void summary(PrintStream out) {
            out.printf("checker: %d violations; %d handovers, %d of them within one line period (unresolvable by lines)%n",
                    violations.size(), handovers, unresolvedHandovers);
            for (String n : notes) {
                out.println("checker: note: " + n);
            }
            for (var e : faults.entrySet()) {
                List<Long> ms = new ArrayList<>(failoverMs.getOrDefault(e.getKey(), List.of()));
                ms.sort(null);
                out.printf("checker: fault %-14s x%-3d groups moved: %d%s; no group moved after %d%n", e.getKey(), e.getValue(), ms.size(),
                        ms.isEmpty() ? "" : String.format(" (fault to new owner's first line: p50 %d ms, max %d ms)", ms.get(ms.size() / 2), ms.get(ms.size() - 1)),
                        noMove.getOrDefault(e.getKey(), 0));
            }
        }
    }

    private HistoryChecker() {}

    /** Parses a history; malformed lines (a torn write) are noted, not fatal. */
    public static Report check(Spec spec, List<String> lines) {
        List<Beat> beats = new ArrayList<>();
        List<Marker> markers = new ArrayList<>();
        int malformed = 0;
        for (String l : lines) {
            String[] w = l.trim().split("\\s+");
            try {
                if (w.length >= 2 && w[1].equals("@")) {
                    markers.add(new Marker(Long.parseLong(w[0]), List.of(w).subList(2, w.length)));
                } else if (w.length == 5 || w.length == 6 && w[5].equals("bindfail")) {
                    beats.add(new Beat(Long.parseLong(w[0]), w[1], w[2], Long.parseLong(w[3]), Long.parseLong(w[4]), w.length == 6));
                } else if (!l.isBlank()) {
                    malformed++;
                }
            } catch (NumberFormatException e) {
                malformed++;
            }
        }
        beats.sort(Comparator.comparingLong(Beat::ns));
        markers.sort(Comparator.comparingLong(Marker::ns));
        Report r = new Report(beats, markers);
        if (malformed > 0) {
            r.violations.add(new Violation("history", "-", r.origin, malformed + " malformed lines (a torn or foreign write)"));
        }
        Map<String, List<Beat>> byGroup = new LinkedHashMap<>();
        for (String g : spec.groups()) {
            byGroup.put(g, new ArrayList<>());
        }
        for (Beat b : beats) {
            List<Beat> of = byGroup.get(b.group());
            if (of == null) {
                r.violations.add(new Violation("history", b.group(), b.ns(), "a line of a group the configuration does not have"));
                byGroup.put(b.group(), of = new ArrayList<>());
            }
            of.add(b);
        }
        for (var e : byGroup.entrySet()) {
            mutualExclusion(spec, e.getKey(), e.getValue(), r);
            epochs(e.getKey(), e.getValue(), r);
        }
        liveness(spec, byGroup, markers, r);
        failovers(byGroup, markers, r);
        return r;
    }

    /** Reads both files and checks. */
    public static Report check(Path config, Path history) throws IOException {
        return check(Spec.fromConfig(config), Files.readAllLines(history));
    }

    /** A run of lines from one key (an incarnation or a process): its first and last line. */
    private record Span(String key, String incarnation, long epoch, long first, long last) {}

    private static List<Span> spans(List<Beat> beats, boolean byProcess) {
        Map<String, Span> m = new LinkedHashMap<>();
        for (Beat b : beats) {
            String k = byProcess ? b.incarnation() + "/" + b.pid() : b.incarnation();
            Span s = m.get(k);
            m.put(k, s == null ? new Span(k, b.incarnation(), b.epoch(), b.ns(), b.ns()) : new Span(k, s.incarnation(), s.epoch(), s.first(), b.ns()));
        }
        List<Span> l = new ArrayList<>(m.values());
        l.sort(Comparator.comparingLong(Span::first));
        return l;
    }

    private static void mutualExclusion(Spec spec, String group, List<Beat> beats, Report r) {
        for (Beat b : beats) {
            if (b.bindFail()) {
                r.violations.add(new Violation("I1", group, b.ns(), "process " + b.pid() + " of " + b.incarnation()
                        + " could not bind the group's port: another process holds it"));
                break;      // the first one says it; the timeline shows the rest
            }
        }
        List<Span> inc = spans(beats, false);
        for (int i = 0; i < inc.size(); i++) {
            for (int j = i + 1; j < inc.size(); j++) {
                Span a = inc.get(i);
                Span b = inc.get(j);
                if (b.first() <= a.last()) {
                    r.violations.add(new Violation("I1", group, b.first(), String.format(Locale.ROOT,
                            "incarnations %s and %s alive at once for %.3f s (lines of %s from %s to %s, of %s from %s)",
                            a.incarnation(), b.incarnation(), (Math.min(a.last(), b.last()) - b.first()) / 1e9,
                            a.incarnation(), r.at(a.first()).trim(), r.at(a.last()).trim(), b.incarnation(), r.at(b.first()).trim())));
                }
            }
            if (i + 1 < inc.size()) {
                r.handovers++;
                long gap = inc.get(i + 1).first() - inc.get(i).last();
                if (gap >= 0 && gap < spec.lineGap().toNanos()) {
                    r.unresolvedHandovers++;
                }
            }
        }
        // two processes of one incarnation (a restart on the same node) must not overlap either
        List<Span> procs = spans(beats, true);
        for (int i = 0; i < procs.size(); i++) {
            for (int j = i + 1; j < procs.size(); j++) {
                Span a = procs.get(i);
                Span b = procs.get(j);
                if (a.incarnation().equals(b.incarnation()) && b.first() <= a.last()) {
                    r.violations.add(new Violation("I1", group, b.first(), "two processes of incarnation " + a.incarnation()
                            + " alive at once (" + a.key() + ", " + b.key() + ")"));
                }
            }
        }
    }

    private static void epochs(String group, List<Beat> beats, Report r) {
        List<Span> inc = spans(beats, false);
        Map<Long, String> seen = new HashMap<>();
        for (int i = 0; i < inc.size(); i++) {
            Span s = inc.get(i);
            String other = seen.put(s.epoch(), s.incarnation());
            if (other != null) {
                r.violations.add(new Violation("I2", group, s.first(), "epoch " + s.epoch() + " held by two nodes: " + other + " and " + s.incarnation()));
            }
            if (i > 0 && s.epoch() <= inc.get(i - 1).epoch() && other == null) {
                r.violations.add(new Violation("I2", group, s.first(), "incarnation " + s.incarnation() + " started after "
                        + inc.get(i - 1).incarnation() + ": epochs must strictly increase"));
            }
        }
        for (Span a : inc) {
            for (Span b : inc) {
                if (b.epoch() > a.epoch() && a.last() > b.first()) {
                    r.violations.add(new Violation("I2", group, a.last(), "a line of epoch " + a.epoch() + " (" + a.incarnation()
                            + ") at " + r.at(a.last()).trim() + " s, after the first line of epoch " + b.epoch() + " (" + b.incarnation() + ")"));
                    break;
                }
            }
        }
    }

    private static void liveness(Spec spec, Map<String, List<Beat>> byGroup, List<Marker> markers, Report r) {
        Long quiet = null;
        Long end = null;
        Set<String> moved = new LinkedHashSet<>();
        for (Marker m : markers) {
            switch (m.word(0)) {
                case "quiet" -> quiet = m.ns();
                case "end" -> end = m.ns();
                case "fault" -> {
                    if (m.word(2).equals("move")) {
                        moved.add(m.word(3));
                    }
                }
                default -> { }
            }
        }
        for (String g : spec.noAutoStart()) {
            List<Beat> l = byGroup.getOrDefault(g, List.of());
            if (!l.isEmpty() && !moved.contains(g)) {
                r.violations.add(new Violation("I7", g, l.get(0).ns(), "a no-auto-start group online on " + l.get(0).incarnation()
                        + " though nobody moved it"));
            }
        }
        if (quiet == null || end == null) {
            r.notes.add("no 'quiet' and 'end' markers: I7 not checked");
            return;
        }
        long from = quiet + spec.livenessBound().toNanos();
        if (from >= end) {
            r.notes.add("the quiet period is shorter than the liveness bound " + spec.livenessBound().toMillis() + " ms: I7 not checked");
            return;
        }
        long maxGap = spec.maxGap().toNanos();
        for (var e : byGroup.entrySet()) {
            String g = e.getKey();
            if (spec.noAutoStart().contains(g) && !moved.contains(g)) {
                continue;
            }
            if (spec.noAutoStart().contains(g)) {
                r.notes.add("group " + g + " is no-auto-start and was moved: its liveness is not checked");
                continue;
            }
            Set<String> owners = new LinkedHashSet<>();
            long prev = from;
            long worst = 0;
            long worstAt = from;
            for (Beat b : e.getValue()) {
                if (b.ns() < from || b.ns() > end) {
                    continue;
                }
                owners.add(b.incarnation());
                if (b.ns() - prev > worst) {
                    worst = b.ns() - prev;
                    worstAt = prev;
                }
                prev = b.ns();
            }
            if (end - prev > worst) {
                worst = end - prev;
                worstAt = prev;
            }
            String window = String.format(Locale.ROOT, "from quiet + %.1f s to the end", spec.livenessBound().toMillis() / 1e3);
            if (owners.size() != 1) {
                r.violations.add(new Violation("I7", g, from, (owners.isEmpty() ? "offline" : "online as " + owners.size() + " incarnations " + owners) + " " + window));
            } else if (worst > maxGap) {
                r.violations.add(new Violation("I7", g, worstAt, String.format(Locale.ROOT, "a gap of %.3f s in its lines %s (%s)", worst / 1e9, window, owners)));
            }
        }
    }

    /**
     * Fault to the first line of a new incarnation, for each group the fault's target owned (or the moved group;
     * every online group for a ZooKeeper server's kill), counted only before the next fault: faults overlap, so
     * this is a rough attribution, not a clean per-kind failover time.
     */
    private static void failovers(Map<String, List<Beat>> byGroup, List<Marker> markers, Report r) {
        List<Marker> faults = markers.stream().filter(m -> m.word(0).equals("fault") || m.word(0).equals("quiet")).toList();
        for (int fi = 0; fi < faults.size(); fi++) {
            Marker m = faults.get(fi);
            if (!m.word(0).equals("fault")) {
                continue;
            }
            // a move counts for this fault only if it came before the next fault (30 s at most)
            long window = Math.min(30_000_000_000L, fi + 1 < faults.size() && faults.get(fi + 1).word(0).equals("fault")
                    ? faults.get(fi + 1).ns() - m.ns() : 30_000_000_000L);
            String kind = m.word(2);
            r.faults.merge(kind, 1, Integer::sum);
            long t0 = m.ns();
            boolean anyMoved = false;
            for (var e : byGroup.entrySet()) {
                Beat before = null;
                for (Beat b : e.getValue()) {
                    if (b.ns() > t0) {
                        break;
                    }
                    before = b;
                }
                if (before == null || t0 - before.ns() > 500_000_000L) {
                    continue;       // offline at the fault
                }
                boolean affected = switch (kind) {
                    case "move" -> m.word(3).equals(e.getKey());
                    case "zk-kill" -> true;
                    default -> m.word(3).equals(before.node());
                };
                if (!affected) {
                    continue;
                }
                for (Beat b : e.getValue()) {
                    if (b.ns() > t0 && b.ns() - t0 < window && b.epoch() > before.epoch()) {
                        r.failoverMs.computeIfAbsent(kind, k -> new ArrayList<>()).add((b.ns() - t0) / 1_000_000);
                        anyMoved = true;
                        break;
                    }
                }
            }
            if (!anyMoved) {
                r.noMove.merge(kind, 1, Integer::sum);
            }
        }
    }

    /** {@code HistoryChecker CONFIG HISTORY [SEED]}: checks, prints, exits 1 on a violation. */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: HistoryChecker CONFIG.yaml HISTORY [SEED]");
            System.exit(2);
        }
        Report r = check(Path.of(args[0]), Path.of(args[1]));
        long seed = args.length > 2 ? Long.parseLong(args[2]) : -1;
        r.print(seed, System.out);
        r.summary(System.out);
        System.exit(r.ok() ? 0 : 1);
    }
}
