package org.clusworker.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Prints the ratio table: each clusworker figure divided by its baseline from the same run, with its
 * target. Reads JMH's JSON result files ({@code -rf json}) and the scale test's JSON file.
 *
 * <p>Usage: {@code RatioTable [--markdown out.md] [--load "how loaded at the start"] results.json... scale.json}.
 * Each JMH file is one pass over the benchmarks. A ratio pairs the two figures of one pass (or of one
 * round of the scale test) and the table shows the median of those ratios, so that a burst of load
 * during one pass does not decide it. Exits 0 whether or not the targets are met (the table is a
 * measurement, not a test), 3 if a figure is missing.
 */
public final class RatioTable {

    private static final String PKG = "org.clusworker.benchmarks.";

    /** JMH result files, one per pass: a pass runs every benchmark once, so the ratios pair within a pass. */
    private final List<List<Map<String, Object>>> passes = new ArrayList<>();
    /** When the newest input file was written: the end of the measurement. */
    private FileTime measured = FileTime.fromMillis(0);
    private Map<String, Object> scale = Map.of();

    private RatioTable() {
    }

    public static void main(String[] args) throws IOException {
        RatioTable table = new RatioTable();
        Path markdown = null;
        String load = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--markdown")) {
                markdown = Path.of(args[++i]);
            } else if (args[i].equals("--load")) {
                load = args[++i];
            } else {
                table.read(Path.of(args[i]));
            }
        }
        List<Row> rows = table.rows();
        int passes = table.passes.stream().mapToInt(pass -> pass.size() > 1 ? 1 : 0).sum();
        String header = header(table.measured, load) + "\nClusworker and baseline always ran side by side; each ratio is the median"
                + " over " + (passes > 1 ? passes + " JMH passes" : "the JMH pass") + " (or the scale test's alternating"
                + " rounds), their range in brackets.";
        System.out.println();
        System.out.println(header);
        System.out.println(text(rows));
        if (markdown != null) {
            Files.writeString(markdown, header + "\n\n" + markdown(rows), StandardCharsets.UTF_8);
            System.out.println("(markdown in " + markdown + ")");
        }
        if (rows.stream().anyMatch(r -> r.clusworker().missing() || r.baseline().missing())) {
            System.out.println("Some figures are missing (n/a): a benchmark failed or was not run.");
            System.exit(3);
        }
    }

    @SuppressWarnings("unchecked")
    private void read(Path file) throws IOException {
        Object json = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        FileTime modified = Files.getLastModifiedTime(file);
        if (modified.compareTo(measured) > 0) {
            measured = modified;
        }
        if (json instanceof List<?> list) {
            passes.add((List<Map<String, Object>>) list);
        } else {
            scale = (Map<String, Object>) json;
        }
    }

    // ---------------------------------------------------------------- the rows

    private List<Row> rows() {
        String ct = "CreateTerminateBenchmark.";
        String ss = "StartStopBenchmark.";
        String tl = "TerminateLatencyBenchmark.";
        String ck = "CheckTerminateBenchmark.";
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("create + terminate, platform: Worker vs new Thread(r).start(); join()",
                mean(ct + "platformClusworker", null), mean(ct + "platformRaw", null), Target.atMost(1.10)));
        rows.add(new Row("create + terminate, platform: ClusWorkerCreate + ClusWorkerTerminate vs start(); join()",
                mean(ct + "platformFacade", null), mean(ct + "platformRaw", null), Target.atMost(1.10)));
        rows.add(new Row("create + terminate, virtual: Worker vs Thread.ofVirtual().start(r).join()",
                mean(ct + "virtualClusworker", null), mean(ct + "virtualRaw", null), Target.atMost(1.15)));
        rows.add(new Row("create + terminate, platform: Worker vs cached pool submit(c).get() (no thread made)",
                mean(ct + "platformClusworker", null), mean(ct + "platformCachedPool", null), Target.NONE));
        rows.add(new Row("start + stop (body waits): Worker vs Guava AbstractExecutionThreadService",
                mean(ss + "clusworker", null), mean(ss + "guava", null), Target.atMost(0.75)));
        rows.add(new Row("start + stop (body waits): Worker vs bare thread parked on a flag",
                mean(ss + "clusworker", null), mean(ss + "rawThread", null), Target.NONE));
        for (String threads : List.of("platform", "virtual")) {
            rows.add(new Row("terminate latency, " + threads + ": wake-on-terminate vs park/unpark hand-off",
                    mean(tl + "clusworker", threads), mean(tl + "parkUnparkFloor", threads), Target.atMost(1.5)));
        }
        rows.add(new Row("terminate latency, mean: wake-on-terminate vs 500 ms polling (facade)",
                mean(tl + "clusworker", "platform"), mean("PollingTerminateBenchmark.facadePolling500ms", null),
                Target.atMost(1.0 / 1000)));
        rows.add(new Row("terminate latency, worst: wake-on-terminate vs 500 ms polling (facade)",
                worst(tl + "clusworker", "platform"), worst("PollingTerminateBenchmark.facadePolling500ms", null),
                Target.NONE));
        for (String threads : List.of("virtual", "platform")) {
            String n = String.format(Locale.ROOT, "%,d", ((Number) scale.getOrDefault("workers", 10_000)).intValue());
            boolean v = threads.equals("virtual");
            rows.add(new Row(n + " " + threads + ": start-all",
                    scaleTime(threads, "clusworker", "startAllMs"), scaleTime(threads, "raw", "startAllMs"), Target.NONE));
            rows.add(new Row(n + " " + threads + ": terminate-all (terminateAll vs unpark + join)",
                    scaleTime(threads, "clusworker", "terminateAllMs"), scaleTime(threads, "raw", "terminateAllMs"),
                    Target.NONE));
            rows.add(new Row(n + " " + threads + ": start-all + terminate-all",
                    scaleTime(threads, "clusworker", "totalMs"), scaleTime(threads, "raw", "totalMs"),
                    v ? Target.atMost(1.2) : Target.NONE));
            rows.add(new Row(n + " " + threads + ": resident memory per worker (vs per bare thread)",
                    scaleBytes(threads, "clusworker"), scaleBytes(threads, "raw"),
                    v ? Target.absoluteAtMost(3 * 1024) : Target.NONE));
        }
        rows.add(new Row("check: ClusWorkerCheckTerminate(w) vs volatile read",
                mean(ck + "facadeClusWorkerCheckTerminate", null), mean(ck + "volatileRead", null), Target.atMost(1.2)));
        rows.add(new Row("check: worker.isTerminationRequested() vs volatile read",
                mean(ck + "workerIsTerminationRequested", null), mean(ck + "volatileRead", null), Target.atMost(1.2)));
        rows.add(new Row("check: ctx.isTerminationRequested() vs volatile read",
                mean(ck + "contextIsTerminationRequested", null), mean(ck + "volatileRead", null), Target.atMost(1.2)));
        return rows;
    }

    /** The mean of {@code benchmark} in each pass (NaN where a pass lacks it). */
    private Figure mean(String benchmark, String threads) {
        double[] values = new double[passes.size()];
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> metric = metric(passes.get(i), benchmark, threads);
            values[i] = metric == null ? Double.NaN
                    : (Double) metric.get("score") * toNanos((String) metric.get("scoreUnit"));
        }
        return new Figure(values, Unit.TIME);
    }

    /** The worst (100th percentile) of {@code benchmark} in each pass. */
    @SuppressWarnings("unchecked")
    private Figure worst(String benchmark, String threads) {
        double[] values = new double[passes.size()];
        for (int i = 0; i < values.length; i++) {
            Map<String, Object> metric = metric(passes.get(i), benchmark, threads);
            values[i] = metric == null ? Double.NaN
                    : (Double) ((Map<String, Object>) metric.get("scorePercentiles")).get("100.0")
                            * toNanos((String) metric.get("scoreUnit"));
        }
        return new Figure(values, Unit.TIME);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metric(List<Map<String, Object>> pass, String benchmark, String threads) {
        for (Map<String, Object> result : pass) {
            if (!Objects.equals(result.get("benchmark"), PKG + benchmark)) {
                continue;
            }
            Map<String, Object> params = (Map<String, Object>) result.getOrDefault("params", Map.of());
            if (threads == null || threads.equals(params.get("threads"))) {
                return (Map<String, Object>) result.get("primaryMetric");
            }
        }
        return null;
    }

    private static double toNanos(String unit) {
        return switch (unit.substring(0, unit.indexOf('/'))) {
            case "ns" -> 1;
            case "us" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            default -> throw new IllegalArgumentException("unit: " + unit);
        };
    }

    /** Per round of the scale test (rounds alternate bare threads and workers, so they pair like passes). */
    private Figure scaleTime(String threads, String kind, String field) {
        Map<String, Object> entry = scaleEntry(threads, kind);
        if (entry == null) {
            return Figure.of(Double.NaN, Unit.TIME);
        }
        List<?> start = (List<?>) entry.get("startAllMsSamples");
        List<?> terminate = (List<?>) entry.get("terminateAllMsSamples");
        double[] values = new double[start.size()];
        for (int i = 0; i < values.length; i++) {
            double ms = switch (field) {
                case "startAllMs" -> (Double) start.get(i);
                case "terminateAllMs" -> (Double) terminate.get(i);
                case "totalMs" -> (Double) start.get(i) + (Double) terminate.get(i);
                default -> throw new IllegalArgumentException(field);
            };
            values[i] = ms * 1e6;
        }
        return new Figure(values, Unit.TIME);
    }

    private Figure scaleBytes(String threads, String kind) {
        Map<String, Object> entry = scaleEntry(threads, kind);
        return Figure.of(entry == null ? Double.NaN : (Double) entry.get("residentBytesPerWorker"), Unit.BYTES);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> scaleEntry(String threads, String kind) {
        for (Object o : (List<Object>) scale.getOrDefault("results", List.of())) {
            Map<String, Object> entry = (Map<String, Object>) o;
            if (threads.equals(entry.get("threads")) && kind.equals(entry.get("kind"))) {
                return entry;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- printing

    /** Machine, JDK, date, and how loaded the machine was when the run started ({@code null}: the load average now). */
    private static String header(FileTime measured, String loadAtStart) {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            cpu = "unknown CPU (" + e + ")";
        }
        String load = loadAtStart == null ? null : loadAtStart + " at the start";
        if (load == null) {
            try {
                load = "load average " + Files.readString(Path.of("/proc/loadavg")).strip()
                        .replaceAll("^(\\S+ \\S+ \\S+).*", "$1") + " now";
            } catch (IOException e) {
                load = "load average unknown";
            }
        }
        return "Measured " + measured.toInstant().atZone(ZoneId.systemDefault())
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z"))
                + " on " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", JDK " + System.getProperty("java.vm.version") + " (" + System.getProperty("java.vm.vendor") + ")"
                + ", " + load;
    }

    private static final String[] COLUMNS = {"benchmark", "clusworker", "baseline", "ratio", "target", "met?"};

    private static String text(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(COLUMNS);
        for (Row r : rows) {
            cells.add(r.cells());
        }
        int[] width = new int[COLUMNS.length];
        for (String[] c : cells) {
            for (int i = 0; i < c.length; i++) {
                width[i] = Math.max(width[i], c[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int row = 0; row < cells.size(); row++) {
            String[] c = cells.get(row);
            for (int i = 0; i < c.length; i++) {
                boolean left = i == 0;
                sb.append(left ? String.format("%-" + width[i] + "s", c[i]) : String.format("%" + width[i] + "s", c[i]));
                sb.append(i == c.length - 1 ? "" : "  ");
            }
            sb.append('\n');
            if (row == 0) {
                sb.append("-".repeat(sb.length() - 1)).append('\n');
            }
        }
        long met = rows.stream().filter(r -> r.met() == Boolean.TRUE).count();
        long targets = rows.stream().filter(r -> r.target != Target.NONE).count();
        sb.append(met).append(" of ").append(targets).append(" targets met");
        return sb.toString();
    }

    private static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", COLUMNS)).append(" |\n");
        sb.append("|---|---:|---:|---:|---:|:---:|\n");
        for (Row r : rows) {
            sb.append("| ").append(String.join(" | ", r.cells())).append(" |\n");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- values

    enum Unit { TIME, BYTES }

    /**
     * One figure, measured once per pass (NaN where a pass did not measure it); shown as the median of
     * the passes.
     */
    record Figure(double[] values, Unit unit) {

        static Figure of(double value, Unit unit) {
            return new Figure(new double[] {value}, unit);
        }

        double[] measured() {
            return Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        }

        boolean missing() {
            return measured().length == 0;
        }

        double value() {
            double[] m = measured();
            return m.length == 0 ? Double.NaN : ScaleBenchmark.median(m);
        }

        @Override
        public String toString() {
            return missing() ? "n/a" : format(value(), unit);
        }

        static String format(double value, Unit unit) {
            if (unit == Unit.BYTES) {
                return value >= 10 * 1024 ? String.format(Locale.ROOT, "%.1f KB", value / 1024)
                        : String.format(Locale.ROOT, "%.2f KB", value / 1024);
            }
            String[] units = {"ns", "µs", "ms", "s"};
            double v = value;
            int u = 0;
            while (u < units.length - 1 && Math.abs(v) >= 1000) {
                v /= 1000;
                u++;
            }
            // three significant digits
            String number = Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                    : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
            return number + " " + units[u];
        }
    }

    /** A target on the ratio ({@code atMost}) or on the clusworker figure itself ({@code absoluteAtMost}). */
    record Target(double limit, boolean absolute) {
        static final Target NONE = new Target(Double.NaN, false);

        static Target atMost(double ratio) {
            return new Target(ratio, false);
        }

        static Target absoluteAtMost(double value) {
            return new Target(value, true);
        }

        Boolean met(Figure clusworker, double ratio) {
            if (this == NONE || clusworker.missing() || (!absolute && Double.isNaN(ratio))) {
                return null;
            }
            return absolute ? clusworker.value() <= limit : ratio <= limit;
        }

        String describe(Unit unit) {
            if (this == NONE) {
                return "-";
            }
            return absolute ? "≤ " + Figure.format(limit, unit) + " each" : "≤ " + formatRatio(limit);
        }
    }

    /**
     * A clusworker figure and its baseline. The ratio is the median of the ratios of the passes that
     * measured both (each pass is one side-by-side run); the quotient of the two figures otherwise.
     */
    record Row(String name, Figure clusworker, Figure baseline, Target target) {

        double[] pairedRatios() {
            int n = Math.min(clusworker.values().length, baseline.values().length);
            double[] ratios = new double[n];
            for (int i = 0; i < n; i++) {
                ratios[i] = clusworker.values()[i] / baseline.values()[i];
            }
            return Arrays.stream(ratios).filter(r -> !Double.isNaN(r)).toArray();
        }

        double ratio() {
            if (clusworker.missing() || baseline.missing()) {
                return Double.NaN;
            }
            double[] paired = pairedRatios();
            return paired.length > 0 ? ScaleBenchmark.median(paired) : clusworker.value() / baseline.value();
        }

        Boolean met() {
            return target.met(clusworker, ratio());
        }

        String[] cells() {
            Boolean met = met();
            double ratio = ratio();
            String ratioText = Double.isNaN(ratio) ? "n/a" : formatRatio(ratio);
            double[] paired = pairedRatios();
            if (paired.length > 1) {
                Arrays.sort(paired);
                ratioText += " (" + formatRatio(paired[0]).replace("×", "") + "–" + formatRatio(paired[paired.length - 1]) + ")";
            }
            return new String[] {name, clusworker.toString(), baseline.toString(), ratioText,
                    target.describe(clusworker.unit()), met == null ? "" : met ? "yes" : "NO"};
        }
    }

    static String formatRatio(double ratio) {
        if (ratio < 0.1) {
            return String.format(Locale.ROOT, "1/%,.0f×", 1 / ratio);
        }
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }
}
