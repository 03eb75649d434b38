package org.clusworker.cli.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.clusworker.host.CallObserver;
import org.clusworker.host.HostEvent;
import org.clusworker.host.HostEventListener;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;

/**
 * Translates a host's events and its {@link CallObserver} reports into meters, so that the host itself
 * needs no metrics library. Every meter is named here (see the user guide's "Metrics" table); with the
 * Prometheus registry the names become {@code clusworker_resource_state}, {@code ..._total},
 * {@code ..._seconds}.
 *
 * <p>Give it to the host's builder as an event listener and as its call observer (so that it sees
 * every event from the first), then call {@link #track} with the built host's statuses and
 * {@link #workersAlive} with a reading of the host's workers.
 *
 * <p>Thread-safe: events arrive on the host's event thread in order; call reports arrive on the
 * resources' threads; scrapes read the gauges on the admin API's threads. Per-resource state lives in
 * concurrent maps; Micrometer's meters are thread-safe.
 */
public final class HostMeters implements HostEventListener, CallObserver {

    /** The buckets of the duration histograms: from a millisecond (a quick health check) to ten minutes (a slow online). */
    static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120),
        Duration.ofSeconds(300), Duration.ofSeconds(600)};

    private final MeterRegistry registry;
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();

    /** One resource's readings, behind its gauges. */
    private static final class Resource {
        final String name;
        volatile ResourceState state = ResourceState.UNKNOWN;
        /** When it entered {@link #state} (null: not known). */
        volatile Instant since;
        /** Epoch seconds of the last transition (NaN before the first). */
        volatile double lastTransition = Double.NaN;
        final AtomicInteger periodRestarts = new AtomicInteger();

        Resource(String name) {
            this.name = name;
        }
    }

    public HostMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Registers every resource's meters (at 0) and takes their states, before the host starts. */
    public void track(List<ResourceStatus> statuses) {
        for (ResourceStatus s : statuses) {
            Resource r = resource(s.name());
            r.state = s.state();
            r.since = s.since();
            r.periodRestarts.set(s.restarts());
        }
    }

    /** {@code clusworker_workers_alive}: the host's live workers, read at each scrape. */
    public void workersAlive(IntSupplier workers) {
        Gauge.builder("clusworker.workers.alive", workers, w -> w.getAsInt())
                .description("Workers (agent calls' threads) of the host that are alive").strongReference(true).register(registry);
    }

    @Override
    public void onEvent(HostEvent e) {
        if (e.resource() == null) {
            return;
        }
        Resource r = resource(e.resource());
        if (e.status() != null) {
            r.periodRestarts.set(e.status().restarts());
        }
        switch (e.kind()) {
            case TRANSITION -> transition(r, e);
            case FAILURE -> counter("clusworker.resource.failures", "Failures of a resource (each failure recorded)", r.name).increment();
            default -> { }
        }
    }

    private void transition(Resource r, HostEvent e) {
        ResourceState from = e.from();
        ResourceState to = e.to();
        Instant entered = r.since;
        if (from != null && entered != null && from.isPending()) {
            Duration took = Duration.between(entered, e.time());
            String outcome = stateLabel(to);
            if (from == ResourceState.ONLINE_PENDING) {
                timer("clusworker.resource.online.duration", "Time a resource spent OnlinePending, by the state it left to",
                        r.name, "outcome", outcome).record(took.isNegative() ? Duration.ZERO : took);
            } else {
                timer("clusworker.resource.offline.duration", "Time a resource spent OfflinePending, by the state it left to",
                        r.name, "outcome", outcome).record(took.isNegative() ? Duration.ZERO : took);
            }
        }
        if (from == ResourceState.FAILED && to == ResourceState.ONLINE_PENDING) {
            counter("clusworker.resource.restarts", "Attempts to bring a resource online again after it failed", r.name).increment();
        }
        Counter.builder("clusworker.resource.transitions").description("State transitions of a resource")
                .tags("resource", r.name, "from", stateLabel(from), "to", stateLabel(to)).register(registry).increment();
        r.state = to;
        r.since = e.time();
        r.lastTransition = e.time().toEpochMilli() / 1000.0;
    }

    @Override
    public void callReturned(String resource, String entryPoint, Duration took, boolean ok) {
        if (!entryPoint.equals("looksAlive") && !entryPoint.equals("isAlive")) {
            return;
        }
        timer("clusworker.resource.health.check.duration", "Duration of a resource's health checks (looksAlive, isAlive)",
                resource, "check", entryPoint, "result", ok ? "returned" : "threw").record(took.isNegative() ? Duration.ZERO : took);
    }

    @Override
    public void terminated(String resource, String entryPoint, Termination why) {
        Counter.builder("clusworker.resource.terminations").description("Agent calls the host gave up on, by reason")
                .tags("resource", resource, "reason", why.label(), "call", entryPoint).register(registry).increment();
    }

    /** The resource's meters, registered on first sight. */
    private Resource resource(String name) {
        return resources.computeIfAbsent(name, n -> {
            Resource r = new Resource(n);
            for (ResourceState s : ResourceState.values()) {
                Gauge.builder("clusworker.resource.state", r, x -> x.state == s ? 1 : 0)
                        .description("1 for the state a resource is in, 0 for the others").tags("resource", n, "state", stateLabel(s))
                        .strongReference(true).register(registry);
            }
            Gauge.builder("clusworker.resource.state.code", r, x -> x.state.code())
                    .description("The resource's state as its CLUSTER_RESOURCE_STATE number (-1, 2, 3, 4, 129, 130)")
                    .tags("resource", n).strongReference(true).register(registry);
            Gauge.builder("clusworker.resource.last.transition.timestamp", r, x -> x.lastTransition)
                    .description("When the resource last changed state (Unix time)").baseUnit("seconds")
                    .tags("resource", n).strongReference(true).register(registry);
            Gauge.builder("clusworker.resource.period.restarts", r.periodRestarts, AtomicInteger::get)
                    .description("Restarts of the resource within its current restart period (the restart policy's count)")
                    .tags("resource", n).strongReference(true).register(registry);
            counter("clusworker.resource.failures", "Failures of a resource (each failure recorded)", n);
            counter("clusworker.resource.restarts", "Attempts to bring a resource online again after it failed", n);
            return r;
        });
    }

    private Counter counter(String name, String description, String resource) {
        return Counter.builder(name).description(description).tags("resource", resource).register(registry);
    }

    private Timer timer(String name, String description, String resource, String... tags) {
        return Timer.builder(name).description(description).tags("resource", resource).tags(tags)
                .serviceLevelObjectives(BUCKETS).register(registry);
    }

    /** A state as a label value: the admin API's name in lower case, e.g. {@code online_pending}. */
    static String stateLabel(ResourceState s) {
        return s == null ? "none" : s.name().toLowerCase(Locale.ROOT);
    }
}
