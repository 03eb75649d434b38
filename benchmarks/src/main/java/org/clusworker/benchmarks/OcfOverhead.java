package org.clusworker.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.clusworker.agents.ocf.OcfType;
import org.clusworker.agents.support.ProcessTree;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceTypes;

/**
 * An OCF agent's start + monitor + stop through the host (online, then offline, of one {@code ocf}
 * resource, timed from the request to the transition) against the same three actions run directly with
 * the OCF environment, two ways: spawned as the host spawns them ({@link ProcessTree#start}: one
 * posix_spawn on Java 22+), which leaves the host's own work as the difference, and through a plain
 * {@link ProcessBuilder}, as a Java program would run them. Debian's Dummy agent; median of the rounds.
 * The three kinds of round alternate, so that load from elsewhere on the machine falls on all alike.
 *
 * <p>Two figures: the first {@value #COLD} rounds of a new JVM (after three not counted, which load the
 * classes), whose Java code still runs in the interpreter, as a host's does in its first operations; and
 * {@code rounds} rounds after {@code warmup} more, as in a host that has run its agents for a while (its
 * monitors run every few seconds and the paths are shared).
 *
 * <p>Usage: {@code OcfOverhead [rounds [warmup]]} (200 and 300 by default).
 */
public final class OcfOverhead {

    static final Path DUMMY = Path.of("/usr/lib/ocf/resource.d/heartbeat/Dummy");
    static final int COLD = 30;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        if (!Files.isExecutable(DUMMY)) {
            System.out.println("{\"skipped\": \"" + DUMMY + " is absent: install Debian's resource-agents\"}");
            return;
        }
        Path dir = Files.createTempDirectory("clusworker-ocf-overhead");
        Path state = dir.resolve("dummy.state");
        LinkedBlockingQueue<HostEvent> events = new LinkedBlockingQueue<>();
        ResourceHost host = ResourceHost.builder().name("ocf-overhead").stateDirectory(dir.resolve("host"))
                .types(new ResourceTypes().register(new OcfType()))
                .resource(new ResourceSpec("d", "ocf", Map.of("agent", "heartbeat/Dummy", "params.state", state.toString()), List.of(),
                        ResourcePolicy.DEFAULTS))
                .eventListener(e -> {
                    // only the ends of operations: the thread that measures is not woken for the states between
                    if (e.kind() == HostEvent.Kind.TRANSITION && (e.to() == ResourceState.ONLINE || e.to() == ResourceState.OFFLINE
                            || e.to() == ResourceState.FAILED)) {
                        events.add(e);
                    }
                }).build();
        host.start();
        await(events, ResourceState.ONLINE);      // the first online probes too: not measured
        host.requestOffline("d");
        await(events, ResourceState.OFFLINE);
        List<Double> coldDirect = new ArrayList<>();
        List<Double> coldBuilder = new ArrayList<>();
        List<Double> coldHosted = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> builder = new ArrayList<>();
        List<Double> hosted = new ArrayList<>();
        int warmFrom = 3 + COLD + warmup;
        for (int i = 0; i < warmFrom + rounds; i++) {
            // a direct round each way, then a round through the host: on a shared machine all see the same load
            double d = directRound(state, dir, true);
            double b = directRound(state, dir, false);
            long t0 = System.nanoTime();
            host.requestOnline("d");
            await(events, ResourceState.ONLINE);
            host.requestOffline("d");
            await(events, ResourceState.OFFLINE);
            double h = (System.nanoTime() - t0) / 1e6;
            if (i >= 3 && i < 3 + COLD) {
                coldDirect.add(d);
                coldBuilder.add(b);
                coldHosted.add(h);
            } else if (i >= warmFrom) {
                direct.add(d);
                builder.add(b);
                hosted.add(h);
            }
        }
        host.close();
        System.out.println(String.format(Locale.ROOT, "{\"spawn\": \"%s\", \"coldRounds\": %d, %s, \"warmupRounds\": %d, \"rounds\": %d, %s}",
                ProcessTree.nativeSpawn() ? "posix_spawn" : "setsid", COLD, figures("cold", coldDirect, coldBuilder, coldHosted),
                warmup, rounds, figures("", direct, builder, hosted)));
    }

    /** The medians and the ratios of the host's round to each direct one, as JSON members named with {@code prefix}. */
    private static String figures(String prefix, List<Double> direct, List<Double> builder, List<Double> hosted) {
        double d = median(direct);
        double b = median(builder);
        double h = median(hosted);
        java.util.function.UnaryOperator<String> name = n -> prefix.isEmpty() ? n : prefix + Character.toUpperCase(n.charAt(0)) + n.substring(1);
        return String.format(Locale.ROOT, "\"%s\": %.2f, \"%s\": %.2f, \"%s\": %.2f, \"%s\": %.2f, \"%s\": %.2f",
                name.apply("directMillis"), d, name.apply("processBuilderMillis"), b, name.apply("hostMillis"), h,
                name.apply("ratio"), h / d, name.apply("ratioToProcessBuilder"), h / b);
    }

    /** Start, monitor (what the host runs too: a start is confirmed by a monitor) and stop, run directly; milliseconds. */
    private static double directRound(Path state, Path dir, boolean asTheHostSpawns) throws Exception {
        long t0 = System.nanoTime();
        for (String action : List.of("start", "monitor", "stop")) {
            run(action, state, dir, asTheHostSpawns);
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static void run(String action, Path state, Path dir, boolean asTheHostSpawns) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(DUMMY.toString(), action).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("OCF_ROOT", "/usr/lib/ocf");
        env.put("OCF_RESOURCE_INSTANCE", "d");
        env.put("OCF_RESOURCE_TYPE", "Dummy");
        env.put("OCF_RESOURCE_PROVIDER", "heartbeat");
        env.put("OCF_RESKEY_state", state.toString());
        env.put("HA_RSCTMP", dir.toString());
        Process p = asTheHostSpawns ? ProcessTree.start(pb) : pb.start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(action + " did not finish");
        }
    }

    private static void await(LinkedBlockingQueue<HostEvent> events, ResourceState state) throws InterruptedException {
        while (true) {
            HostEvent e = events.poll(60, TimeUnit.SECONDS);
            if (e == null) {
                throw new IllegalStateException("no transition to " + state);
            }
            if (e.to() == state) {
                return;
            }
            if (e.to() == ResourceState.FAILED) {
                throw new IllegalStateException("the resource failed while waiting for " + state + ": " + e);
            }
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private OcfOverhead() {
    }
}
