package org.clusworker.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceTypes;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/**
 * The resource host at scale: N instant Java resources (online, offline and the health checks return at
 * once), with the default policy (LooksAlive every 5 s, IsAlive every 60 s). For each N it measures the
 * time from {@code start()} to every resource Online, the platform threads at the peak of start-up, at
 * rest and at the peak of shutdown, the host's CPU at rest, and the time {@code close()} takes; and,
 * for 100 resources, independent ones against a dependency chain of 100.
 *
 * <p>A plain main, not JMH: each figure is one long operation, measured in a JVM of its own per N
 * ({@code benchmarks/run-host} starts them), median of the rounds given.
 *
 * <p>Usage: {@code HostScale N [independent|chain [idle-seconds [settle-seconds]]]}: the CPU at rest is
 * measured over {@code idle-seconds} (20 by default), from {@code settle-seconds} (1 by default) after
 * every resource is Online. In the first minute the JIT compilers are still at work on the health
 * checks' paths (the IsAlive ones first run after 60 s): a settle of 90 s gives the host's CPU at rest
 * without them.
 */
public final class HostScale {

    /** Instant agents. */
    static final class InstantType implements ResourceType {
        @Override
        public String name() {
            return "instant";
        }

        @Override
        public ResourceAgent open(AgentContext context) {
            return new ResourceAgent() {
                @Override
                public void online(Operation operation) {
                }

                @Override
                public void offline(Operation operation) {
                }

                @Override
                public void terminate() {
                }

                @Override
                public boolean looksAlive() {
                    return true;
                }

                @Override
                public boolean isAlive() {
                    return true;
                }

                @Override
                public void close() {
                }
            };
        }
    }

    record Result(int resources, String shape, double onlineMillis, int peakThreadsStart, int threadsAtRest, double idleCpuPercent,
                  int peakThreadsShutdown, double shutdownMillis) {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        String shape = args.length > 1 ? args[1] : "independent";
        Duration idleWindow = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 20);
        Duration settle = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 1);
        Result r = run(n, shape, idleWindow, settle);
        System.out.println(String.format(Locale.ROOT,
                "{\"resources\": %d, \"shape\": \"%s\", \"onlineMillis\": %.1f, \"peakThreadsStart\": %d, \"threadsAtRest\": %d, "
                        + "\"idleCpuPercent\": %.2f, \"peakThreadsShutdown\": %d, \"shutdownMillis\": %.1f}",
                r.resources(), r.shape(), r.onlineMillis(), r.peakThreadsStart(), r.threadsAtRest(), r.idleCpuPercent(),
                r.peakThreadsShutdown(), r.shutdownMillis()));
    }

    static Result run(int n, String shape, Duration idleWindow, Duration settle) throws Exception {
        Path state = Files.createTempDirectory("clusworker-host-scale");
        ResourceHost.Builder b = ResourceHost.builder().name("scale").stateDirectory(state)
                .types(new ResourceTypes().register(new InstantType()));
        for (int i = 0; i < n; i++) {
            List<String> deps = shape.equals("chain") && i > 0 ? List.of("r" + (i - 1)) : List.of();
            b.resource(new ResourceSpec("r" + i, "instant", java.util.Map.of(), deps, ResourcePolicy.DEFAULTS));
        }
        CountDownLatch online = new CountDownLatch(n);
        b.eventListener(e -> {
            if (e.kind() == HostEvent.Kind.TRANSITION && e.to() == ResourceState.ONLINE) {
                online.countDown();
            }
        });
        ResourceHost host = b.build();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        threads.resetPeakThreadCount();
        long t0 = System.nanoTime();
        host.start();
        if (!online.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("not every resource Online within 5 minutes: " + online.getCount() + " left");
        }
        double onlineMillis = (System.nanoTime() - t0) / 1e6;
        int peakStart = threads.getPeakThreadCount();
        Thread.sleep(settle.toMillis());      // let start-up settle
        int atRest = threads.getThreadCount();
        long cpu0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        Thread.sleep(idleWindow.toMillis());
        double idleCpu = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - w0);
        threads.resetPeakThreadCount();
        long s0 = System.nanoTime();
        host.close();
        double shutdownMillis = (System.nanoTime() - s0) / 1e6;
        int peakShutdown = threads.getPeakThreadCount();
        return new Result(n, shape, onlineMillis, peakStart, atRest, idleCpu, peakShutdown, shutdownMillis);
    }

    private HostScale() {
    }
}
