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
 *   <li>{@code NS @ WORD ...}: a marker of the harness: {@code start}, {@code fault ID KIND TARGET...}
 *       (kinds include {@code node-kill} and {@code node-crash}), {@code heal ID ...}, {@code quiet} (every
 *       fault healed; the quiet period begins), {@code confirm-offline GROUP} (an operator confirmed a Stuck
 *       group offline), {@code stall MS} (the harness's own wake-up came MS late: the machine stalled),
 *       {@code clock NODE RATE WALLNS [MONONS]} (the node is started now with its clocks faked
 *       by libfaketime: they read WALLNS, the time of day in ns, at the monotonic time MONONS (the line's own
 *       NS where it is left out), and run at RATE; its ownership lines after
 *       this marker, in file order, until its next {@code clock} marker, are on that clock and are put back on
 *       the shared one), {@code end}.</li>
 *   <li>{@code NS ~ NODE EVENT GROUP EPOCH SESSION [DETAIL...]}: an ownership event of a node; GROUP and
 *       EPOCH are {@code -} where they do not apply, SESSION is the ZooKeeper session in hex (or {@code -}).
 *       Events: {@code join}, {@code acquire} (detail: {@code start|move|failover [reason...]}),
 *       {@code online}, {@code offlining} ({@code planned|unplanned [reason...]}), {@code release}
 *       ({@code planned|unplanned}), {@code lost}, {@code lease-stop}, {@code fenced} ({@code MILLIS}),
 *       {@code lease-restart}, {@code stuck}, {@code failed} ({@code [reason...]}, EPOCH may be {@code -}),
 *       {@code withdraw} ({@code [reason...]}: the node gave up an acquisition it never acted on),
 *       {@code placement} ({@code index K SNAPSHOT-JSON}: after each acquire, the snapshot it was decided on),
 *       {@code lease} ({@code FENCEAT TAKEOVERAT}, both in ns), {@code maintenance}
 *       ({@code paused|draining|none}), {@code fence-self} ({@code [reason...]}).</li>
 *   <li>{@code NS ! ok GROUP EPOCH NODE PID} and {@code NS ! stale GROUP EPOCH NODE PID HIGHEST}: a write the
 *       harness's fenced oracle store accepted (its epoch at least the highest it had seen for the group) or
 *       rejected.</li>
 * </ul>
 * Any other line is malformed (a torn or foreign write): counted, and reported as a {@code history} violation.
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
 *   <li><b>I3</b>, fenced effects: a write the oracle accepted for epoch e after some node had logged an
 *       {@code acquire} of the group with e' > e is a stale effect that got through. Rejected writes are the
 *       fence working: counted, not flagged.</li>
 *   <li><b>I4</b>, lease: every line of an incarnation comes after its node's {@code acquire} of it, and
 *       before the TAKEOVERAT of the latest {@code lease} line of the acquiring session; lines past its
 *       FENCEAT (the watchdog's deadline) but before TAKEOVERAT are counted, not flagged.</li>
 *   <li><b>I5</b>, placement (the rule-based part): no incarnation on a node that is not a possible owner of
 *       every resource of its group, and no {@code acquire} by a node whose latest {@code maintenance} event
 *       says {@code paused} or {@code draining}; and every {@code acquire} agrees with the placement rules re-run
 *       on the snapshot its node logged with it ({@code placement}), by the checker's own reading of the
 *       rules ({@link PlacementRules}): the snapshot's nodes and possible owners are the configuration's,
 *       the request was allowed (not a Failed group before its retry, not past the failover threshold, not
 *       an automatic start of a {@code no-auto-start} group), and the node is the candidate it says it was
 *       (a later candidate takes a group only after the earlier ones let it pass).</li>
 *   <li><b>I6</b>, thresholds: at most {@code failover.threshold} {@code acquire ... failover} of a group in
 *       any window of {@code failover.period}, counted afresh after each {@code failed} event of the group; and after a {@code failed} event, no {@code acquire} of kind
 *       {@code start} or {@code failover} (only an operator's {@code move} may bring a Failed group back).</li>
 *   <li><b>I7</b>, liveness: from {@code quiet} + the liveness bound (session timeout + tickTime +
 *       takeover delay + 5 s) to {@code end}, every group that should be online has lines of exactly one
 *       incarnation, with no gap longer than {@link Spec#maxGap()}, up to the end. A
 *       {@code no-auto-start} group should never be online unless the harness moved it (it never does).
 *       A stall of the machine in the quiet period longer than the lease's {@code pauseAllowance} is a fault
 *       nobody injected (every process paused at once: leases may run out and groups fail over, as they
 *       must): the window then begins the liveness bound after the last such stall.
 *       A group Failed when the checked window begins (its latest {@code failed} after its latest
 *       {@code acquire}) need not be online.</li>
 *   <li><b>I8</b>, stuck: after node X logged {@code stuck G E}, no other node acquires G unless X first
 *       logged {@code release G E} or {@code fence-self}, the harness logged {@code confirm-offline G}, or a
 *       {@code node-crash} / {@code node-kill} of X (its session dies with it).</li>
 * </ul>
 * A history without any ownership line (written before nodes logged them) gets I1, I2, I5's possible owners
 * and I7 only, with a note.
 */
public final class HistoryChecker {

    /**
     * What the checker needs from the configuration.
     *
     * @param nodes the cluster's nodes ({@code cluster.nodes}); empty: any node
     * @param rules per group, its resources, stop budget and failover threshold; a group without one is not
     *              checked for I5's possible owners nor I6's threshold
     * @param possibleOwners per resource that names them, its possible owners (a resource not here may run anywhere)
     */
    public record Spec(List<String> groups, Set<String> noAutoStart, Duration lineGap, Duration livenessBound, Duration maxGap,
                       List<String> nodes, Map<String, GroupRule> rules, Map<String, Set<String>> possibleOwners,
                       Duration stallAllowance) {

        /** A group's rules: its resources, its stop budget, and at most {@code failoverThreshold} failovers per {@code failoverPeriod}. */
        public record GroupRule(List<String> resources, Duration stopBudget, int failoverThreshold, Duration failoverPeriod) {}

        /** Groups and timing only: no placement or threshold rules. */
        public Spec(List<String> groups, Set<String> noAutoStart, Duration lineGap, Duration livenessBound, Duration maxGap) {
            this(groups, noAutoStart, lineGap, livenessBound, maxGap, List.of(), Map.of(), Map.of());
        }

        /** With the lease's default pause allowance (300 ms) as the longest stall of the machine that is not a fault. */
        public Spec(List<String> groups, Set<String> noAutoStart, Duration lineGap, Duration livenessBound, Duration maxGap,
                    List<String> nodes, Map<String, GroupRule> rules, Map<String, Set<String>> possibleOwners) {
            this(groups, noAutoStart, lineGap, livenessBound, maxGap, nodes, rules, possibleOwners, Duration.ofMillis(300));
        }

        /**
         * Reads {@code cluster.nodes}, {@code groups[]} ({@code name}, {@code resources}, {@code priority},
         * {@code stopBudget}, {@code failover}), {@code resources[].possibleOwners} and the cluster's timing from
         * a clusworker YAML file.
         */
        @SuppressWarnings("unchecked")
        public static Spec fromConfig(Path yaml) throws IOException {
            Map<String, Object> root = new ObjectMapper(new YAMLFactory()).readValue(yaml.toFile(), Map.class);
            if (root == null) {
                root = Map.of();
            }
            Map<String, Object> cluster = (Map<String, Object>) orEmpty(root.get("cluster"), Map.of());
            List<String> nodes = strings(cluster.get("nodes"));
            List<String> groups = new ArrayList<>();
            Set<String> manual = new LinkedHashSet<>();
            Map<String, GroupRule> rules = new LinkedHashMap<>();
            for (Object o : (List<Object>) orEmpty(root.get("groups"), List.of())) {
                Map<String, Object> g = (Map<String, Object>) o;
                String name = String.valueOf(g.get("name"));
                groups.add(name);
                if ("no-auto-start".equals(String.valueOf(g.get("priority")))) {
                    manual.add(name);
                }
                Map<String, Object> failover = (Map<String, Object>) orEmpty(g.get("failover"), Map.of());
                int threshold = Math.max(0, nodes.size() - 1);
                Object t = failover.get("threshold");
                if (t instanceof Number n) {
                    threshold = n.intValue();
                } else if (t != null && String.valueOf(t).trim().matches("[0-9]+")) {
                    threshold = Integer.parseInt(String.valueOf(t).trim());
                }       // "auto" or absent: the default
                rules.put(name, new GroupRule(strings(g.get("resources")), duration(orEmpty(g.get("stopBudget"), "5s")), threshold,
                        duration(orEmpty(failover.get("period"), "6h"))));
            }
            Map<String, Set<String>> owners = new LinkedHashMap<>();
            for (Object o : (List<Object>) orEmpty(root.get("resources"), List.of())) {
                Map<String, Object> res = (Map<String, Object>) o;
                if (res.get("possibleOwners") != null) {
                    owners.put(String.valueOf(res.get("name")), new LinkedHashSet<>(strings(res.get("possibleOwners"))));
                }
            }
            Map<String, Object> zk = (Map<String, Object>) orEmpty(cluster.get("zookeeper"), Map.of());
            Map<String, Object> lease = (Map<String, Object>) orEmpty(cluster.get("lease"), Map.of());
            Duration session = duration(zk.getOrDefault("sessionTimeout", "15s"));
            Duration tick = duration(zk.getOrDefault("tickTime", "2s"));
            Duration takeover = duration(lease.getOrDefault("takeoverDelay", "1s"));
            Duration bound = session.plus(tick).plus(takeover).plusSeconds(5);
            Duration pause = duration(lease.getOrDefault("pauseAllowance", "300ms"));
            return new Spec(groups, manual, Duration.ofMillis(50), bound, Duration.ofSeconds(1), nodes, rules, owners, pause);
        }

        private static Object orEmpty(Object v, Object dflt) {
            return v == null ? dflt : v;
        }

        private static List<String> strings(Object v) {
            List<String> l = new ArrayList<>();
            if (v instanceof List<?> list) {
                list.forEach(x -> l.add(String.valueOf(x)));
            }
            return l;
        }

        /** {@code 200ms}, {@code 3s}, {@code 1.5s}, {@code 15m}, {@code 6h}. */
        static Duration duration(Object v) {
            String s = String.valueOf(v).trim();
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            if (s.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            }
            if (s.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 60_000));
            }
            if (s.endsWith("h")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 3_600_000));
            }
            throw new IllegalArgumentException("not a duration: " + s);
        }

        /** Whether {@code node} is a cluster node and a possible owner of every resource of {@code group}. */
        boolean mayRun(String group, String node) {
            if (!nodes.isEmpty() && !nodes.contains(node)) {
                return false;
            }
            GroupRule rule = rules.get(group);
            if (rule == null) {
                return true;
            }
            for (String res : rule.resources()) {
                Set<String> allowed = possibleOwners.get(res);
                if (allowed != null && !allowed.contains(node)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A line of the history, with its time. */
    public sealed interface Event permits Beat, Marker, Own, Oracle {
        long ns();
    }

    /** One heartbeat line. */
    public record Beat(long ns, String group, String node, long epoch, long pid, boolean bindFail) implements Event {
        String incarnation() {
            return node + "/" + epoch;
        }
    }

    /** One marker of the harness. */
    public record Marker(long ns, List<String> words) implements Event {
        String word(int i) {
            return i < words.size() ? words.get(i) : "";
        }
    }

    /** No epoch ({@code -} in an ownership line). */
    static final long NO_EPOCH = -1;

    /** One ownership event of a node; {@code group} is {@code -} and {@code epoch} {@link #NO_EPOCH} where they do not apply. */
    public record Own(long ns, String node, String event, String group, long epoch, String session, List<String> detail) implements Event {
        String word(int i) {
            return i < detail.size() ? detail.get(i) : "";
        }

        /** A {@code lease} line's FENCEAT. */
        long fenceAt() {
            return Long.parseLong(detail.get(0));
        }

        /** A {@code lease} line's TAKEOVERAT. */
        long takeoverAt() {
            return Long.parseLong(detail.get(1));
        }

        String text() {
            if (event.equals("placement") && detail.size() == 3) {
                String request = PlacementRules.request(detail.get(2), group);
                return "~ " + node + " placement " + group + " " + epoch + " " + session + " index " + word(1) + " of " + request;
            }
            return "~ " + node + " " + event + " " + group + " " + (epoch == NO_EPOCH ? "-" : Long.toString(epoch)) + " " + session
                    + (detail.isEmpty() ? "" : " " + String.join(" ", detail));
        }
    }

    /** One write the fenced oracle store got: accepted ({@code ok}) or rejected ({@code highest} it had seen; -1 when accepted). */
    public record Oracle(long ns, boolean ok, String group, long epoch, String node, long pid, long highest) implements Event {}

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
        /**
         * The longest time a group that should have been online had no line, from {@code start} to
         * {@code end} (a no-auto-start group, and a group while Failed, excluded): ms, and which group when.
         */
        public long longestOfflineMs;
        public String longestOffline = "";
        /** Per fault kind: faults after which no affected group changed owner within the window. */
        public final Map<String, Integer> noMove = new TreeMap<>();
        /** Per fault kind: how many were injected. */
        public final Map<String, Integer> faults = new TreeMap<>();
        /** Writes the oracle store accepted, and rejected (an old writer fenced: the fence working, not a violation). */
        public int oracleAccepted;
        public int oracleRejected;
        /** Heartbeats past their session's FENCEAT but before its TAKEOVERAT (I4 holds), and the latest of them past FENCEAT. */
        public int linesPastFence;
        public long maxPastFenceMs;
        /** Acquisitions re-placed on their logged snapshots (I5), and of those, how many went to a later candidate. */
        public int placementsChecked;
        public int placementFallbacks;
        /**
         * The longest stall of the machine in the quiet period past the lease's pause allowance (a fault nobody
         * injected: every process paused at once, as if each node were stopped), ms; 0 if none. I7's window
         * begins the liveness bound after the last such stall.
         */
        public long quietStallMs;
        /** Whether I7 was judged: false when the quiet period (after its last stall past the allowance) was too short, or had no markers. */
        public boolean livenessChecked;
        /** Per group: its {@code acquire ... failover} events. */
        public final Map<String, Integer> failoverAcquires = new TreeMap<>();
        final List<Beat> beats;
        final List<Marker> markers;
        final List<Own> ownership;
        final List<Oracle> oracle;
        final long origin;

        Report(List<Beat> beats, List<Marker> markers, List<Own> ownership, List<Oracle> oracle) {
            this.beats = beats;
            this.markers = markers;
            this.ownership = ownership;
            this.oracle = oracle;
            long o = Long.MAX_VALUE;
            for (List<? extends Event> l : List.of(beats, markers, ownership, oracle)) {
                for (Event e : l) {
                    o = Math.min(o, e.ns());
                }
            }
            this.origin = o == Long.MAX_VALUE ? 0 : o;
        }

        public boolean ok() {
            return violations.isEmpty();
        }

        /** The longest stall of the machine the harness saw ({@code stall MS} markers): 0 if none reached its threshold. */
        public long maxStallMs() {
            return markers.stream().filter(m -> m.word(0).equals("stall")).mapToLong(m -> Long.parseLong(m.word(1))).max().orElse(0);
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
                long stall = markers.stream().filter(m -> m.word(0).equals("stall") && Math.abs(m.ns() - v.ns()) <= 3_000_000_000L)
                        .mapToLong(m -> Long.parseLong(m.word(1))).max().orElse(0);
                if (stall > 0) {
                    out.printf("  the machine stalled: the harness's own wake-ups came up to %d ms late within 3 s of it%n", stall);
                }
                timeline(v.group(), v.ns(), out);
            }
        }

        /**
         * The group's lines, ownership events and oracle writes, every marker, and the nodes' {@code join},
         * {@code maintenance} and {@code fence-self} events (not their {@code lease} lines: too many) within 1.5 s
         * of {@code ns}; runs of one process's lines, and of one writer's accepted writes, collapsed.
         */
        void timeline(String group, long ns, PrintStream out) {
            long from = ns - 1_500_000_000L;
            long to = ns + 1_500_000_000L;
            List<Event> events = new ArrayList<>();
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
            for (Own o : ownership) {
                boolean nodeEvent = o.event().equals("join") || o.event().equals("maintenance") || o.event().equals("fence-self");
                if ((nodeEvent || o.group().equals(group) && !o.event().equals("lease")) && o.ns() >= from && o.ns() <= to) {
                    events.add(o);
                }
            }
            for (Oracle w : oracle) {
                if (w.group().equals(group) && w.ns() >= from && w.ns() <= to) {
                    events.add(w);
                }
            }
            events.sort(Comparator.comparingLong(Event::ns));
            out.printf("  timeline of %s, t in s (runs of one process's lines, and of one writer's accepted writes, shown by their first and last):%n", group);
            int i = 0;
            while (i < events.size()) {
                Event e = events.get(i);
                if (e instanceof Marker m) {
                    out.printf("    %s  @ %s%n", at(m.ns()), String.join(" ", m.words()));
                    i++;
                    continue;
                }
                if (e instanceof Own o) {
                    out.printf("    %s  %s%n", at(o.ns()), o.text());
                    i++;
                    continue;
                }
                int j = i;
                while (j + 1 < events.size() && sameRun(e, events.get(j + 1))) {
                    j++;
                }
                String what = switch (e) {
                    case Beat first -> String.format("%s node %s epoch %d pid %d%s", first.group(), first.node(), first.epoch(), first.pid(),
                            first.bindFail() ? " BINDFAIL" : "");
                    case Oracle w -> String.format("! oracle %s %s epoch %d from node %s pid %d%s", w.ok() ? "accepted" : "REJECTED", w.group(),
                            w.epoch(), w.node(), w.pid(), w.ok() ? "" : " (highest " + w.highest() + ")");
                    default -> e.toString();
                };
                if (j == i) {
                    out.printf("    %s  %s%n", at(e.ns()), what);
                } else {
                    out.printf("    %s .. %s  %s (%d lines)%n", at(e.ns()), at(events.get(j).ns()).trim(), what, j - i + 1);
                }
                i = j + 1;
            }
        }

        /** Whether {@code next} continues the run {@code first} began: the same process's lines, or the same writer's accepted writes. */
        private static boolean sameRun(Event first, Event next) {
            if (first instanceof Beat a && next instanceof Beat b) {
                return a.pid() == b.pid() && a.bindFail() == b.bindFail();
            }
            if (first instanceof Oracle a && next instanceof Oracle b) {
                return a.ok() && b.ok() && a.pid() == b.pid() && a.epoch() == b.epoch() && a.node().equals(b.node());
            }
            return false;
        }

        /** One paragraph: counts, and failover times per fault kind. */
        public void summary(PrintStream out) {
            out.printf(Locale.ROOT, "checker: longest time a group that should be online had no line: %d ms (%s)%n", longestOfflineMs, longestOffline);
            out.printf("checker: %d violations; %d handovers, %d of them within one line period (unresolvable by lines)%n",
                    violations.size(), handovers, unresolvedHandovers);
            for (String n : notes) {
                out.println("checker: note: " + n);
            }
            out.printf(Locale.ROOT, "checker: oracle writes: %d accepted, %d rejected as stale (old writers fenced); %d lines past FENCEAT"
                    + " before TAKEOVERAT (latest %d ms past it)%n", oracleAccepted, oracleRejected, linesPastFence, maxPastFenceMs);
            if (!failoverAcquires.isEmpty()) {
                out.println("checker: failover acquires per group: " + failoverAcquires);
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
        List<Own> ownership = new ArrayList<>();
        List<Oracle> oracle = new ArrayList<>();
        int malformed = 0;
        Map<String, FakeClock> clocks = new HashMap<>();
        for (String l : lines) {
            String[] w = l.trim().split("\\s+");
            try {
                if (w.length >= 2 && w[1].equals("@")) {
                    Marker m = new Marker(Long.parseLong(w[0]), List.of(w).subList(2, w.length));
                    markers.add(m);
                    if (m.word(0).equals("clock") && (m.words().size() == 4 || m.words().size() == 5)) {
                        double rate = Double.parseDouble(m.word(2));
                        if (rate == 1) {
                            clocks.remove(m.word(1));
                        } else {
                            // the monotonic time read with the time of day; histories before it have only the line's own
                            long at = m.words().size() == 5 ? Long.parseLong(m.word(4)) : m.ns();
                            clocks.put(m.word(1), new FakeClock(at, Long.parseLong(m.word(3)), rate));
                        }
                    }
                } else if (w.length >= 2 && w[1].equals("~")) {
                    Own o = ownership(w);
                    if (o != null && clocks.containsKey(o.node())) {
                        o = clocks.get(o.node()).real(o);
                    }
                    if (o != null && o.event().equals("placement")) {
                        // its snapshot is JSON: kept as written, not as words
                        o = new Own(o.ns(), o.node(), o.event(), o.group(), o.epoch(), o.session(),
                                List.of(o.word(0), o.word(1), l.substring(l.indexOf('{')).trim()));
                    }
                    if (o == null) {
                        malformed++;
                    } else {
                        ownership.add(o);
                    }
                } else if (w.length >= 2 && w[1].equals("!")) {
                    Oracle o = oracle(w);
                    if (o == null) {
                        malformed++;
                    } else {
                        oracle.add(o);
                    }
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
        ownership.sort(Comparator.comparingLong(Own::ns));
        oracle.sort(Comparator.comparingLong(Oracle::ns));
        Report r = new Report(beats, markers, ownership, oracle);
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
        Set<String> unknown = new LinkedHashSet<>();
        for (Own o : ownership) {
            if (!o.group().equals("-") && !spec.groups().contains(o.group()) && unknown.add(o.group())) {
                r.violations.add(new Violation("history", o.group(), o.ns(), "an ownership event of a group the configuration does not have"));
            }
        }
        for (Oracle w : oracle) {
            if (!spec.groups().contains(w.group()) && unknown.add(w.group())) {
                r.violations.add(new Violation("history", w.group(), w.ns(), "an oracle write of a group the configuration does not have"));
            }
        }
        for (var e : byGroup.entrySet()) {
            mutualExclusion(spec, e.getKey(), e.getValue(), r);
            epochs(e.getKey(), e.getValue(), r);
        }
        r.oracleAccepted = (int) oracle.stream().filter(Oracle::ok).count();
        r.oracleRejected = oracle.size() - r.oracleAccepted;
        possibleOwners(spec, beats, ownership, r);
        if (ownership.isEmpty()) {
            r.notes.add("no ownership events: I3-I6, I8 not checked (of I5, only possible owners)");
        } else {
            fencedEffects(ownership, oracle, r);
            lease(beats, ownership, r);
            maintenance(ownership, r);
            placements(spec, ownership, r);
            thresholds(spec, ownership, r);
            stuck(ownership, markers, r);
            fenceTimes(spec, ownership, r);
        }
        if (r.oracleRejected > 0) {
            r.notes.add("the oracle store rejected " + r.oracleRejected + " stale writes (old writers fenced)");
        }
        liveness(spec, byGroup, markers, ownership, r);
        failovers(byGroup, markers, r);
        longestOffline(spec, byGroup, markers, ownership, r);
        return r;
    }

    /**
     * The longest gap in a group's lines between the {@code start} and {@code end} markers, for every group
     * that should be online: not no-auto-start, and not a gap that a {@code failed} event of the group
     * falls into (a Failed group stays offline by design).
     */
    private static void longestOffline(Spec spec, Map<String, List<Beat>> byGroup, List<Marker> markers, List<Own> ownership, Report r) {
        long from = markers.stream().filter(m -> m.word(0).equals("start")).mapToLong(Marker::ns).findFirst().orElse(Long.MIN_VALUE);
        long to = markers.stream().filter(m -> m.word(0).equals("end")).mapToLong(Marker::ns).findFirst().orElse(Long.MIN_VALUE);
        if (from == Long.MIN_VALUE || to == Long.MIN_VALUE) {
            return;
        }
        for (var e : byGroup.entrySet()) {
            String g = e.getKey();
            if (spec.noAutoStart().contains(g)) {
                continue;
            }
            List<Long> failed = ownership.stream().filter(o -> o.event().equals("failed") && o.group().equals(g)).map(Own::ns).toList();
            long prev = from;
            List<Long> times = new ArrayList<>(e.getValue().stream().mapToLong(Beat::ns).filter(t -> t > from && t < to).boxed().toList());
            times.add(to);
            for (long t : times) {
                long a = prev;
                if (t - a > r.longestOfflineMs * 1_000_000L && failed.stream().noneMatch(f -> f >= a && f <= t)) {
                    r.longestOfflineMs = (t - a) / 1_000_000L;
                    r.longestOffline = String.format(Locale.ROOT, "%s from t=%ss", g, r.at(a).trim());
                }
                prev = t;
            }
        }
    }

    /** Group events: their GROUP and EPOCH are required (a {@code failed} event's EPOCH may be {@code -}). */
    private static final Set<String> GROUP_EVENTS = Set.of("acquire", "online", "offlining", "release", "lost", "lease-stop", "fenced",
            "lease-restart", "stuck", "failed", "placement", "withdraw");
    /** Node events: their GROUP and EPOCH are {@code -}. */
    private static final Set<String> NODE_EVENTS = Set.of("join", "lease", "maintenance", "fence-self");

    /** {@code NS ~ NODE EVENT GROUP EPOCH SESSION [DETAIL...]}, or null if it is not a well-formed one. */
    private static Own ownership(String[] w) {
        if (w.length < 7) {
            return null;
        }
        long ns = Long.parseLong(w[0]);
        String event = w[3];
        String group = w[4];
        String session = w[6];
        List<String> detail = List.of(w).subList(7, w.length);
        if (!session.equals("-") && !session.matches("(0x)?[0-9a-fA-F]+")) {
            return null;
        }
        long epoch;
        if (NODE_EVENTS.contains(event)) {
            if (!group.equals("-") || !w[5].equals("-")) {
                return null;
            }
            epoch = NO_EPOCH;
        } else if (GROUP_EVENTS.contains(event)) {
            if (group.equals("-")) {
                return null;
            }
            if (w[5].equals("-") && event.equals("failed")) {
                epoch = NO_EPOCH;
            } else {
                epoch = Long.parseLong(w[5]);
                if (epoch < 0) {
                    return null;
                }
            }
        } else {
            return null;
        }
        int d = detail.size();
        String first = d > 0 ? detail.get(0) : "";
        boolean ok = switch (event) {
            case "join", "online", "lease-stop", "lease-restart" -> d == 0;
            case "lost", "stuck" -> true;      // what it found, which resources
            case "acquire" -> d >= 1 && Set.of("start", "move", "failover").contains(first);
            case "offlining" -> d >= 1 && Set.of("planned", "unplanned").contains(first);
            case "release" -> d == 1 && Set.of("planned", "unplanned").contains(first);
            case "fenced" -> d == 1 && Long.parseLong(first) >= 0;
            case "lease" -> d == 2 && Long.parseLong(detail.get(0)) >= 0 && Long.parseLong(detail.get(1)) >= 0;
            case "maintenance" -> d == 1 && Set.of("paused", "draining", "none").contains(first);
            case "placement" -> d >= 3 && first.equals("index") && detail.get(1).matches("[0-9]+") && detail.get(2).startsWith("{");
            default -> true;        // failed, fence-self: any reason
        };
        return ok ? new Own(ns, w[2], event, group, epoch, session, detail) : null;
    }

    /**
     * The clock of a node started under libfaketime at {@code rate} ({@code @ clock NODE RATE WALLNS}): it read
     * the real time of day {@code wallNs} when the harness's monotonic clock read {@code startNs}, and runs at
     * {@code rate} from there. Lines its node writes in file order after the marker (until the next one) are put
     * back on the shared clock.
     */
    record FakeClock(long startNs, long wallNs, double rate) {
        long real(long faked) {
            return startNs + Math.round((faked - wallNs) / rate);
        }

        Own real(Own o) {
            List<String> detail = o.detail();
            if (o.event().equals("lease") && detail.size() == 2) {
                detail = List.of(Long.toString(real(Long.parseLong(detail.get(0)))), Long.toString(real(Long.parseLong(detail.get(1)))));
            } else if (o.event().equals("fenced") && detail.size() == 1) {
                detail = List.of(Long.toString(Math.round(Long.parseLong(detail.get(0)) / rate)));
            }
            return new Own(real(o.ns()), o.node(), o.event(), o.group(), o.epoch(), o.session(), detail);
        }
    }

    /** {@code NS ! ok GROUP EPOCH NODE PID} or {@code NS ! stale GROUP EPOCH NODE PID HIGHEST}, or null. */
    private static Oracle oracle(String[] w) {
        if (w.length == 7 && w[2].equals("ok")) {
            return new Oracle(Long.parseLong(w[0]), true, w[3], Long.parseLong(w[4]), w[5], Long.parseLong(w[6]), -1);
        }
        if (w.length == 8 && w[2].equals("stale")) {
            return new Oracle(Long.parseLong(w[0]), false, w[3], Long.parseLong(w[4]), w[5], Long.parseLong(w[6]), Long.parseLong(w[7]));
        }
        return null;
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

    private static void liveness(Spec spec, Map<String, List<Beat>> byGroup, List<Marker> markers, List<Own> ownership, Report r) {
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
        // a stall of the machine past the lease's pause allowance in the quiet period is a fault of its own (every
        // process paused at once: leases may run out, groups fail over, as they must): the window begins after it
        long settled = quiet;
        for (Marker m : markers) {
            if (!m.word(0).equals("stall") || m.ns() <= quiet || m.ns() > end) {
                continue;
            }
            long ms = Long.parseLong(m.word(1));
            if (ms > spec.stallAllowance().toMillis()) {
                settled = Math.max(settled, m.ns());
                r.quietStallMs = Math.max(r.quietStallMs, ms);
            }
        }
        long from = settled + spec.livenessBound().toNanos();
        String window = String.format(Locale.ROOT, "from quiet + %.1f s to the end", spec.livenessBound().toMillis() / 1e3);
        if (settled > quiet) {
            window = String.format(Locale.ROOT, "from the quiet period's last stall of the machine (t=%ss) + %.1f s to the end",
                    r.at(settled).trim(), spec.livenessBound().toMillis() / 1e3);
            r.notes.add(String.format(Locale.ROOT, "I7: the machine stalled up to %d ms in the quiet period, past the lease's pause allowance"
                    + " of %d ms (a fault nobody injected), last at t=%ss: I7 is checked from the liveness bound after it",
                    r.quietStallMs, spec.stallAllowance().toMillis(), r.at(settled).trim()));
        }
        if (from >= end) {
            r.notes.add("the quiet period (after its last stall of the machine) is shorter than the liveness bound "
                    + spec.livenessBound().toMillis() + " ms: I7 not checked");
            return;
        }
        r.livenessChecked = true;
        long maxGap = spec.maxGap().toNanos();
        Set<String> failed = failedAt(ownership, from);
        for (var e : byGroup.entrySet()) {
            String g = e.getKey();
            if (spec.noAutoStart().contains(g) && !moved.contains(g)) {
                continue;
            }
            if (failed.contains(g)) {
                r.notes.add("group " + g + " is Failed (its latest 'failed' after its latest 'acquire') when the quiet period's check begins:"
                        + " its liveness is not checked");
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
            if (owners.size() != 1) {
                r.violations.add(new Violation("I7", g, from, (owners.isEmpty() ? "offline" : "online as " + owners.size() + " incarnations " + owners) + " " + window));
            } else if (worst > maxGap) {
                r.violations.add(new Violation("I7", g, worstAt, String.format(Locale.ROOT, "a gap of %.3f s in its lines %s (%s)", worst / 1e9, window, owners)));
            }
        }
    }

    /**
     * The groups Failed at {@code ns}: their latest {@code failed} event at or before it comes after their latest {@code acquire}.
     * Judged when the checked window begins (quiet + the liveness bound), not at {@code quiet} itself: a group may pass its
     * failover threshold while the cluster settles from the last fault.
     */
    private static Set<String> failedAt(List<Own> ownership, long ns) {
        Map<String, String> last = new HashMap<>();
        for (Own o : ownership) {
            if (o.ns() > ns) {
                break;
            }
            if (o.event().equals("failed") || o.event().equals("acquire")) {
                last.put(o.group(), o.event());
            }
        }
        Set<String> failed = new LinkedHashSet<>();
        last.forEach((g, ev) -> {
            if (ev.equals("failed")) {
                failed.add(g);
            }
        });
        return failed;
    }

    /** Findings on one key (an incarnation), folded into one violation: its first offending line and how many there were. */
    private static final class Finding {
        final String invariant;
        final String group;
        final long ns;
        final String message;
        int lines;

        Finding(String invariant, String group, long ns, String message) {
            this.invariant = invariant;
            this.group = group;
            this.ns = ns;
            this.message = message;
        }
    }

    private static void note(Map<String, Finding> findings, String key, String invariant, String group, long ns, String message) {
        findings.computeIfAbsent(key, k -> new Finding(invariant, group, ns, message)).lines++;
    }

    private static void report(Map<String, Finding> findings, Report r) {
        for (Finding f : findings.values()) {
            r.violations.add(new Violation(f.invariant, f.group, f.ns, f.message + (f.lines > 1 ? " (" + f.lines + " lines)" : "")));
        }
    }

    /** The events of {@code ownership} named {@code event}, by {@code key}, in order of time. */
    private static Map<String, List<Own>> index(List<Own> ownership, String event, java.util.function.Function<Own, String> key) {
        Map<String, List<Own>> m = new HashMap<>();
        for (Own o : ownership) {
            if (o.event().equals(event)) {
                m.computeIfAbsent(key.apply(o), k -> new ArrayList<>()).add(o);
            }
        }
        return m;
    }

    /** The last of {@code sorted} at or before {@code ns} (or strictly before), or null. */
    private static Own latest(List<Own> sorted, long ns, boolean strictly) {
        int lo = 0;
        int hi = sorted.size();      // the first index past ns
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long t = sorted.get(mid).ns();
            if (strictly ? t < ns : t <= ns) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? null : sorted.get(lo - 1);
    }

    /** I5, the rule part: no incarnation (its lines or its acquire) on a node that may not run every resource of its group. */
    private static void possibleOwners(Spec spec, List<Beat> beats, List<Own> ownership, Report r) {
        Map<String, Finding> findings = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>(beats);
        ownership.stream().filter(o -> o.event().equals("acquire")).forEach(events::add);
        events.sort(Comparator.comparingLong(Event::ns));
        for (Event e : events) {
            String group = e instanceof Beat b ? b.group() : ((Own) e).group();
            String node = e instanceof Beat b ? b.node() : ((Own) e).node();
            long epoch = e instanceof Beat b ? b.epoch() : ((Own) e).epoch();
            if (!spec.mayRun(group, node)) {
                Spec.GroupRule rule = spec.rules().get(group);
                String why = !spec.nodes().isEmpty() && !spec.nodes().contains(node) ? "which is not a node of the cluster " + spec.nodes()
                        : "which is not a possible owner of every resource of the group " + (rule == null ? "" : rule.resources());
                note(findings, group + "/" + node + "/" + epoch, "I5", group, e.ns(), "incarnation " + node + "/" + epoch + " of " + group
                        + " on node " + node + ", " + why + (e instanceof Own ? ": acquired there" : ": a line there"));
            }
        }
        report(findings, r);
    }

    /** I3: a write the oracle accepted for an epoch older than one some node had already acquired. */
    private static void fencedEffects(List<Own> ownership, List<Oracle> oracle, Report r) {
        Map<String, List<Own>> acquires = index(ownership, "acquire", Own::group);
        for (Oracle w : oracle) {
            if (!w.ok()) {
                continue;
            }
            Own newer = null;
            for (Own a : acquires.getOrDefault(w.group(), List.of())) {
                if (a.ns() >= w.ns()) {
                    break;
                }
                if (a.epoch() > w.epoch() && (newer == null || a.epoch() > newer.epoch())) {
                    newer = a;
                }
            }
            if (newer != null) {
                r.violations.add(new Violation("I3", w.group(), w.ns(), "the oracle accepted a write of epoch " + w.epoch() + " from node "
                        + w.node() + " pid " + w.pid() + " after node " + newer.node() + " acquired epoch " + newer.epoch() + " at "
                        + r.at(newer.ns()).trim() + " s: a stale effect got through the fence"));
            }
        }
    }

    /**
     * I4: every line of an incarnation comes after its node acquired it, and no later than the TAKEOVERAT of the latest lease
     * its acquiring session had probed; between FENCEAT and TAKEOVERAT it is counted (the watchdog was late, nobody could
     * have started the group yet).
     */
    private static void lease(List<Beat> beats, List<Own> ownership, Report r) {
        Map<String, List<Own>> acquires = index(ownership, "acquire", o -> o.node() + "/" + o.group() + "/" + o.epoch());
        Map<String, List<Own>> leases = index(ownership, "lease", o -> o.node() + "/" + o.session());
        Map<String, Finding> findings = new LinkedHashMap<>();
        for (Beat b : beats) {
            String inc = b.incarnation() + " of " + b.group();
            List<Own> acq = acquires.getOrDefault(b.node() + "/" + b.group() + "/" + b.epoch(), List.of());
            Own a = latest(acq, b.ns(), false);
            if (a == null) {
                note(findings, b.group() + "/" + b.incarnation(), "I4", b.group(), b.ns(), acq.isEmpty()
                        ? "a line of an incarnation its node never acquired: " + inc
                        : "a line of " + inc + " before its node acquired it (at " + r.at(acq.get(0).ns()).trim() + " s)");
                continue;
            }
            Own l = latest(leases.getOrDefault(b.node() + "/" + a.session(), List.of()), b.ns(), false);
            if (l == null) {
                note(findings, b.group() + "/" + b.incarnation() + "/lease", "I4", b.group(), b.ns(), "a line of " + inc
                        + " with no lease of its session " + a.session() + " before it");
            } else if (b.ns() > l.takeoverAt()) {
                note(findings, b.group() + "/" + b.incarnation() + "/lease", "I4", b.group(), b.ns(), String.format(Locale.ROOT,
                        "a line of %s %.3f s past its session %s's TAKEOVERAT (lease of %s s): alive when another node may start it",
                        inc, (b.ns() - l.takeoverAt()) / 1e9, a.session(), r.at(l.ns()).trim()));
            } else if (b.ns() > l.fenceAt()) {
                r.linesPastFence++;
                r.maxPastFenceMs = Math.max(r.maxPastFenceMs, (b.ns() - l.fenceAt()) / 1_000_000);
            }
        }
        report(findings, r);
    }

    /**
     * I5, the placement rules: every {@code acquire} has its {@code placement} line (when the history has any: a node that logs
     * one logs one per acquire), whose snapshot agrees with the configuration, and on which the checker's own reading of the
     * rules ({@link PlacementRules}) makes the node the candidate it says it was.
     */
    private static void placements(Spec spec, List<Own> ownership, Report r) {
        Map<String, List<Own>> logged = index(ownership, "placement", o -> o.node() + "/" + o.group() + "/" + o.epoch() + "/" + o.session());
        if (logged.isEmpty()) {
            r.notes.add("no placement lines: I5's re-run of the placement rules not checked");
            return;
        }
        ObjectMapper json = new ObjectMapper();
        for (Own a : ownership) {
            if (!a.event().equals("acquire")) {
                continue;
            }
            List<Own> p = logged.getOrDefault(a.node() + "/" + a.group() + "/" + a.epoch() + "/" + a.session(), List.of());
            if (p.isEmpty()) {
                // written just after the acquire, by the same thread: missing only if the node's JVM ended in between
                boolean livedOn = ownership.stream().anyMatch(o -> o.node().equals(a.node()) && o.session().equals(a.session())
                        && o.ns() > a.ns() + 1_000_000_000L);
                if (livedOn) {
                    r.violations.add(new Violation("I5", a.group(), a.ns(), "node " + a.node() + " acquired " + a.group() + " epoch " + a.epoch()
                            + " without a placement line: the decision cannot be checked"));
                } else {
                    r.notes.add("node " + a.node() + " acquired " + a.group() + " epoch " + a.epoch()
                            + " and ended before it logged the placement: not re-placed");
                }
                continue;
            }
            Own placed = p.getFirst();
            com.fasterxml.jackson.databind.JsonNode snapshot;
            try {
                snapshot = json.readTree(placed.word(2));
            } catch (IOException e) {
                r.violations.add(new Violation("history", a.group(), placed.ns(), "a placement line whose snapshot is not JSON: " + e.getMessage()));
                continue;
            }
            String wrong = PlacementRules.disagrees(spec, snapshot, a.group());
            if (wrong == null) {
                wrong = PlacementRules.judge(snapshot, a.group(), a.node(), Integer.parseInt(placed.word(1)));
            }
            r.placementsChecked++;
            if (Integer.parseInt(placed.word(1)) > 0) {
                r.placementFallbacks++;
            }
            if (wrong != null) {
                r.violations.add(new Violation("I5", a.group(), a.ns(), "node " + a.node() + " acquired " + a.group() + " epoch " + a.epoch()
                        + " (" + PlacementRules.request(placed.word(2), a.group()) + ") against the placement rules: " + wrong));
            }
        }
        r.notes.add("I5: " + r.placementsChecked + " acquisitions re-placed on their logged snapshots ("
                + r.placementFallbacks + " by a later candidate after the earlier ones let it pass)");
    }

    /** I5, maintenance: no {@code acquire} by a node whose own latest {@code maintenance} event says paused or draining. */
    private static void maintenance(List<Own> ownership, Report r) {
        Map<String, String> state = new HashMap<>();
        for (Own o : ownership) {
            if (o.event().equals("maintenance")) {
                state.put(o.node(), o.word(0));
            } else if (o.event().equals("acquire") && !state.getOrDefault(o.node(), "none").equals("none")) {
                r.violations.add(new Violation("I5", o.group(), o.ns(), "node " + o.node() + " acquired " + o.group() + " epoch " + o.epoch()
                        + " (" + o.word(0) + ") while " + state.get(o.node())));
            }
        }
    }

    /**
     * I6: at most {@code failover.threshold} failover acquires of a group in any window of {@code failover.period}; and no
     * {@code start} or {@code failover} acquire of a Failed group (an operator's {@code move} may bring it back).
     */
    private static void thresholds(Spec spec, List<Own> ownership, Report r) {
        Map<String, List<Long>> failovers = new LinkedHashMap<>();
        Set<String> failed = new LinkedHashSet<>();
        Set<String> flagged = new LinkedHashSet<>();
        for (Own o : ownership) {
            if (o.event().equals("failed")) {
                failed.add(o.group());
                // the window counts afresh from when the group went Failed (CLUSTER.md §1.4: a retry, or an
                // operator's move that brings it back, starts a new count)
                failovers.remove(o.group());
                continue;
            }
            if (!o.event().equals("acquire")) {
                continue;
            }
            String kind = o.word(0);
            if (failed.contains(o.group()) && !kind.equals("move")) {
                r.violations.add(new Violation("I6", o.group(), o.ns(), "a Failed group started again without an operator: node " + o.node()
                        + " acquired it (" + kind + ") with epoch " + o.epoch()));
            }
            if (kind.equals("move")) {
                failed.remove(o.group());
            }
            if (!kind.equals("failover")) {
                continue;
            }
            r.failoverAcquires.merge(o.group(), 1, Integer::sum);
            List<Long> times = failovers.computeIfAbsent(o.group(), k -> new ArrayList<>());
            times.add(o.ns());
            Spec.GroupRule rule = spec.rules().get(o.group());
            if (rule == null || flagged.contains(o.group())) {
                continue;
            }
            long period = rule.failoverPeriod().toNanos();
            int inWindow = 0;
            for (long t : times) {
                if (o.ns() - t < period) {
                    inWindow++;
                }
            }
            if (inWindow > rule.failoverThreshold()) {
                flagged.add(o.group());
                r.violations.add(new Violation("I6", o.group(), o.ns(), inWindow + " failovers within " + rule.failoverPeriod()
                        + " (the last by node " + o.node() + ", epoch " + o.epoch() + "): its threshold is " + rule.failoverThreshold()));
            }
        }
    }

    /**
     * I8: after node X logged {@code stuck G E}, another node's {@code acquire G} needs, in between, X's {@code release G E} or
     * {@code fence-self}, the harness's {@code confirm-offline G}, or a {@code node-crash} or {@code node-kill} of X.
     */
    private static void stuck(List<Own> ownership, List<Marker> markers, Report r) {
        List<Event> events = new ArrayList<>(ownership);
        events.addAll(markers);
        events.sort(Comparator.comparingLong(Event::ns));
        Map<String, Map<String, Own>> pending = new HashMap<>();       // group -> node -> its stuck event
        for (Event e : events) {
            if (e instanceof Marker m) {
                if (m.word(0).equals("confirm-offline")) {
                    pending.remove(m.word(1));
                } else if (m.word(0).equals("fault") && (m.word(2).equals("node-crash") || m.word(2).equals("node-kill"))) {
                    pending.values().forEach(p -> p.remove(m.word(3)));
                }
                continue;
            }
            Own o = (Own) e;
            switch (o.event()) {
                case "stuck" -> pending.computeIfAbsent(o.group(), k -> new LinkedHashMap<>()).put(o.node(), o);
                case "release" -> {
                    Map<String, Own> p = pending.getOrDefault(o.group(), Map.of());
                    Own s = p.get(o.node());
                    if (s != null && s.epoch() == o.epoch()) {
                        p.remove(o.node());
                    }
                }
                case "fence-self" -> pending.values().forEach(p -> p.remove(o.node()));
                case "acquire" -> {
                    Map<String, Own> p = pending.getOrDefault(o.group(), Map.of());
                    for (Own s : List.copyOf(p.values())) {
                        if (!s.node().equals(o.node())) {
                            r.violations.add(new Violation("I8", o.group(), o.ns(), "node " + o.node() + " acquired " + o.group() + " epoch "
                                    + o.epoch() + " while it was Stuck on node " + s.node() + " (epoch " + s.epoch() + ", since "
                                    + r.at(s.ns()).trim() + " s): no release, fence-self, confirm-offline or crash of " + s.node() + " in between"));
                            p.remove(s.node());
                        }
                    }
                }
                default -> { }
            }
        }
    }

    /** Notes (not violations) a {@code fenced} that took longer than its group's stop budget. */
    private static void fenceTimes(Spec spec, List<Own> ownership, Report r) {
        for (Own o : ownership) {
            Spec.GroupRule rule = spec.rules().get(o.group());
            if (o.event().equals("fenced") && rule != null && Long.parseLong(o.word(0)) > rule.stopBudget().toMillis()) {
                r.notes.add("node " + o.node() + " fenced " + o.group() + " epoch " + o.epoch() + " " + o.word(0) + " ms after its lease-stop,"
                        + " past the group's stop budget of " + rule.stopBudget().toMillis() + " ms");
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
                    case "move", "hung-move", "resource-fail", "stuck-offline" -> m.word(3).equals(e.getKey());     // a group's fault
                    case "zk-kill", "zk-pause" -> true;
                    default -> m.word(3).equals(before.node());                                 // a node's fault
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
        for (int i = 0; i < 2; i++) {
            if (!Files.isRegularFile(Path.of(args[i]))) {
                System.err.println("checker: " + args[i] + ": no such file (" + (i == 0 ? "the run's node configuration, node-a.yaml" : "its history") + ")");
                System.exit(2);
            }
        }
        long seed = -1;
        if (args.length > 2) {
            try {
                seed = Long.parseLong(args[2].strip());
            } catch (NumberFormatException e) {
                System.err.println("checker: SEED '" + args[2] + "' is not a whole number");
                System.exit(2);
            }
        }
        Report r;
        try {
            r = check(Path.of(args[0]), Path.of(args[1]));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            System.err.println("checker: " + args[0] + ": not a clusworker configuration (" + e.getOriginalMessage() + ")");
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            System.err.println("checker: " + args[0] + " and " + args[1] + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        r.print(seed, System.out);
        r.summary(System.out);
        System.exit(r.ok() ? 0 : 1);
    }
}
