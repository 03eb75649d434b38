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
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceTypes;

/**
 * An OCF agent's start + monitor + stop through the host (online, then offline, of one {@code ocf}
 * resource, timed from the request to the transition) against the same three actions run directly (a
 * ProcessBuilder with the OCF environment). Debian's Dummy agent; median of the rounds. The direct and
 * the hosted rounds alternate, so that load from elsewhere on the machine falls on both alike.
 */
public final class OcfOverhead {

    static final Path DUMMY = Path.of("/usr/lib/ocf/resource.d/heartbeat/Dummy");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
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
                    if (e.kind() == HostEvent.Kind.TRANSITION) {
                        events.add(e);
                    }
                }).build();
        host.start();
        await(events, ResourceState.ONLINE);      // the first online probes too: not measured
        host.requestOffline("d");
        await(events, ResourceState.OFFLINE);
        List<Double> direct = new ArrayList<>();
        List<Double> hosted = new ArrayList<>();
        for (int i = 0; i < rounds + 3; i++) {
            // a direct round, then a round through the host: on a shared machine both see the same load
            long d0 = System.nanoTime();
            run("start", state, dir);
            run("monitor", state, dir);      // what the host runs too: start is confirmed by a monitor
            run("stop", state, dir);
            if (i >= 3) {
                direct.add((System.nanoTime() - d0) / 1e6);
            }
            long t0 = System.nanoTime();
            host.requestOnline("d");
            await(events, ResourceState.ONLINE);
            host.requestOffline("d");
            await(events, ResourceState.OFFLINE);
            if (i >= 3) {
                hosted.add((System.nanoTime() - t0) / 1e6);
            }
        }
        host.close();
        double d = median(direct);
        double h = median(hosted);
        System.out.println(String.format(Locale.ROOT, "{\"rounds\": %d, \"directMillis\": %.2f, \"hostMillis\": %.2f, \"ratio\": %.2f}",
                rounds, d, h, h / d));
    }

    private static void run(String action, Path state, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(DUMMY.toString(), action).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("OCF_ROOT", "/usr/lib/ocf");
        env.put("OCF_RESOURCE_INSTANCE", "d");
        env.put("OCF_RESOURCE_TYPE", "Dummy");
        env.put("OCF_RESOURCE_PROVIDER", "heartbeat");
        env.put("OCF_RESKEY_state", state.toString());
        env.put("HA_RSCTMP", dir.toString());
        Process p = pb.start();
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
