package org.clusworker.host.engine;

import org.clusworker.host.time.Durations;
import org.clusworker.host.ResourceState;
import org.clusworker.host.AbandonedCall;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceStatus;
import org.clusworker.host.RestartAction;
import org.clusworker.host.events.EventDispatcher;
import org.clusworker.host.policy.HealthSchedule;
import org.clusworker.host.policy.RestartBackoff;
import org.clusworker.host.policy.RestartTracker;
import org.clusworker.host.time.HostClock;

import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one resource: it drives the resource's agent through workers, along the
 * transition table of {@link ResourceState} (rows in {@link Transition}).
 *
 * <h2>Implementation notes</h2>
 * <p><b>Concurrency.</b> All mutable state is guarded by {@link #lock}, held only for short bookkeeping:
 * no agent, listener or other foreign code ever runs under it. Every agent entry point runs in a worker
 * of its own ({@code clusworker-<resource>-<entry>-<n>}); at most one of them ({@link #call}) at a time,
 * plus at most one {@code terminate} ({@link #terminateCall}) beside it, which is the only entry point
 * that may overlap another. A new call starts only when both slots are free, so no entry point ever
 * starts while another (terminate included) is still inside the agent. Events are appended to the
 * host's event queue under the lock, in transition order, before the new status is published, so
 * whoever sees a status finds its event already queued; the event thread passes through the lock before
 * delivering, so a listener sees a status at least as new as its event. The {@link ResourceStatus} snapshot is
 * immutable, in a volatile field: reading it never blocks.
 *
 * <p>Decisions that involve other resources (go online: every dependency Online; go offline: every
 * dependent down) are made by {@link #reconcile()}, which the host calls under its one reconciler lock
 * (lock order: reconciler, then a resource's lock; never two resource locks). Whatever changed a
 * resource (a returning call, a timer, a request) asks the host to reconcile it and its neighbours
 * after releasing the lock.
 *
 * <p><b>Timeouts.</b> All time comes from the host's {@link HostClock}. A pending online/offline fails
 * when no progress report arrives within {@code pendingTimeout} (each report re-arms the timer) or when
 * it exceeds its optional {@code operationCeiling}. Every call has a deadlock watchdog of
 * {@code deadlockTimeout}: from its start, re-armed by each progress report of an online/offline and
 * when that operation is terminated (a terminated operation gets a full deadlock timeout to return).
 *
 * <p><b>Deadlocks.</b> A call past its watchdog is abandoned: the resource goes Failed with a diagnosis
 * that includes the stuck thread's stack, the agent's terminate is called, the call is counted in the
 * host's {@link AbandonedCall}s, and its worker is left running (nothing kills a thread). The call keeps
 * its slot, so no other entry point of this resource runs (except terminate) and the resource is not
 * restarted while it is stuck: its restart is decided as usual, but waits until the call returns.
 * Other resources are not affected.
 *
 * <p><b>Termination.</b> Terminating an operation sets its flag (so reports answer
 * {@link ExitState#TERMINATE}), then, in a terminate worker, requests termination of the operation's
 * worker (waking its waits, running its callbacks) and calls the agent's terminate.
 */
public final class ResourceController {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceController.class);

    private final String name;
    private final ResourceSpec spec;
    private final ResourcePolicy policy;
    private final ResourceType type;
    private final HostRuntime runtime;
    private final Path workDirectory;
    private final ResourceAgentContext agentContext;
    private final ReentrantLock lock = new ReentrantLock();

    /** Wired once by {@link DependencyGraph} before the host is published; never changed after. */
    private List<ResourceController> dependencies = List.of();
    /** As {@link #dependencies}. */
    private List<ResourceController> dependents = List.of();
    /** As {@link #dependencies}: what to reconcile when this resource changes, in dependency order. */
    private List<ResourceController> around = List.of();

    // ---- @GuardedBy("lock") ----
    private ResourceState state = UNKNOWN;
    private Instant since;
    private boolean wantsOnline;
    /** Why it is (not) wanted online: "host started", "online requested", "offline requested". */
    private String intent = "not started";
    /** The host is shutting down: never online again, no restarts. */
    private boolean closing;
    /** The host has closed: no more transitions or events; a late call only frees its slot. */
    private boolean closed;
    /** It was last taken offline because a dependency left Online. */
    private boolean downForDependency;
    private ResourceAgent agent;
    private boolean agentClosed;
    private AgentCall call;
    private AgentCall terminateCall;
    private boolean terminateAgain;
    private PendingOperation operation;
    private final HealthSchedule health;
    private final RestartTracker restarts;
    private HostClock.Scheduled retryTimer;
    private long retryEpoch;
    private boolean retryDue;
    private boolean retryAfterGiveUp;
    private String retryReason;
    private Instant nextAttempt;
    private String lastFailure;
    private Instant onlineSince;
    private long transitions;

    // ---- published: written under lock, read without ----
    private volatile ResourceStatus status;
    /** Wanted online and every dependency Online and upheld; written under the reconciler lock too. */
    private volatile boolean upheld;

    public ResourceController(ResourceSpec spec, ResourceType type, HostRuntime runtime) {
        this.name = spec.name();
        this.spec = spec;
        this.policy = spec.policy();
        this.type = type;
        this.runtime = runtime;
        this.workDirectory = runtime.stateDirectory.resolve(fileName(name));
        this.agentContext = new ResourceAgentContext(spec, workDirectory, this);
        this.health = new HealthSchedule(runtime.clock, policy, this::onHealthTick);
        this.restarts = new RestartTracker(policy, new RestartBackoff(policy.restartDelay(), policy.backoff(), runtime.random));
        lock.lock();
        try {
            since = runtime.clock.now();
            publish();
        } finally {
            lock.unlock();
        }
    }

    private static String fileName(String resource) {
        return resource.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    void wire(List<ResourceController> dependencies, List<ResourceController> dependents, List<ResourceController> around) {
        this.dependencies = List.copyOf(dependencies);
        this.dependents = List.copyOf(dependents);
        this.around = List.copyOf(around);
    }

    String name() {
        return name;
    }

    List<ResourceController> dependencies() {
        return dependencies;
    }

    public List<ResourceController> around() {
        return around;
    }

    public ResourceStatus status() {
        return status;
    }

    public boolean isDown() {
        return isDown(status.state());
    }

    private static boolean isDown(ResourceState s) {
        return s == OFFLINE || s == FAILED || s == UNKNOWN;
    }

    public long transitions() {
        lock.lock();
        try {
            return transitions;
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ requests

    /** The host started: open the agent, and want the resource online. */
    public void open() {
        lock.lock();
        try {
            if (closing || state != UNKNOWN || call != null) {
                return;
            }
            wantsOnline = true;
            intent = "host started";
            startCall(EntryPoint.OPEN, this::openAgent, null);
        } finally {
            lock.unlock();
        }
    }

    /** Wants the resource online or offline (under the reconciler lock; {@link #reconcile} acts on it). */
    public void want(boolean online, String why) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            wantsOnline = online;
            intent = why;
            if (online) {
                if (state == FAILED) {     // by hand: try now, with a fresh restart window
                    restarts.reset();
                    retryAfterGiveUp = false;
                    cancelRetry();
                    retryDue = true;
                    retryReason = why;
                    nextAttempt = null;
                }
            } else {
                cancelRetry();
                retryDue = false;
                nextAttempt = null;
                if (state == FAILED && idle()) {
                    transition(Transition.FAILED_TAKEN_OFFLINE, why);
                }
            }
            publish();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acts on what this resource wants and what its neighbours are now. Called under the reconciler lock.
     *
     * @return whether it went Failed here (a worker could not be started), so its dependencies need
     *         reconciling too
     */
    boolean reconcile() {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            boolean up = wantsOnline && !closing && dependenciesUp();
            upheld = up;
            ResourceState before = state;
            switch (state) {
                case UNKNOWN, OFFLINE_PENDING -> { }
                case OFFLINE -> {
                    if (up && idle()) {
                        beginOnline(downForDependency ? "every dependency is Online again" : intent);
                    }
                }
                case FAILED -> {
                    if (up && retryDue && idle()) {
                        beginOnline(retryReason);
                    }
                }
                case ONLINE -> {
                    if (!up && idle() && dependentsDown()) {
                        beginOffline(downCause());
                    }
                }
                case ONLINE_PENDING -> {
                    if (!up) {
                        abortOnline(downCause());
                    }
                }
                default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name);
            }
            return state == FAILED && before != FAILED;
        } finally {
            lock.unlock();
        }
    }

    private boolean dependenciesUp() {
        for (ResourceController d : dependencies) {
            if (d.status.state() != ONLINE || !d.upheld) {
                return false;
            }
        }
        return true;
    }

    private boolean dependentsDown() {
        for (ResourceController d : dependents) {
            if (!d.isDown()) {
                return false;
            }
        }
        return true;
    }

    private boolean idle() {
        return call == null && terminateCall == null;
    }

    /** Why it must go down now; also remembers whether a dependency is the reason. */
    private String downCause() {
        if (closing) {
            downForDependency = false;
            return "host shutting down";
        }
        if (!wantsOnline) {
            downForDependency = false;
            return intent;
        }
        downForDependency = true;
        return "dependency " + blockingDependency();
    }

    private String blockingDependency() {
        for (ResourceController d : dependencies) {
            ResourceState s = d.status.state();
            if (s != ONLINE) {
                return d.name + " is " + s.displayName();
            }
            if (!d.upheld) {
                return d.name + " is going offline";
            }
        }
        return "(none)";
    }

    private void beginOnline(String cause) {
        if (retryAfterGiveUp) {
            restarts.reset();
            retryAfterGiveUp = false;
        }
        cancelRetry();
        retryDue = false;
        nextAttempt = null;
        PendingOperation op = new PendingOperation(this, EntryPoint.ONLINE, policy.pendingTimeout());
        ResourceAgent known = agent;
        operation = op;
        transition(Transition.ONLINE_STARTED, cause);
        armOperationTimers(op);
        startCall(EntryPoint.ONLINE, () -> {
            ResourceAgent a = known != null ? known : openAgent();
            a.online(op);
            return null;
        }, op);
    }

    private void beginOffline(String cause) {
        PendingOperation op = new PendingOperation(this, EntryPoint.OFFLINE, policy.pendingTimeout());
        ResourceAgent a = agent;
        transition(Transition.OFFLINE_STARTED, cause);
        operation = op;
        armOperationTimers(op);
        startCall(EntryPoint.OFFLINE, () -> {
            a.offline(op);
            return null;
        }, op);
    }

    /** Offline while OnlinePending: terminate the online; the resource is Offline once it returns. */
    private void abortOnline(String cause) {
        PendingOperation op = operation;
        transition(Transition.ONLINE_ABORTED, cause + "; terminating the pending online");
        op.abortCause = cause;
        op.terminating = true;
        armPendingTimer(op);          // the terminated online gets a pending timeout to return
        if (call != null) {
            armWatchdog(call);
        }
        startTerminate();
    }

    // ------------------------------------------------------------------ calls

    /** Runs in a worker of the call, on the worker's thread. */
    private ResourceAgent openAgent() throws Exception {
        Files.createDirectories(workDirectory);
        ResourceAgent a = type.open(agentContext);
        if (a == null) {
            throw new AgentException("Resource type " + type.name() + " opened resource " + name + " as null");
        }
        lock.lock();
        try {
            agent = a;
        } finally {
            lock.unlock();
        }
        return a;
    }

    private void startCall(EntryPoint entry, AgentCall.Body body, PendingOperation op) {
        AgentCall c = new AgentCall(entry, now());
        if (entry == EntryPoint.TERMINATE) {
            terminateCall = c;
        } else {
            call = c;
        }
        try {
            c.worker = Worker.builder(name + "-" + entry.role()).registry(runtime.registry).unstarted(ctx -> runCall(c, body));
            if (op != null) {
                op.bind(c.worker.context());
            }
            runtime.activity.enter();
            c.counted = true;
            armWatchdog(c);
            c.worker.start();
        } catch (WorkerStartException e) {
            LOG.error("Resource {}: could not start a worker for {}", name, entry.displayName(), e);
            c.returned = true;
            c.cancelWatchdog();
            if (c.counted) {
                c.counted = false;
                runtime.activity.exit();
            }
            complete(c, Outcome.threw(e));
        }
    }

    /** The routine of every call's worker. */
    private int runCall(AgentCall c, AgentCall.Body body) {
        Outcome outcome;
        try {
            outcome = Outcome.returned(body.invoke());
        } catch (Throwable t) {     // an agent's failure, whatever it is, fails its resource
            outcome = Outcome.threw(t);
        }
        lock.lock();
        try {
            c.returned = true;
            c.cancelWatchdog();
            if (!c.counted) {       // abandoned: count the handling of its late return
                c.counted = true;
                runtime.activity.enter();
            }
            complete(c, outcome);
        } finally {
            lock.unlock();
        }
        try {
            runtime.reconcileAround(this);
        } finally {
            runtime.activity.exit();
        }
        return 0;
    }

    /** A call returned (or could not start): free its slot and act on its outcome. Under the lock. */
    private void complete(AgentCall c, Outcome outcome) {
        if (c.abandoned) {
            runtime.abandoned.returned(c.abandonedIndex, now());
            LOG.warn("Resource {}: the abandoned {} call returned after all", name, c);
        }
        if (c == terminateCall) {
            terminateCall = null;
            if (!outcome.ok()) {
                LOG.warn("Resource {}: terminate threw", name, outcome.failure());
            }
            if (terminateAgain && !closed) {
                terminateAgain = false;
                startTerminate();
            } else {
                pump();
            }
            return;
        }
        if (c != call) {
            throw new IllegalStateException("Expected call " + c + " to be the current call of resource " + name + ", but was " + call);
        }
        call = null;
        if (closed || c.abandoned) {
            return;     // the resource is Failed (or the host closed) already
        }
        switch (c.entry) {
            case OPEN -> openReturned(outcome);
            case ONLINE -> onlineReturned(outcome);
            case OFFLINE -> offlineReturned(outcome);
            case LOOKS_ALIVE -> looksAliveReturned(outcome);
            case IS_ALIVE -> isAliveReturned(outcome);
            case CLOSE -> closeReturned(outcome);
            default -> throw new IllegalStateException("Unexpected entry point " + c.entry + " of resource " + name);
        }
        pump();
    }

    private void openReturned(Outcome outcome) {
        if (state != UNKNOWN) {
            return;
        }
        if (outcome.ok()) {
            transition(Transition.OPENED, "agent opened");
        } else {
            fail(Transition.OPEN_FAILED, "open failed: " + Texts.failure(outcome.failure()), outcome.failure(), false);
        }
    }

    private void onlineReturned(Outcome outcome) {
        switch (state) {
            case ONLINE_PENDING -> {
                if (outcome.ok()) {
                    int reports = operation.reports;
                    transition(Transition.ONLINE_DONE, "online returned" + (reports == 0 ? "" : " after " + reports + " progress report" + (reports == 1 ? "" : "s")));
                } else {
                    fail(Transition.PENDING_FAILED, "online failed: " + Texts.failure(outcome.failure()), outcome.failure(), true);
                }
            }
            case OFFLINE_PENDING -> transition(Transition.OFFLINE_DONE, "the terminated online returned (" + operation.abortCause + ")");
            case FAILED -> { }      // timed out before; already failed
            default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name + " after online");
        }
    }

    private void offlineReturned(Outcome outcome) {
        switch (state) {
            case OFFLINE_PENDING -> {
                if (outcome.ok()) {
                    transition(Transition.OFFLINE_DONE, "offline returned");
                } else {
                    fail(Transition.PENDING_FAILED, "offline failed: " + Texts.failure(outcome.failure()), outcome.failure(), true);
                }
            }
            case FAILED -> { }
            default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name + " after offline");
        }
    }

    private void looksAliveReturned(Outcome outcome) {
        if (state == ONLINE && !outcome.isTrue()) {
            health.requestIsAlive(outcome.ok() ? "looksAlive returned false" : "looksAlive threw " + Texts.failure(outcome.failure()));
        }
    }

    private void isAliveReturned(Outcome outcome) {
        if (state != ONLINE) {
            return;
        }
        String reason = health.takeReason();
        if (!outcome.isTrue()) {
            String cause = (outcome.ok() ? "isAlive returned false" : "isAlive threw " + Texts.failure(outcome.failure()))
                    + (reason == null ? "" : " (checked because " + reason + ")");
            fail(Transition.ONLINE_FAILED, cause, outcome.failure(), true);
        }
    }

    private void closeReturned(Outcome outcome) {
        agentClosed = true;
        if (!outcome.ok()) {
            LOG.warn("Resource {}: close threw", name, outcome.failure());
        }
    }

    /** Runs the due health check, if the resource is Online and no call runs. Under the lock. */
    private void pump() {
        if (state != ONLINE || closing || closed || !upheld || !idle()) {
            return;
        }
        EntryPoint next = health.take();
        if (next == null) {
            return;
        }
        ResourceAgent a = agent;
        startCall(next, next == EntryPoint.IS_ALIVE ? a::isAlive : a::looksAlive, null);
    }

    /** Calls the agent's terminate (and terminates the running call's worker), in a terminate worker. Under the lock. */
    private void startTerminate() {
        if (terminateCall != null) {
            terminateAgain = true;
            return;
        }
        Worker target = call != null && call.entry != EntryPoint.CLOSE ? call.worker : null;
        ResourceAgent a = agent;
        if (target == null && a == null) {
            return;
        }
        startCall(EntryPoint.TERMINATE, () -> {
            if (target != null) {
                target.requestTermination();
            }
            if (a != null) {
                a.terminate();
            }
            return null;
        }, null);
    }

    // ------------------------------------------------------------------ failures and restarts

    /** Goes Failed by row {@code t}; plans the next attempt; terminates if asked. Under the lock. */
    private void fail(Transition t, String cause, Throwable failure, boolean terminate) {
        Duration onlineFor = state == ONLINE && onlineSince != null ? Duration.between(onlineSince, now()) : Duration.ZERO;
        if (failure != null && LOG.isDebugEnabled()) {
            LOG.debug("Resource {}: {}", name, cause, failure);
        }
        lastFailure = cause;
        applyRestartPolicy(onlineFor);
        transition(t, cause);
        publish(HostEvent.Kind.FAILURE, state, cause);
        if (nextAttempt != null) {
            publish(HostEvent.Kind.RETRY, state, retryReason + "; next attempt at " + Texts.time(nextAttempt));
        } else if (retryDue) {
            publish(HostEvent.Kind.RETRY, state, retryReason + "; next attempt now");
        }
        if (terminate) {
            startTerminate();
        }
    }

    private void applyRestartPolicy(Duration onlineFor) {
        cancelRetry();
        retryDue = false;
        nextAttempt = null;
        if (closing || !wantsOnline) {
            return;
        }
        RestartTracker.Decision d = restarts.onFailure(now(), onlineFor);
        String window = " within " + Durations.format(policy.restartPeriod());
        switch (d.verdict()) {
            case STAY_FAILED -> { }
            case RESTART -> scheduleRetry(d.nextAttempt(), false,
                    "restart after failure " + d.failures() + " of " + policy.restartThreshold() + " allowed" + window);
            case GIVE_UP -> scheduleRetry(d.nextAttempt(), true, thresholdReached()
                    + "; retry after " + Durations.format(policy.retryPeriodOnFailure()) + " (RetryPeriodOnFailure)");
            case FAILOVER -> {
                runtime.failover(name, lastFailure);
                scheduleRetry(d.nextAttempt(), true, thresholdReached() + "; failover requested; retry after "
                        + Durations.format(policy.retryPeriodOnFailure()) + " (RetryPeriodOnFailure)");
            }
            default -> throw new IllegalStateException("Unexpected verdict " + d.verdict());
        }
    }

    /** {@code "restart threshold 3 in 15m reached"}. */
    private String thresholdReached() {
        return "restart threshold " + policy.restartThreshold() + " in " + Durations.format(policy.restartPeriod()) + " reached";
    }

    private void scheduleRetry(Instant at, boolean afterGiveUp, String reason) {
        nextAttempt = at;
        retryAfterGiveUp = afterGiveUp;
        retryReason = reason;
        Duration delay = Duration.between(now(), at);
        if (delay.isZero() || delay.isNegative()) {
            retryDue = true;
            return;
        }
        long epoch = retryEpoch;
        retryTimer = runtime.clock.schedule(delay, () -> onRetryDue(epoch));
    }

    private void cancelRetry() {
        retryEpoch++;
        if (retryTimer != null) {
            retryTimer.cancel();
            retryTimer = null;
        }
    }

    private void onRetryDue(long epoch) {
        runtime.activity.enter();
        try {
            lock.lock();
            try {
                if (epoch != retryEpoch || closing || closed) {
                    return;
                }
                retryTimer = null;
                retryDue = true;
            } finally {
                lock.unlock();
            }
            runtime.reconcileAround(this);
        } finally {
            runtime.activity.exit();
        }
    }

    // ------------------------------------------------------------------ timers

    private void armOperationTimers(PendingOperation op) {
        armPendingTimer(op);
        if (policy.operationCeiling() != null) {
            op.ceilingTimer = runtime.clock.schedule(policy.operationCeiling(), () -> onOperationTimeout(op, true));
        }
    }

    private void armPendingTimer(PendingOperation op) {
        if (op.pendingTimer != null) {
            op.pendingTimer.cancel();
        }
        op.pendingTimer = runtime.clock.schedule(policy.pendingTimeout(), () -> onOperationTimeout(op, false));
    }

    private void onOperationTimeout(PendingOperation op, boolean ceiling) {
        runtime.activity.enter();
        try {
            lock.lock();
            try {
                if (op != operation || closed || !state.isPending()) {
                    return;
                }
                String cause = ceiling
                        ? "operation ceiling: " + op.name() + " did not finish within " + Durations.format(policy.operationCeiling())
                        : "pending timeout: " + op.name() + (op.abortCause == null ? "" : ", terminated,")
                        + " reported no progress for " + Durations.format(policy.pendingTimeout()) + op.lastReport();
                op.terminating = true;
                if (call != null) {
                    armWatchdog(call);
                }
                fail(Transition.PENDING_FAILED, cause, null, true);
            } finally {
                lock.unlock();
            }
            runtime.reconcileAround(this);
        } finally {
            runtime.activity.exit();
        }
    }

    /** A progress report of {@code op} (Windows SetResourceStatus). */
    ExitState onProgress(PendingOperation op, long checkpoint, String message) {
        lock.lock();
        try {
            if (op != operation || op.terminating) {
                return ExitState.TERMINATE;
            }
            long next = checkpoint == PendingOperation.NEXT ? op.checkpoint + 1 : checkpoint;
            if (next <= op.checkpoint) {
                throw new IllegalArgumentException("checkpoint: " + checkpoint + " (expected: > " + op.checkpoint + ", the last checkpoint)");
            }
            op.checkpoint = next;
            op.message = message;
            op.reports++;
            armPendingTimer(op);
            if (call != null && call.entry.isOperation()) {
                armWatchdog(call);
            }
            publish(HostEvent.Kind.PROGRESS, state, message == null ? "checkpoint " + next : message);
            return ExitState.CONTINUE;
        } finally {
            lock.unlock();
        }
    }

    private void armWatchdog(AgentCall c) {
        c.cancelWatchdog();
        c.watchdog = runtime.clock.schedule(policy.deadlockTimeout(), () -> onWatchdog(c));
    }

    private void onWatchdog(AgentCall c) {
        runtime.activity.enter();
        try {
            lock.lock();
            try {
                abandon(c);
            } finally {
                lock.unlock();
            }
            runtime.reconcileAround(this);
        } finally {
            runtime.activity.exit();
        }
    }

    private void abandon(AgentCall c) {
        if (c.returned || c.abandoned || closed || (c != call && c != terminateCall)) {
            return;
        }
        c.abandoned = true;
        if (c.counted) {
            c.counted = false;
            runtime.activity.exit();
        }
        Instant now = now();
        List<StackTraceElement> stack = c.worker.stackTrace();
        c.abandonedIndex = runtime.abandoned.add(new AbandonedCall(name, c.entry.displayName(), c.worker.name(), now, stack, null));
        String cause = "deadlock: " + c.entry.displayName() + " did not return within " + Durations.format(policy.deadlockTimeout())
                + "; abandoned its worker " + c.worker.name() + ", stuck at:" + Texts.stack(stack);
        LOG.error("Resource {}: {}", name, cause);
        switch (state) {
            case ONLINE -> fail(Transition.ONLINE_FAILED, cause, null, true);
            case ONLINE_PENDING, OFFLINE_PENDING -> fail(Transition.PENDING_FAILED, cause, null, true);
            case UNKNOWN -> fail(Transition.OPEN_FAILED, cause, null, true);
            case OFFLINE, FAILED -> {
                lastFailure = cause;
                publish(HostEvent.Kind.FAILURE, state, cause);
            }
            default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name);
        }
    }

    private void onHealthTick(long epoch, EntryPoint check) {
        runtime.activity.enter();
        try {
            lock.lock();
            try {
                if (!closed && state == ONLINE && health.onTick(epoch, check)) {
                    pump();
                }
            } finally {
                lock.unlock();
            }
        } finally {
            runtime.activity.exit();
        }
    }

    /** The agent's Online event: run IsAlive at once. Any thread; never waits for an agent call. */
    void signalFailure(String reason) {
        runtime.activity.enter();
        try {
            lock.lock();
            try {
                if (state == ONLINE && !closing && !closed) {
                    health.requestIsAlive("the agent signalled a failure: " + reason);
                    pump();
                } else {
                    LOG.debug("Resource {}: failure signalled while {}, ignored: {}", name, state.displayName(), reason);
                }
            } finally {
                lock.unlock();
            }
        } finally {
            runtime.activity.exit();
        }
    }

    // ------------------------------------------------------------------ shutdown

    /** The host is closing: never online again; {@link #reconcile} then takes it offline in order. */
    public void beginShutdown() {
        lock.lock();
        try {
            closing = true;
            wantsOnline = false;
            intent = "host shutting down";
            cancelRetry();
            retryDue = false;
            nextAttempt = null;
            publish();
        } finally {
            lock.unlock();
        }
    }

    /** The shutdown timeout ran out: whatever is not down is failed and terminated. */
    public void terminateForShutdown(Duration waited) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            String cause = "shutdown: still " + state.displayName() + " after " + Durations.format(waited) + "; terminated";
            switch (state) {
                case ONLINE -> fail(Transition.ONLINE_FAILED, cause, null, true);
                case ONLINE_PENDING, OFFLINE_PENDING -> fail(Transition.PENDING_FAILED, cause, null, true);
                case OFFLINE, FAILED, UNKNOWN -> {
                    if (call != null && !call.abandoned) {
                        startTerminate();
                    }
                }
                default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the agent, in a worker, unless a call of it is still running (then it is left open, and logged). */
    public void closeAgent() {
        lock.lock();
        try {
            if (closed || agent == null || agentClosed) {
                return;
            }
            if (!idle()) {
                LOG.warn("Resource {}: not closing its agent, because its {} call is still running", name, call != null ? call : terminateCall);
                return;
            }
            ResourceAgent a = agent;
            startCall(EntryPoint.CLOSE, () -> {
                a.close();
                return null;
            }, null);
        } finally {
            lock.unlock();
        }
    }

    /** The host has closed: no more transitions; timers stop. */
    public void markClosed() {
        lock.lock();
        try {
            closed = true;
            health.stop();
            cancelRetry();
            publish();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ state, status, explanations

    private void transition(Transition t, String cause) {
        t.check(name, state);
        ResourceState from = state;
        Instant now = now();
        if (from == ONLINE) {
            health.stop();
            onlineSince = null;
        }
        state = t.to();
        since = now;
        transitions++;
        if (!state.isPending() && operation != null) {
            operation.finish();
            operation = null;
        }
        if (state == ONLINE) {
            onlineSince = now;
            downForDependency = false;
            health.start();
        }
        publish(HostEvent.Kind.TRANSITION, from, cause);   // the event is queued before the status is published
        if (state == FAILED) {
            LOG.warn("Resource {}: {} -> {}: {}", name, from.displayName(), state.displayName(), cause);
        } else {
            LOG.info("Resource {}: {} -> {}: {}", name, from.displayName(), state.displayName(), cause);
        }
    }

    /** Waits until whoever holds the lock has released it: the event thread's barrier (see {@link EventDispatcher#post}). */
    private void passLock() {
        lock.lock();
        lock.unlock();
    }

    private void publish() {
        status = snapshot();
    }

    /** Publishes the status, with an event of {@code kind} queued first. Under the lock. */
    private void publish(HostEvent.Kind kind, ResourceState from, String message) {
        ResourceStatus s = snapshot();
        runtime.dispatcher.post(HostEvent.of(kind, from, message, s, s.since().isAfter(now()) ? s.since() : now()), this::passLock);
        status = s;
    }

    private ResourceStatus snapshot() {
        Instant now = now();
        PendingOperation op = state.isPending() ? operation : null;
        return new ResourceStatus(name, spec.type(), state, since, op == null ? 0 : op.checkpoint,
                op == null ? null : op.message, restarts.restarts(now), lastFailure, nextAttempt, spec.dependsOn());
    }

    private Instant now() {
        return runtime.clock.now();
    }

    /** A human answer to "what is this resource doing, and why". */
    public String why() {
        lock.lock();
        try {
            StringBuilder sb = new StringBuilder(name).append(" is ").append(state.displayName()).append(" since ").append(since);
            switch (state) {
                case UNKNOWN -> sb.append(call != null ? ": its agent is being opened" : ": the host has not started it");
                case ONLINE -> {
                    if (!upheld && !closed) {
                        sb.append(": going offline (").append(closing ? "host shutting down" : !wantsOnline ? intent : "dependency " + blockingDependency())
                                .append("), dependents first");
                    }
                }
                case ONLINE_PENDING, OFFLINE_PENDING -> {
                    PendingOperation op = operation;
                    sb.append(": ").append(op.name()).append(op.terminating ? " is being terminated" : " is running")
                            .append(op.reports == 0 ? ", no progress reported yet" : ", checkpoint " + op.checkpoint
                                    + (op.message == null ? "" : " (" + op.message + ")"))
                            .append("; pending timeout ").append(Durations.format(policy.pendingTimeout()));
                }
                case OFFLINE -> {
                    if (wantsOnline && !closing && !closed) {
                        sb.append(": waiting for its dependencies (").append(blockingDependency()).append(")");
                    } else {
                        sb.append(": ").append(intent);
                    }
                }
                case FAILED -> sb.append(": ").append(lastFailure).append(". ").append(attemptText());
                default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name);
            }
            if (call != null && call.abandoned) {
                sb.append(". Its ").append(call.entry.displayName()).append(" call (worker ").append(call.worker.name())
                        .append(") is stuck; nothing else of it runs until that call returns");
            }
            if (state != FAILED && lastFailure != null) {
                sb.append(". Last failure: ").append(lastFailure.lines().findFirst().orElse(""));
            }
            return sb.toString();
        } finally {
            lock.unlock();
        }
    }

    private String attemptText() {
        if (closing || closed) {
            return "The host is shutting down: no further attempt";
        }
        if (!wantsOnline) {
            return "Offline was requested: no further attempt";
        }
        if (nextAttempt != null) {
            return "Next attempt at " + nextAttempt + " (" + retryReason + ")";
        }
        if (retryDue) {
            return "An attempt (" + retryReason + ") is due" + (dependenciesUp() ? "" : ", waiting until dependency "
                    + blockingDependency() + " is Online again");
        }
        if (policy.restartAction() == RestartAction.NONE) {
            return "RestartAction is none: no automatic attempt; request online to try again";
        }
        return "No attempt is planned; request online to try again";
    }

    @Override
    public String toString() {
        ResourceStatus s = status;
        return "Resource[" + name + ", " + s.state().displayName() + "]";
    }
}
