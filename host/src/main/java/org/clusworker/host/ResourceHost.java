package org.clusworker.host;

import org.clusworker.host.time.Durations;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.config.Names;
import org.clusworker.host.engine.DependencyGraph;
import org.clusworker.host.engine.HostRuntime;
import org.clusworker.host.engine.ResourceController;
import org.clusworker.host.engine.Texts;
import org.clusworker.host.time.HostClock;
import org.clusworker.host.time.SystemHostClock;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceType;
import org.clusworker.worker.Deadline;
import org.clusworker.worker.Registration;
import org.clusworker.worker.TerminationReport;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps resources online: the Java counterpart of the Windows Resource Monitor, hosting one agent per
 * resource and driving it through clusworker workers.
 *
 * <pre>{@code
 * try (ResourceHost host = ResourceHost.builder()
 *         .name("node1")
 *         .resource(new ResourceSpec("db", "process", Map.of("command", "postgres"), List.of(), ResourcePolicy.DEFAULTS))
 *         .resource(new ResourceSpec("app", "process", Map.of("command", "app"), List.of("db"), ResourcePolicy.DEFAULTS))
 *         .build()) {
 *     host.start();                       // opens every agent, brings db online, then app
 *     ...
 * }                                       // app offline, then db; agents closed; threads gone
 * }</pre>
 *
 * <h2>What it does</h2>
 * <ul>
 *   <li>Every agent call (open, online, offline, looksAlive, isAlive, terminate, close) runs in a worker
 *       of its own, named {@code clusworker-<resource>-<entry point>-<n>}: a slow agent never delays
 *       another resource. Calls of one resource never overlap, except terminate.</li>
 *   <li>Online and offline may take long and report progress ({@link org.clusworker.host.agent.Operation});
 *       without a report within {@code pendingTimeout}, or past the optional {@code operationCeiling},
 *       the operation is terminated and the resource goes Failed.</li>
 *   <li>While Online, LooksAlive runs every {@code looksAliveInterval} and IsAlive every
 *       {@code isAliveInterval}; LooksAlive false, or the agent's {@code signalFailure}, runs IsAlive at
 *       once; IsAlive false fails the resource, terminates it and applies the restart policy. Nothing is
 *       polled while a resource is pending, offline or failed.</li>
 *   <li>Any call that does not return within {@code deadlockTimeout} is abandoned: its resource goes
 *       Failed with the stuck thread's stack as diagnosis, the call is counted in
 *       {@link #abandonedCalls()}, and nothing else of that resource runs (but terminate) until it
 *       returns; the host and the other resources go on. (Windows recycles the whole host instead.)</li>
 *   <li>Stop after a failure, as Pacemaker runs OCF agents: after a failed or timed-out online or a
 *       failed IsAlive, the agent's terminate and then its offline run before anything else (the
 *       resource stays Failed meanwhile); Offline is reported only after an offline succeeded. An offline
 *       that fails or times out leaves the resource Failed, and nothing starts it again on its own: an
 *       offline or online request runs the stop again.</li>
 *   <li>Restarts: up to {@code restartThreshold} failures within a sliding {@code restartPeriod} are each
 *       followed by a restart after {@code restartDelay} (optionally backed off exponentially with
 *       jitter); past it the resource stays Failed until {@code retryPeriodOnFailure}, and with
 *       {@link RestartAction#RESTART_THEN_FAILOVER} the {@link FailoverHandler} is asked to move it.
 *       {@link #why(String)} and {@link ResourceStatus#nextAttempt()} say why it is Failed and when the
 *       next attempt is.</li>
 *   <li>Dependencies: a resource goes online only while everything it depends on is Online, and goes
 *       offline only once everything that depends on it is down. When a dependency leaves Online, its
 *       dependents are taken offline, and brought back once it is Online again.
 *       {@link #requestOnline} also wants the resource's dependencies online;
 *       {@link #requestOffline} takes its dependents down first (and they come back with it).</li>
 * </ul>
 *
 * <h2>Requests while an operation is pending</h2>
 * <ul>
 *   <li>Offline while OnlinePending: the online is terminated (OfflinePending); once it returns, the
 *       agent's offline stops whatever it began, and the resource is Offline once that returns.</li>
 *   <li>Online while OfflinePending: the offline finishes (Offline), then the resource goes online.</li>
 *   <li>Online while Failed: attempted at once (dependencies permitting), with a fresh restart window.
 *       Offline while Failed: Offline as soon as the stop after the failure has succeeded (at once if
 *       it has), unless a call of it is stuck.</li>
 *   <li>Online while OnlinePending or Online, offline while OfflinePending or Offline: nothing to do.</li>
 * </ul>
 *
 * <h2>Implementation notes</h2>
 * <p><b>Concurrency.</b> One state machine per resource ({@code ResourceController}, its transition
 * table in {@link ResourceState}) with its own lock, never held while foreign code runs. Decisions that
 * span resources are made under one host-wide reconciler lock, held only for bookkeeping. Statuses are
 * immutable snapshots in volatile fields: {@link #status}, {@link #statuses} and {@link #why} never wait
 * for an agent. Listeners run on the host's event thread ({@code clusworker-<host>-events-<n>}), in
 * transition order for each resource, never under a lock.
 *
 * <p><b>Timeouts.</b> Every timeout, interval and delay of the resources is measured by the
 * {@link HostClock} ({@link Builder#clock}), so tests advance a fake clock. The waits of
 * {@link #close()} and {@link #awaitQuiescence} are real-time waits of the calling thread, as every wait
 * for a thread is (a fake clock cannot wake a thread).
 *
 * <p><b>Termination.</b> {@link #close()} takes every resource offline, dependents first, within the
 * shutdown timeout; then fails and terminates whatever is not down, closes every agent whose calls have
 * all returned, stops the event and timer threads, and waits for every worker to exit, all within a
 * second shutdown timeout. What it cannot stop (a call stuck in non-interruptible code) is logged with
 * its stack and stays listed in {@link #abandonedCalls()} and {@link #workers()}.
 */
public final class ResourceHost implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceHost.class);

    private final String name;
    private final HostRuntime runtime;
    /** The clock the host made for itself, and stops when it closes; {@code null} if one was injected. */
    private final SystemHostClock ownedClock;
    private final List<ResourceController> controllers;
    /** Filled by the constructor, never changed after: read by any thread without a lock. */
    private final Map<String, ResourceController> byName;
    private final DependencyGraph graph;
    private final Duration shutdownTimeout;
    /** Resources not brought online at start, only on request. */
    private final Set<String> held;
    private final Object lifecycle = new Object();
    /** Serialises {@link #close()}: a second caller waits for the first to finish. */
    private final Object closeLock = new Object();
    /** Written under {@link #lifecycle}; volatile for lock-free reads. */
    private volatile HostState hostState = HostState.NEW;

    private ResourceHost(Builder b, ResourceTypes types) {
        this.name = b.name;
        this.shutdownTimeout = b.shutdownTimeout;
        this.held = Set.copyOf(b.held);
        HostClock clock = b.clock;
        if (clock == null) {
            ownedClock = new SystemHostClock(name);
            clock = ownedClock;
        } else {
            ownedClock = null;
        }
        Path dir = b.stateDirectory != null ? b.stateDirectory
                : Path.of(System.getProperty("java.io.tmpdir"), "clusworker-" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
        this.runtime = new HostRuntime(name, clock, b.failoverHandler, threadSafe(b.random), dir, b.virtualCalls, b.callObserver);
        List<ResourceController> list = new ArrayList<>();
        Map<String, ResourceController> map = new LinkedHashMap<>();
        Map<String, ResourceSpec> specs = new HashMap<>();
        for (ResourceSpec spec : b.specs) {
            ResourceType type = types.find(spec.type()).orElseThrow();
            ResourceController c = new ResourceController(spec, type, runtime);
            list.add(c);
            map.put(spec.name(), c);
            specs.put(spec.name(), spec);
        }
        this.controllers = List.copyOf(list);
        this.byName = map;
        this.graph = DependencyGraph.wire(controllers, specs);
        for (ResourceListener l : b.listeners) {
            runtime.dispatcher.addListener(l);
        }
        for (HostEventListener l : b.eventListeners) {
            runtime.dispatcher.addListener(l);
        }
    }

    private static RandomGenerator threadSafe(RandomGenerator random) {
        if (random == null) {
            return () -> ThreadLocalRandom.current().nextLong();
        }
        Object lock = new Object();
        return () -> {
            synchronized (lock) {
                return random.nextLong();
            }
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The host's name. */
    public String name() {
        return name;
    }

    /**
     * Opens every agent and brings every resource online, in dependency order. Returns at once.
     *
     * @throws IllegalStateException if the host was started or closed before
     */
    public void start() {
        synchronized (lifecycle) {
            if (hostState != HostState.NEW) {
                throw new IllegalStateException("Expected host " + name + " to be New, but was " + hostState.display());
            }
            hostState = HostState.RUNNING;
        }
        LOG.info("Host {}: starting {} resources", name, controllers.size());
        runtime.dispatcher.post(HostEvent.ofHost("host " + name + " started with " + controllers.size() + " resources", runtime.clock.now()));
        runtime.dispatcher.start(runtime.registry);
        runtime.activity.enter();
        try {
            for (ResourceController c : graph.order()) {
                c.open(held.contains(c.name()));
            }
        } finally {
            runtime.activity.exit();
        }
    }

    /**
     * Wants the resource, and everything it depends on, online; they go online in dependency order.
     * Returns at once. See the class comment for a request that meets a pending operation.
     *
     * @throws UnknownResourceException if there is no such resource
     * @throws IllegalStateException    if the host is not running
     */
    public void requestOnline(String name) {
        ResourceController c = controller(name);
        requireRunning("online of " + name);
        List<ResourceController> chain = graph.withDependencies(c);
        runtime.activity.enter();
        try {
            runtime.reconcile(() -> {
                for (ResourceController x : chain) {
                    x.want(true, x == c ? "online requested" : "online requested for its dependent " + name);
                }
            }, graph.order());
        } finally {
            runtime.activity.exit();
        }
    }

    /**
     * Tells the host's event listeners something about the host as a whole (a {@link HostEvent.Kind#HOST}
     * event), for example what a cluster layer above it sees change. Never blocks.
     */
    public void announce(String message) {
        runtime.dispatcher.post(HostEvent.ofHost(java.util.Objects.requireNonNull(message, "message"), runtime.clock.now()));
    }

    /**
     * Wants the resource offline; what depends on it goes offline first (and comes back once it is
     * Online again). Returns at once.
     *
     * @throws UnknownResourceException if there is no such resource
     * @throws IllegalStateException    if the host is not running
     */
    public void requestOffline(String name) {
        ResourceController c = controller(name);
        requireRunning("offline of " + name);
        runtime.activity.enter();
        try {
            runtime.reconcile(() -> c.want(false, "offline requested"), c.around());
        } finally {
            runtime.activity.exit();
        }
    }

    /**
     * The resource's current status. Never blocks.
     *
     * @throws UnknownResourceException if there is no such resource
     */
    public ResourceStatus status(String name) {
        return controller(name).status();
    }

    /** Every resource, in configuration order. Never blocks. */
    public List<ResourceStatus> statuses() {
        List<ResourceStatus> list = new ArrayList<>(controllers.size());
        for (ResourceController c : controllers) {
            list.add(c.status());
        }
        return list;
    }

    /**
     * A human explanation of the resource's state: why it is Failed (or Offline, or pending) and when
     * the next attempt is, e.g. {@code "db is Failed since ...: isAlive returned false. Next attempt at ...
     * (restart after failure 1 of 3 allowed within 15m)"}. Never waits for an agent.
     *
     * @throws UnknownResourceException if there is no such resource
     */
    public String why(String name) {
        return controller(name).why();
    }

    /**
     * Sets the fencing token that the resource's agent sees from its next online on (through
     * {@link org.clusworker.host.agent.AgentContext#fencing()}, and as the {@code CLUSWORKER_*} environment of
     * {@code process} and {@code ocf} resources): the cluster layer sets it before it requests the
     * resources of a group it acquired online. Never blocks.
     *
     * @param token {@code null} to remove it
     * @throws UnknownResourceException if there is no such resource
     */
    public void fence(String name, org.clusworker.host.agent.Fencing token) {
        controller(name).fencing(token);
    }

    /**
     * Whether the resource is surely stopped, being stopped, could not be stopped, or runs: what a
     * cluster must know before another node may start it. Never waits for an agent.
     *
     * @throws UnknownResourceException if there is no such resource
     */
    public StopState stopState(String name) {
        return controller(name).stopState();
    }

    /**
     * How to stop the resource from outside this JVM if it dies: its agent's
     * {@link org.clusworker.host.agent.ResourceAgent#fenceActions()}. For a cluster node's watchdog. Never blocks.
     *
     * @throws UnknownResourceException if there is no such resource
     */
    public org.clusworker.host.agent.FenceActions fenceActions(String name) {
        return controller(name).fenceActions();
    }

    /** Adds a listener of every resource's transitions; closing the registration removes it. */
    public Registration addListener(ResourceListener listener) {
        return runtime.dispatcher.addListener(listener);
    }

    /**
     * Adds a listener of every {@link HostEvent}: transitions, progress reports, failures, planned retries
     * and the host's own start and shutdown, numbered in delivery order. Closing the registration removes it.
     */
    public Registration addEventListener(HostEventListener listener) {
        return runtime.dispatcher.addListener(listener);
    }

    /**
     * Every agent call that was abandoned because it did not return within its deadlock timeout, oldest
     * first, whether it is still stuck or returned later.
     */
    public List<AbandonedCall> abandonedCalls() {
        return runtime.abandoned.snapshot();
    }

    /** The host's live worker threads (agent calls and the event thread), oldest first. */
    public List<WorkerSnapshot> workers() {
        return runtime.registry.live();
    }

    /**
     * Waits until the host is quiescent: no agent call running (abandoned ones aside), no timer task or
     * request being handled, every event delivered. Nothing then changes until the clock fires a timer,
     * a request arrives or an agent signals. Meant for tests (after advancing a fake clock) and tooling.
     *
     * <p>Waits in real time. Memory consistency: everything the host did before it became quiescent
     * happens-before this method returns {@code true}. Interrupts: returns {@code false} at once with the
     * interrupt status set.
     *
     * @return {@code true} if quiescent, {@code false} if {@code timeout} passed first
     */
    public boolean awaitQuiescence(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return runtime.activity.awaitQuiescence(timeout);
    }

    /** The number of state transitions of the resource so far (for tests of lost events). */
    long transitions(String name) {
        return controller(name).transitions();
    }

    /**
     * Takes everything offline in reverse dependency order within the shutdown timeout, then terminates
     * what is left, closes every agent and stops every thread of the host, within a second shutdown
     * timeout (see the class comment). Idempotent; a concurrent caller waits until the first is done.
     * Waits in real time; an interrupt does not cut it short (the status is kept).
     *
     * @throws IllegalStateException if called on one of the host's own threads (by an agent or a
     *         listener), which would wait for itself
     */
    @Override
    public void close() {
        for (Worker w : runtime.registry.workers()) {
            if (w.thread() == Thread.currentThread()) {
                throw new IllegalStateException("Expected host " + name + " to be closed from outside, but "
                        + w.name() + " (its own thread) tried; it would wait for itself");
            }
        }
        synchronized (closeLock) {
            HostState was;
            synchronized (lifecycle) {
                was = hostState;
                if (was == HostState.CLOSED) {
                    return;
                }
                hostState = HostState.CLOSING;
            }
            try {
                if (was == HostState.RUNNING) {
                    shutDown();
                } else {
                    for (ResourceController c : controllers) {
                        c.markClosed();
                    }
                }
            } finally {
                if (ownedClock != null) {
                    ownedClock.shutdown(Duration.ofSeconds(5));
                }
                synchronized (lifecycle) {
                    hostState = HostState.CLOSED;
                }
                LOG.info("Host {}: closed", name);
            }
        }
    }

    private void shutDown() {
        LOG.info("Host {}: shutting down, dependents first (timeout {})", name, Durations.format(shutdownTimeout));
        runtime.dispatcher.post(HostEvent.ofHost("host " + name + " shutting down", runtime.clock.now()));
        runtime.activity.enter();
        try {
            runtime.reconcile(() -> controllers.forEach(ResourceController::beginShutdown), graph.order());
        } finally {
            runtime.activity.exit();
        }
        boolean down = runtime.activity.awaitQuiescenceUninterruptibly(shutdownTimeout) && allDown();
        Deadline deadline = Deadline.after(shutdownTimeout);
        if (!down) {
            LOG.warn("Host {}: not everything went offline within {}; terminating what is left", name, Durations.format(shutdownTimeout));
            runtime.activity.enter();
            try {
                for (ResourceController c : graph.reverseOrder()) {
                    c.terminateForShutdown(shutdownTimeout);
                }
            } finally {
                runtime.activity.exit();
            }
            runtime.activity.awaitQuiescenceUninterruptibly(deadline.remaining());
        }
        runtime.activity.enter();
        try {
            for (ResourceController c : graph.reverseOrder()) {
                c.closeAgent();
            }
        } finally {
            runtime.activity.exit();
        }
        if (!runtime.activity.awaitQuiescenceUninterruptibly(deadline.remaining())) {
            LOG.warn("Host {}: still busy after the shutdown timeout ({} activities)", name, runtime.activity.active());
        }
        for (ResourceController c : controllers) {
            c.markClosed();
        }
        Duration last = max(deadline.remaining(), Duration.ofSeconds(1));
        runtime.dispatcher.stop(last);
        awaitWorkers(max(deadline.remaining(), Duration.ofSeconds(1)));
    }

    private boolean allDown() {
        for (ResourceController c : controllers) {
            if (!c.isDown()) {
                return false;
            }
        }
        return true;
    }

    /** Waits for every worker that is not stuck in an abandoned call, then reports what is left. */
    private void awaitWorkers(Duration timeout) {
        Set<String> stuck = new HashSet<>();
        for (AbandonedCall a : runtime.abandoned.snapshot()) {
            if (a.stillStuck()) {
                stuck.add(a.worker());
            }
        }
        List<Worker> others = new ArrayList<>();
        for (Worker w : runtime.registry.workers()) {
            if (!stuck.contains(w.name())) {
                others.add(w);
            }
        }
        Worker.awaitAll(others, timeout);
        List<Worker> left = runtime.registry.workers();
        if (!left.isEmpty()) {
            TerminationReport report = Worker.awaitAll(left, Duration.ZERO);
            LOG.warn("Host {}: {} worker(s) still running after shutdown (stuck in agent code): {}", name, left.size(), report);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private ResourceController controller(String name) {
        ResourceController c = byName.get(Objects.requireNonNull(name, "name"));
        if (c == null) {
            throw new UnknownResourceException(name);
        }
        return c;
    }

    private void requireRunning(String request) {
        HostState s = hostState;
        if (s != HostState.RUNNING) {
            throw new IllegalStateException("Expected host " + name + " to be Running for the " + request + " request, but was " + s.display());
        }
    }

    @Override
    public String toString() {
        return "ResourceHost[" + name + ", " + hostState.display() + ", " + controllers.size() + " resources]";
    }

    /**
     * Builds a host: its name, state directory, resource types, resources, listeners, shutdown timeout,
     * and (beyond the contract's defaults) its clock, failover handler and randomness. Not thread-safe.
     */
    public static final class Builder {
        private String name = "host";
        private Path stateDirectory;
        private ResourceTypes types;
        private final List<ResourceSpec> specs = new ArrayList<>();
        private final List<ResourceListener> listeners = new ArrayList<>();
        private final List<HostEventListener> eventListeners = new ArrayList<>();
        private boolean virtualCalls = true;
        private final Set<String> held = new java.util.LinkedHashSet<>();
        private Duration shutdownTimeout = Duration.ofSeconds(60);
        private HostClock clock;
        private FailoverHandler failoverHandler = FailoverHandler.NONE;
        private CallObserver callObserver = CallObserver.NONE;
        private RandomGenerator random;
        private boolean propertiesValidated;

        /** The host's name, in its threads' names and messages (default {@code "host"}). */
        public Builder name(String hostName) {
            Objects.requireNonNull(hostName, "hostName");
            this.name = Names.require("hostName", hostName);
            return this;
        }

        /**
         * Where each resource gets its work directory, {@code <directory>/<resource>}, created when its
         * agent is opened (default: {@code <java.io.tmpdir>/clusworker-<host>}).
         */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** The resource types (default: {@link ResourceTypes#installed()}). */
        public Builder types(ResourceTypes types) {
            this.types = Objects.requireNonNull(types, "types");
            return this;
        }

        /** Adds a resource; configuration order is kept. */
        public Builder resource(ResourceSpec spec) {
            specs.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Adds a listener of every transition. */
        public Builder listener(ResourceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Whether agent calls run on virtual threads (the default: the host's thread count then does not
         * grow with its resources, and a hung call holds only its own virtual thread) or on platform threads
         * ({@code false}: for agents that block while holding a monitor, which pins a virtual thread's
         * carrier on JDK 21-23).
         */
        public Builder virtualThreads(boolean virtual) {
            this.virtualCalls = virtual;
            return this;
        }

        /**
         * Holds these resources offline when the host starts: they are opened, but go online only when
         * {@link ResourceHost#requestOnline} asks (the resources of a cluster group that this node does not
         * own). Unknown names are refused by {@link #build()}.
         */
        public Builder heldOffline(java.util.Collection<String> names) {
            names.forEach(n -> held.add(Objects.requireNonNull(n, "name")));
            return this;
        }

        /** Adds a listener of every {@link HostEvent}, from the host's first (see {@link ResourceHost#addEventListener}). */
        public Builder eventListener(HostEventListener listener) {
            eventListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder shutdownTimeout(Duration timeout) {
            ResourcePolicy.positive(timeout, "shutdownTimeout");
            this.shutdownTimeout = timeout;
            return this;
        }

        /** The clock of every timeout, interval and delay (default: the system's, with a timer thread of the host's own). */
        public Builder clock(HostClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where {@link RestartAction#RESTART_THEN_FAILOVER} goes past the threshold (default {@link FailoverHandler#NONE}). */
        public Builder failoverHandler(FailoverHandler handler) {
            this.failoverHandler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /** Hears of every agent call's duration and of the calls the host terminates, for metrics (default {@link CallObserver#NONE}). */
        public Builder callObserver(CallObserver observer) {
            this.callObserver = Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The randomness of the backoff's jitter (default: {@link ThreadLocalRandom}); the host synchronizes its use. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Says that every resource's properties have already been checked with its type's
         * {@link ResourceType#validate}, so {@link #build()} need not call it again (which for some types,
         * such as OCF agents, runs external programs). For a caller that validates first to report errors
         * in its own terms, e.g. by line of a configuration file. Names, types and dependencies are
         * still checked; an agent given bad properties anyway fails when it is opened.
         */
        public Builder propertiesValidated() {
            this.propertiesValidated = true;
            return this;
        }

        /** @throws HostConfigurationException listing every problem (unknown type or dependency, cycle, duplicate name, invalid properties) */
        public ResourceHost build() {
            ResourceTypes known = types != null ? types : ResourceTypes.installed();
            List<String> errors = new ArrayList<>();
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < specs.size(); i++) {
                ResourceSpec s = specs.get(i);
                Integer first = seen.putIfAbsent(s.name(), i);
                if (first != null) {
                    errors.add("resource " + s.name() + ": name: duplicate (resources #" + (first + 1) + " and #" + (i + 1) + ")");
                }
                ResourceType type = known.find(s.type()).orElse(null);
                if (type == null) {
                    errors.add("resource " + s.name() + ": type: unknown type '" + s.type() + "' (known: "
                            + (known.names().isEmpty() ? "none" : String.join(", ", known.names())) + ")");
                } else if (!propertiesValidated) {
                    errors.addAll(propertyErrors(s, type));
                }
            }
            errors.addAll(DependencyGraph.problems(specs));
            for (String h : held) {
                if (!seen.containsKey(h)) {
                    errors.add("heldOffline: unknown resource '" + h + "'");
                }
            }
            if (!errors.isEmpty()) {
                throw new HostConfigurationException(errors);
            }
            return new ResourceHost(this, known);
        }

        private static List<String> propertyErrors(ResourceSpec s, ResourceType type) {
            List<String> errors = new ArrayList<>();
            try {
                List<PropertyError> found = type.validate(s.properties());
                if (found != null) {
                    for (PropertyError e : found) {
                        errors.add("resource " + s.name() + ": properties: " + e);
                    }
                }
            } catch (RuntimeException e) {
                errors.add("resource " + s.name() + ": properties: type " + type.name() + " could not validate them: " + e);
            }
            return errors;
        }
    }
}
