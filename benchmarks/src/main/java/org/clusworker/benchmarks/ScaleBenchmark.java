package org.clusworker.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.clusworker.worker.Routine;
import org.clusworker.worker.TerminationReport;
import org.clusworker.worker.Worker;

/**
 * Scale: 10,000 workers that each wait for termination, on platform and on virtual threads, against
 * the same done with bare threads (each parked on a volatile flag of its own). A plain main, timed with
 * {@link System#nanoTime()}; memory from {@code /proc/self/status} and the heap after a full GC.
 *
 * <ul>
 *   <li><b>start-all</b>: from the first start until every one of them is running its routine (each
 *       counts down a shared latch on entry, bare threads and workers alike).</li>
 *   <li><b>terminate-all</b>: {@link Worker#terminateAll} (every flag set and every thread woken, then
 *       one deadline for all exits) against setting each bare thread's flag, unparking it, then joining
 *       them all.</li>
 *   <li><b>resident per worker</b>: measured in a fresh JVM with its heap fully committed and touched
 *       ({@code -Xms1g -Xmx1g -XX:+AlwaysPreTouch}), so that {@code VmRSS} grows only by native memory
 *       (thread stacks and the JVM's per-thread structures); to that is added the live heap per worker
 *       after a full GC (thread objects, a virtual thread's stack chunk, the worker). Divided by N.</li>
 * </ul>
 * Timings come from one JVM per kind of thread that alternates bare-thread and worker rounds (the order
 * swapped every round, a full GC before each), after warm-up rounds; the figures are medians.
 *
 * <p>Usage: {@code ScaleBenchmark [--quick] [--workers N] [--out file.json]}.
 */
public final class ScaleBenchmark {

    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final List<String> THREADS = List.of("virtual", "platform");
    private static final List<String> KINDS = List.of("raw", "clusworker");

    private ScaleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        if (opts.containsKey("--child")) {
            child(opts);
            return;
        }
        boolean quick = opts.containsKey("--quick");
        int workers = Integer.parseInt(opts.getOrDefault("--workers", "10000"));
        // A virtual round takes milliseconds, a platform one seconds: give the virtual ratio more rounds.
        Map<String, Integer> warmups = Map.of("virtual", 5, "platform", quick ? 1 : 2);
        Map<String, Integer> rounds = Map.of("virtual", quick ? 9 : 21, "platform", quick ? 3 : 7);
        Path out = Path.of(opts.getOrDefault("--out", "scale.json"));

        List<String> entries = new ArrayList<>();
        for (String threads : THREADS) {
            Map<String, Map<String, Object>> memory = new LinkedHashMap<>();
            for (String kind : KINDS) {
                System.out.printf("scale: %,d %s %s, memory ...%n", workers, threads, kind);
                memory.put(kind, runChild(true, "--child", "memory", "--threads", threads, "--kind", kind,
                        "--workers", String.valueOf(workers)));
            }
            System.out.printf("scale: %,d %s, timing (%d warm-up + %d rounds each, alternating) ...%n",
                    workers, threads, warmups.get(threads), rounds.get(threads));
            Map<String, Object> timing = runChild(false, "--child", "timing", "--threads", threads,
                    "--workers", String.valueOf(workers), "--warmup", String.valueOf(warmups.get(threads)),
                    "--rounds", String.valueOf(rounds.get(threads)));
            for (String kind : KINDS) {
                entries.add(entry(threads, kind, memory.get(kind), asMap(timing.get(kind))));
            }
        }
        String json = "{\n  \"workers\": " + workers + ",\n  \"warmupRounds\": {\"virtual\": "
                + warmups.get("virtual") + ", \"platform\": " + warmups.get("platform") + "}"
                + ",\n  \"rounds\": {\"virtual\": " + rounds.get("virtual") + ", \"platform\": " + rounds.get("platform")
                + "},\n  \"results\": [\n    "
                + String.join(",\n    ", entries) + "\n  ]\n}\n";
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, json, StandardCharsets.UTF_8);
        System.out.println("scale: results in " + out);
    }

    private static String entry(String threads, String kind, Map<String, Object> memory, Map<String, Object> timing) {
        double[] start = millis(timing.get("startAllNanos"));
        double[] terminate = millis(timing.get("terminateAllNanos"));
        double[] total = new double[start.length];
        for (int i = 0; i < total.length; i++) {
            total[i] = start[i] + terminate[i];
        }
        double nativeBytes = (Double) memory.get("nativeBytesPerWorker");
        double heapBytes = (Double) memory.get("heapBytesPerWorker");
        return "{\"threads\": " + Json.quote(threads) + ", \"kind\": " + Json.quote(kind)
                + ", \"startAllMs\": " + median(start) + ", \"terminateAllMs\": " + median(terminate)
                + ", \"totalMs\": " + median(total)
                + ", \"residentBytesPerWorker\": " + (nativeBytes + heapBytes)
                + ", \"nativeBytesPerWorker\": " + nativeBytes + ", \"heapBytesPerWorker\": " + heapBytes
                + ", \"startAllMsSamples\": " + Arrays.toString(start)
                + ", \"terminateAllMsSamples\": " + Arrays.toString(terminate) + "}";
    }

    // ---------------------------------------------------------------- parent side

    private static Map<String, Object> runChild(boolean memory, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-Xms1g", "-Xmx1g"));
        if (memory) {
            command.add("-XX:+AlwaysPreTouch");
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ScaleBenchmark.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("scale child " + List.of(args) + " exited " + process.exitValue()
                    + ":\n" + output);
        }
        String[] lines = output.strip().split("\n");
        return asMap(Json.parse(lines[lines.length - 1]));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static double[] millis(Object samples) {
        List<?> list = (List<?>) samples;
        double[] ms = new double[list.size()];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = Math.round((Double) list.get(i) / 1e3) / 1e3;      // ns to ms, 3 decimals
        }
        return ms;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + a
                        + " (usage: ScaleBenchmark [--quick] [--workers N] [--out file.json])");
            }
            boolean flag = a.equals("--quick");
            opts.put(a, flag ? "" : args[++i]);
        }
        return opts;
    }

    // ---------------------------------------------------------------- child side

    private static void child(Map<String, String> opts) throws InterruptedException {
        boolean virtual = opts.get("--threads").equals("virtual");
        int n = Integer.parseInt(opts.get("--workers"));
        if (opts.get("--child").equals("memory")) {
            Crowd crowd = crowd(opts.get("--kind"), virtual);
            System.out.println(memory(crowd, n));
        } else {
            System.out.println(timing(virtual, n, Integer.parseInt(opts.get("--warmup")),
                    Integer.parseInt(opts.get("--rounds"))));
        }
    }

    private static Crowd crowd(String kind, boolean virtual) {
        return switch (kind) {
            case "raw" -> new BareThreads(virtual);
            case "clusworker" -> new Workers(virtual);
            default -> throw new IllegalArgumentException("kind: " + kind + " (expected: raw or clusworker)");
        };
    }

    private static String memory(Crowd crowd, int n) throws InterruptedException {
        for (int i = 0; i < 3; i++) {           // load and compile what a round needs
            round(crowd, Math.min(n, 1000));
        }
        fullGc();
        long rss0 = vmRssBytes();
        long heap0 = heapUsedBytes();
        CountDownLatch started = new CountDownLatch(n);
        try {
            crowd.startAll(n, started);
            await(started);
            crowd.awaitAllParked();
            long rss1 = vmRssBytes();
            fullGc();
            long heap1 = heapUsedBytes();
            return "{\"nativeBytesPerWorker\": " + (double) (rss1 - rss0) / n
                    + ", \"heapBytesPerWorker\": " + (double) (heap1 - heap0) / n + "}";
        } finally {
            crowd.terminateAll();
        }
    }

    private static String timing(boolean virtual, int n, int warmup, int rounds) throws InterruptedException {
        Map<String, Crowd> crowds = new LinkedHashMap<>();
        Map<String, List<Long>> starts = new LinkedHashMap<>();
        Map<String, List<Long>> terminates = new LinkedHashMap<>();
        for (String kind : KINDS) {
            crowds.put(kind, crowd(kind, virtual));
            starts.put(kind, new ArrayList<>());
            terminates.put(kind, new ArrayList<>());
        }
        for (int r = 0; r < warmup + rounds; r++) {
            List<String> order = new ArrayList<>(KINDS);
            if (r % 2 == 1) {
                order = order.reversed();
            }
            for (String kind : order) {
                fullGc();
                long[] times = round(crowds.get(kind), n);
                if (r >= warmup) {
                    starts.get(kind).add(times[0]);
                    terminates.get(kind).add(times[1]);
                }
            }
        }
        StringBuilder sb = new StringBuilder("{");
        for (String kind : KINDS) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(Json.quote(kind)).append(": {\"startAllNanos\": ").append(starts.get(kind))
                    .append(", \"terminateAllNanos\": ").append(terminates.get(kind)).append('}');
        }
        return sb.append('}').toString();
    }

    /** Starts {@code n}, waits until all run and are parked, terminates all: {start-all, terminate-all} in ns. */
    private static long[] round(Crowd crowd, int n) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(n);
        try {
            long t0 = System.nanoTime();
            crowd.startAll(n, started);
            await(started);
            long t1 = System.nanoTime();
            crowd.awaitAllParked();
            long t2 = System.nanoTime();
            crowd.terminateAll();
            long t3 = System.nanoTime();
            return new long[] {t1 - t0, t3 - t2};
        } catch (RuntimeException | Error | InterruptedException e) {
            crowd.terminateAll();
            throw e;
        }
    }

    private static void await(CountDownLatch started) throws InterruptedException {
        if (!started.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(started.getCount() + " threads had not started after " + PATIENCE);
        }
    }

    private static void fullGc() throws InterruptedException {
        System.gc();
        System.gc();
        Thread.sleep(100);
    }

    private static long heapUsedBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long vmRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("resident memory is read from /proc/self/status (Linux only)", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** N threads or workers, each parked until told to stop. */
    private interface Crowd {
        void startAll(int n, CountDownLatch started);

        /** Waits until every one is parked in its wait (untimed). */
        void awaitAllParked();

        /** Stops them all and waits for them; throws if any is left running. Safe to call again. */
        void terminateAll();
    }

    /** Bare threads, each parked on a volatile flag of its own. */
    private static final class BareThreads implements Crowd {
        private final ThreadFactory factory;
        private Waiter[] waiters = new Waiter[0];

        BareThreads(boolean virtual) {
            factory = virtual ? Thread.ofVirtual().factory() : Thread.ofPlatform().daemon(true).factory();
        }

        @Override
        public void startAll(int n, CountDownLatch started) {
            waiters = new Waiter[n];
            for (int i = 0; i < n; i++) {
                Waiter w = new Waiter(started);
                w.thread = factory.newThread(w);
                waiters[i] = w;
                w.thread.start();
            }
        }

        @Override
        public void awaitAllParked() {
            for (Waiter w : waiters) {
                Threads.awaitParked(w.thread, w);
            }
        }

        @Override
        public void terminateAll() {
            for (Waiter w : waiters) {
                if (w != null) {
                    w.stop = true;
                    LockSupport.unpark(w.thread);
                }
            }
            for (Waiter w : waiters) {
                if (w != null && w.thread.getState() != Thread.State.NEW && !Threads.join(w.thread)) {
                    throw new IllegalStateException(w.thread + " did not stop");
                }
            }
            waiters = new Waiter[0];
        }

        private static final class Waiter implements Runnable {
            private final CountDownLatch started;
            private volatile boolean stop;
            Thread thread;

            Waiter(CountDownLatch started) {
                this.started = started;
            }

            @Override
            public void run() {
                started.countDown();
                while (!stop) {
                    LockSupport.park(this);
                }
            }
        }
    }

    /** Workers whose routine waits in {@code ctx.awaitTermination()}. */
    private static final class Workers implements Crowd {
        private final Worker.Builder builder;
        private List<Worker> workers = List.of();

        Workers(boolean virtual) {
            builder = Worker.builder("scale").virtual(virtual);
        }

        @Override
        public void startAll(int n, CountDownLatch started) {
            Routine routine = ctx -> {
                started.countDown();
                ctx.awaitTermination();
                return 0;
            };
            List<Worker> list = new ArrayList<>(n);
            workers = list;
            for (int i = 0; i < n; i++) {
                list.add(builder.start(routine));
            }
        }

        @Override
        public void awaitAllParked() {
            for (Worker w : workers) {
                Threads.awaitParked(w.thread(), w);      // WorkerContext parks with the worker as its blocker
            }
        }

        @Override
        public void terminateAll() {
            TerminationReport report = Worker.terminateAll(workers, PATIENCE);
            if (!report.allExited()) {
                throw new IllegalStateException(report.toString());
            }
            workers = List.of();
        }
    }
}
