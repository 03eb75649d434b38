package org.clusworker.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceTypes;

/**
 * A host on a {@link FakeClock}, with a {@link TestType} of {@link TestAgent}s and a
 * {@link RecordingListener}: the usual set-up of a scenario test.
 *
 * <pre>{@code
 * try (HostFixture f = new HostFixture()) {
 *     f.agent("db").onIsAlive(Scripts.answering(false));
 *     f.resource("db").start();
 *     f.events.awaitState("db", ONLINE);
 *     f.advance(Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class HostFixture implements AutoCloseable {

    public final FakeClock clock = new FakeClock();
    public final TestType type = new TestType("test");
    public final RecordingListener events = new RecordingListener();
    private final List<ResourceSpec> specs = new ArrayList<>();
    private final Path stateDirectory;
    private ResourceHost.Builder builder;
    private ResourceHost host;

    public HostFixture() {
        try {
            stateDirectory = Files.createTempDirectory("clusworker-host-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        builder = ResourceHost.builder().name("test").clock(clock).types(new ResourceTypes().register(type))
                .listener(events).stateDirectory(stateDirectory).shutdownTimeout(Patience.PATIENCE)
                .virtualThreads(false);     // the scenarios find a resource's workers among the platform threads
    }

    /** The builder, to set more before {@link #start()}. */
    public ResourceHost.Builder builder() {
        return builder;
    }

    /** The agent of that resource (script it before {@link #start()}). */
    public TestAgent agent(String resource) {
        return type.agent(resource);
    }

    /** Adds a resource of the test type with the default policy. */
    public HostFixture resource(String name, String... dependsOn) {
        return resource(name, ResourcePolicy.DEFAULTS, dependsOn);
    }

    /** Adds a resource of the test type. */
    public HostFixture resource(String name, ResourcePolicy policy, String... dependsOn) {
        ResourceSpec spec = new ResourceSpec(name, type.name(), Map.of(), Arrays.asList(dependsOn), policy);
        specs.add(spec);
        builder.resource(spec);
        return this;
    }

    /** Builds and starts the host; does not wait. */
    public ResourceHost start() {
        host = builder.build();
        host.start();
        return host;
    }

    /** Starts the host and waits until every resource is Online. */
    public ResourceHost startOnline() {
        start();
        for (ResourceSpec s : specs) {
            events.awaitState(s.name(), ResourceState.ONLINE);
        }
        settle();
        return host;
    }

    public ResourceHost host() {
        return host;
    }

    /**
     * Advances the fake clock, letting the host settle after every timer task (so a long jump cannot
     * outrun the worker threads), then once more at the end. For advances while a call is meant to stay
     * in flight, use {@code clock.advance} directly.
     */
    public void advance(Duration d) {
        clock.advance(d, this::settle);
        settle();
    }

    /**
     * Advances the fake clock while a call is meant to stay in flight (so the host cannot become
     * quiescent): after every timer task, waits until the workers of {@code resources} have exited, so
     * that their calls cannot be outrun by the fake time.
     */
    public void advanceSettling(Duration d, String... resources) {
        clock.advance(d, () -> {
            for (String r : resources) {
                awaitWorkersOf(r);
            }
        });
    }

    /**
     * Waits (real time, {@link Patience#PATIENCE} each) until no worker thread of the resource (or of the
     * resource's entry point, given as {@code "db-terminate"}) is alive.
     */
    public static void awaitWorkersOf(String resource) {
        String prefix = "clusworker-" + resource + "-";
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                try {
                    if (!t.join(Patience.PATIENCE)) {
                        throw new AssertionError("Expected worker " + t.getName() + " to exit within " + Patience.PATIENCE);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Waits (real time, {@link Patience#PATIENCE}) until the host is quiescent. */
    public void settle() {
        if (!host.awaitQuiescence(Patience.PATIENCE)) {
            throw new AssertionError("Expected the host to be quiescent within " + Patience.PATIENCE + ", but it was busy: " + host.statuses());
        }
    }

    /** Every contract breach any agent saw. */
    public List<String> violations() {
        List<String> all = new ArrayList<>();
        for (TestAgent a : type.agents().values()) {
            all.addAll(a.violations());
        }
        return all;
    }

    @Override
    public void close() {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            try (Stream<Path> files = Files.walk(stateDirectory)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
