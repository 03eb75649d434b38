package org.clusworker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusworker.cli.admin.AdminFile;
import org.clusworker.cli.admin.AdminServer;
import org.clusworker.cli.admin.ResourceHostControl;
import org.clusworker.cli.config.HostConfig;
import org.clusworker.cli.metrics.ClusterMeters;
import org.clusworker.cli.metrics.Metrics;
import org.clusworker.host.ResourceTypes;
import org.clusworker.cli.view.StatusView;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceStatus;
import org.clusworker.worker.Registration;

/**
 * One run of a host in the foreground, as {@code run} and {@code demo} do it: lock the state
 * directory, build and start the host, open the admin API (its address and token in
 * {@code admin.json}, 0600), show the resources until SIGINT/SIGTERM (or the goal of a demo), then
 * shut down in order: everything offline in reverse dependency order, API closed, files removed.
 *
 * <h2>Implementation notes</h2>
 * <p>The main thread owns the session: it draws the view and waits on {@link #stop}. The view gets
 * the host's events on the host's event thread, from the first on (it is a listener from the build). Signal handlers
 * and the JVM shutdown hook only count {@link #stop} down; the hook then waits (bounded) for the main
 * thread to finish closing, so that even an exit by another signal leaves no resource running.
 */
final class HostSession {

    /** Ends a session on its own (the demo); {@code run} has none and ends on a signal. */
    @FunctionalInterface
    interface Goal {
        boolean reached(List<ResourceStatus> statuses, Instant now);
    }

    /** How a session ended. */
    enum Outcome { SIGNALLED, GOAL_REACHED, TIMED_OUT }

    /** How long an orderly shutdown of a cluster node waits for its groups to move away. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);
    /** Whether a signal drains the node's groups first (false: {@code --no-drain}). Main thread only. */
    private boolean drain = true;
    /**
     * Signals since the drain began (1 when it begins; more: stop in place). Set to 1 by the main thread, then
     * counted up by the signal handler, whose {@code ++} may lose a count to a concurrent one: only {@code > 1} is read.
     */
    private volatile int signals2;

    /** A signal stops this node's groups in place instead of moving them away ({@code run --no-drain}). */
    HostSession noDrain() {
        drain = false;
        return this;
    }

    /** Set by {@link #run} when the host has stopped. Main thread only. */
    private List<ResourceStatus> endedFailed = List.of();

    private static final Duration REFRESH = Duration.ofMillis(500);
    private static final Duration HOOK_WAIT = Duration.ofMinutes(10);

    private final HostConfig config;
    private final ResourceTypes types;
    private final StatusView view;
    private final Clock clock;
    private final ObjectMapper json;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    HostSession(HostConfig config, ResourceTypes types, StatusView view, Clock clock, ObjectMapper json) {
        this.config = config;
        this.types = types;
        this.view = view;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Runs the host until a signal, the goal, or the time limit.
     *
     * @param goal  null to run until a signal
     * @param limit null for no limit
     */
    @SuppressWarnings("try") // the lock is held for the whole session and never read
    /** The resources that were Failed when the host stopped (after {@link #run}). */
    List<ResourceStatus> endedFailed() {
        return endedFailed;
    }

    Outcome run(Goal goal, Duration limit) throws IOException {
        Path dir = config.stateDirectory();
        createStateDirectory(dir);
        try (StateLock lock = StateLock.acquire(dir); Metrics metrics = new Metrics()) {
            // the config loader validated every resource's parameters (running OCF validate-all) to report by line
            ResourceHost.Builder b = ResourceHost.builder().name(config.name()).stateDirectory(dir)
                    .types(types).propertiesValidated().eventListener(view)
                    .eventListener(metrics.host()).callObserver(metrics.host());
            config.shutdownTimeout().ifPresent(b::shutdownTimeout);
            config.resources().forEach(b::resource);
            ClusterSession cluster = config.cluster().map(ClusterSession::new).orElse(null);
            if (cluster != null) {
                cluster.configure(b, new ClusterMeters(metrics.registry()));
            }
            ResourceHost host = b.build();
            view.reset(host.statuses()); // before start: every event comes after it
            metrics.host().track(host.statuses());
            metrics.host().workersAlive(() -> host.workers().size());
            Outcome outcome;
            AdminServer admin = null;
            AdminFile file = null;
            Registration signals = () -> { };
            Thread hook = new Thread(this::onJvmShutdown, "clusworker-shutdown");
            try {
                admin = AdminServer.start(config.adminAddress(), config.adminPort(),
                        new ResourceHostControl(config.name(), host, () -> cluster == null ? Optional.empty()
                                : Optional.of(cluster.view())), json);
                admin.serveMetrics(metrics::scrape);
                file = new AdminFile(admin.url(), admin.token(), config.name(), ProcessHandle.current().pid());
                file.write(dir, json);
                Signals.Handlers handlers = Signals.onInterruptOrTerminate(this::onSignal);
                signals = handlers;
                Runtime.getRuntime().addShutdownHook(hook);
                view.message("host '" + config.name() + "': " + config.resources().size() + " resource(s); admin API at "
                        + admin.url() + " (token in " + AdminFile.in(dir) + "); state in " + dir);
                for (String ignored : handlers.ignored()) {
                    view.message(ignored + " is ignored by this process (inherited from its parent, as by a background job)"
                            + " and will not stop the host" + (handlers.ignored().contains("SIGTERM") ? ""
                            : "; stop it with SIGTERM (kill " + ProcessHandle.current().pid() + ")"));
                }
                host.start();
                if (cluster != null) {
                    view.message(cluster.describe() + "; its groups' resources stay offline until it owns them");
                    cluster.start(host, dir);
                }
                outcome = watch(host, goal, limit);
                if (cluster != null && outcome == Outcome.SIGNALLED && drain) {
                    view.message("moving this node's groups to the other nodes before it stops (signal again to stop them here)");
                    signals2 = 1;
                    if (!cluster.drain(DRAIN_TIMEOUT, () -> signals2 > 1)) {
                        view.message("not every group left this node; stopping the rest here");
                    }
                }
                view.message(switch (outcome) {
                    case SIGNALLED -> "signal received: shutting down (every resource offline, in reverse dependency order)";
                    case GOAL_REACHED -> "done: shutting down (every resource offline, in reverse dependency order)";
                    case TIMED_OUT -> "time limit of " + limit.toSeconds() + " s reached: shutting down";
                });
                view.refresh();
            } finally {
                try {
                    if (cluster != null) {
                        cluster.stopAcquiring();
                    }
                    host.close();
                    if (cluster != null) {
                        cluster.close();
                    }
                } finally {
                    if (admin != null) {
                        admin.close();
                    }
                    if (file != null) {
                        file.delete(dir, json);
                    }
                    signals.close();
                    closed.countDown();
                    removeHook(hook);
                }
            }
            view.message("host '" + config.name() + "' stopped");
            List<ResourceStatus> last = host.statuses();
            view.finish(last);
            endedFailed = last.stream().filter(r -> r.state() == org.clusworker.host.ResourceState.FAILED).toList();
            for (ResourceStatus r : endedFailed) {
                view.message("resource " + r.name() + " ended Failed: " + (r.lastFailure() == null ? "(no cause recorded)"
                        : r.lastFailure().lines().findFirst().orElse("")));
            }
            return outcome;
        }
    }

    private Outcome watch(ResourceHost host, Goal goal, Duration limit) {
        Instant deadline = limit == null ? null : clock.instant().plus(limit);
        for (;;) {
            view.refresh();
            if (goal != null && goal.reached(host.statuses(), clock.instant())) {
                return Outcome.GOAL_REACHED;
            }
            if (deadline != null && clock.instant().isAfter(deadline)) {
                return Outcome.TIMED_OUT;
            }
            if (awaitStop(REFRESH)) {
                return Outcome.SIGNALLED;
            }
        }
    }

    private boolean awaitStop(Duration timeout) {
        try {
            return stop.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true; // an interrupted main thread is asked to stop too
        }
    }

    private void onSignal() {
        if (signals2 > 0) {
            signals2++;
        }
        if (stop.getCount() == 0) {
            view.message("already shutting down; waiting for the resources to go offline");
        }
        stop.countDown();
    }

    private void onJvmShutdown() {
        stop.countDown();
        try {
            closed.await(HOOK_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting and runs the hook, which finds the session closed
        }
    }

    private static void createStateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // created meanwhile; fine
            }
        }
    }
}
