package org.clusworker.host.engine;

import static org.clusworker.host.ResourceState.FAILED;
import static org.clusworker.host.ResourceState.OFFLINE;
import static org.clusworker.host.ResourceState.OFFLINE_PENDING;
import static org.clusworker.host.ResourceState.ONLINE;
import static org.clusworker.host.ResourceState.ONLINE_PENDING;
import static org.clusworker.host.ResourceState.UNKNOWN;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.clusworker.host.CallObserver;
import org.clusworker.host.HostEvent;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.ResourceState;
import org.clusworker.host.ResourceStatus;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.ExitState;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;
import org.clusworker.host.engine.Explanation.Cleanup;
import org.clusworker.host.events.EventLock;
import org.clusworker.host.policy.HealthSchedule;
import org.clusworker.host.policy.RestartBackoff;
import org.clusworker.host.policy.RestartPlan;
import org.clusworker.host.policy.RestartTracker;
import org.clusworker.host.time.Durations;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerStartException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one resource: it owns the resource's lock and its state table (rows in
 * {@link Transition}), and drives the agent through workers. The other decisions are each made by a
 * piece of their own, all confined to this lock: which entry point may run now ({@link CallSlots}), the
 * health polling ({@link HealthSchedule}), the restart plan ({@link RestartPlan}), the explanation of the
 * state ({@link Explanation}); the pending operation keeps its own progress ({@link PendingOperation}).
 *
 * <h2>Implementation notes</h2>
 * <p><b>Concurrency.</b> Mutable state is guarded by {@link #lock}, held only for short bookkeeping: no
 * agent, listener or other foreign code ever runs under it. Every agent entry point runs in a worker of
 * its own ({@code clusworker-<resource>-<entry>-<n>}). Events are queued under the lock, in transition
 * order, before the new status is published, so whoever sees a status finds its event already queued;
 * the event thread passes through the lock before delivering. The {@link ResourceStatus} snapshot is
 * immutable, in a volatile field: reading it never blocks.
 *
 * <p>Decisions that involve other resources (go online: every dependency Online; go offline: every
 * dependent down) are made by {@link #reconcile()}, which the host calls under its one reconciler lock
 * (lock order: reconciler, then a resource's lock; never two resource locks). Whatever changed a
 * resource (a returning call, a timer, a request) asks the host to reconcile it and its neighbours after
 * releasing the lock.
 *
 * <p><b>Stop before anything else.</b> As Pacemaker runs OCF agents: after a failed or timed-out online,
 * a failed health check, or a terminated online, the agent's offline runs (with its own pending timeout)
 * before the resource is started again or reported Offline; during it the resource stays Failed (or
 * OfflinePending). Offline is reported only after an offline succeeded. An offline that fails leaves the
 * resource Failed, and nothing starts it again automatically until an offline or online request runs
 * the stop again ({@link Cleanup}).
 *
 * <p><b>Timeouts.</b> All time comes from the host's clock. A pending online/offline fails when no
 * progress report arrives within {@code pendingTimeout} (each report re-arms the timer) or past its
 * optional {@code operationCeiling}. Every call has a deadlock watchdog of {@code deadlockTimeout}: from
 * its start, re-armed by each progress report and when its operation is terminated.
 *
 * <p><b>Deadlocks.</b> A call past its watchdog is abandoned: the resource goes Failed with the stuck
 * thread's stack, the agent's terminate is called, the call is recorded in the host's
 * {@link AbandonedCalls}, and its worker is left running (nothing kills a thread). The call keeps its
 * slot, so nothing else of this resource runs (but terminate) until it returns.
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
    private final WorkDirectory workDirectory;
    private final ResourceAgentContext agentContext;
    /** The resource's lock: events posted under it wake the event worker once it is released. */
    private final EventLock lock;

    /** Wired once by {@link DependencyGraph} before the host is published; never changed after. */
    private List<ResourceController> dependencies = List.of();
    /** As {@link #dependencies}. */
    private List<ResourceController> dependents = List.of();
    /** As {@link #dependencies}: what to reconcile when this resource changes, in dependency order. */
    private List<ResourceController> around = List.of();

    @GuardedBy("lock")
    private ResourceState state = UNKNOWN;
    @GuardedBy("lock")
    private Instant since;
    @GuardedBy("lock")
    private long transitions;
    @GuardedBy("lock")
    private boolean wantsOnline;
    /** Why it is (not) wanted online: "host started", "online requested", "offline requested". */
    @GuardedBy("lock")
    private String intent = "not started";
    /** The host is shutting down: never online again, no restarts. */
    @GuardedBy("lock")
    private boolean closing;
    /** The host has closed: no more transitions or events; a late call only frees its slot. */
    @GuardedBy("lock")
    private boolean closed;
    /** It was last taken offline because a dependency left Online. */
    @GuardedBy("lock")
    private boolean downForDependency;
    @GuardedBy("lock")
    private ResourceAgent agent;
    @GuardedBy("lock")
    private boolean agentClosed;
    /** The running online or offline (or the stop after a failure); {@code null} if none. */
    @GuardedBy("lock")
    private PendingOperation operation;
    @GuardedBy("lock")
    private Cleanup cleanup = Cleanup.NONE;
    @GuardedBy("lock")
    private String lastFailure;
    @GuardedBy("lock")
    private Instant onlineSince;
    @GuardedBy("lock")
    private final CallSlots slots = new CallSlots();
    @GuardedBy("lock")
    private final HealthSchedule health;
    @GuardedBy("lock")
    private final RestartPlan plan;

    /** Written under the lock, read without. */
    private volatile ResourceStatus status;
    /** Wanted online and every dependency Online and upheld; written under the reconciler lock too. */
    private volatile boolean upheld;

    public ResourceController(ResourceSpec spec, ResourceType type, HostRuntime runtime) {
        this.name = spec.name();
        this.spec = spec;
        this.policy = spec.policy();
        this.type = type;
        this.runtime = runtime;
        this.lock = new EventLock(runtime.dispatcher);
        this.workDirectory = new WorkDirectory(runtime.stateDirectory, name);
        this.agentContext = new ResourceAgentContext(spec, workDirectory.path(), this);
        this.health = new HealthSchedule(runtime.clock, policy, this::onHealthTick);
        RestartTracker tracker = new RestartTracker(policy, new RestartBackoff(policy.restartDelay(), policy.backoff(), runtime.random));
        this.plan = new RestartPlan(policy, tracker, runtime.clock, this::onRetryDue);
        lock.lock();
        try {
            since = runtime.clock.now();
            publish();
        } finally {
            lock.unlock();
        }
    }

    void wire(List<ResourceController> dependencies, List<ResourceController> dependents, List<ResourceController> around) {
        this.dependencies = List.copyOf(dependencies);
        this.dependents = List.copyOf(dependents);
        this.around = List.copyOf(around);
    }

    public String name() {
        return name;
    }

    /** The fencing token the agent sees from its next online on ({@code null}: none). */
    public void fencing(org.clusworker.host.agent.Fencing token) {
        agentContext.fencing(token);
    }

    public List<ResourceController> dependencies() {
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

    /**
     * The host started: open the agent, and want the resource online, unless it is held offline until
     * requested (a cluster group's resource on a node that does not own the group).
     */
    public void open(boolean held) {
        lock.lock();
        try {
            if (closing || state != UNKNOWN || !slots.idle()) {
                return;
            }
            wantsOnline = !held;
            intent = held ? "held offline until requested" : "host started";
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
            if (state == FAILED && cleanup == Cleanup.FAILED && slots.idle()) {
                // a request by hand runs the failed stop again; not while a call of it still hangs: the stop
                // could not run, and the resource would read as being stopped instead of not stoppable
                cleanup = Cleanup.NEEDED;
            }
            if (online) {
                if (state == FAILED) {          // by hand: try now, with a fresh restart window
                    plan.retryNow(why);
                }
            } else {
                plan.cancel();
                if (state == FAILED && slots.idle() && cleanup == Cleanup.NONE) {
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
    public boolean reconcile() {
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
                    if (up && slots.idle() && fenceAllowsStart()) {
                        beginOnline(downForDependency ? "every dependency is Online again" : intent);
                    }
                }
                case FAILED -> {
                    if (cleanup == Cleanup.NEEDED) {
                        pump();
                    } else if (up && plan.isDue() && slots.idle() && cleanup == Cleanup.NONE && fenceAllowsStart()) {
                        beginOnline(plan.reason());
                    }
                }
                case ONLINE -> {
                    if (!up && slots.idle() && dependentsDown()) {
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

    /**
     * Whether the resource's group (if it has a fencing token) still holds its lease: a restart on a node
     * that may have lost its group must not start anything; the cluster layer asks again once it is sure.
     */
    private boolean fenceAllowsStart() {
        java.util.Optional<org.clusworker.host.agent.Fencing> f = agentContext.fencing();
        if (f.isEmpty() || f.get().leaseValid()) {
            return true;
        }
        LOG.warn("Resource {}: not started: the lease of its group {} (epoch {}) is not valid on this node", name, f.get().group(),
                f.get().epoch());
        return false;
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

    /** Why it must go down now; also remembers whether a dependency is the reason. */
    @GuardedBy("lock")
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

    @GuardedBy("lock")
    private void beginOnline(String cause) {
        plan.beginAttempt();
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

    @GuardedBy("lock")
    private void beginOffline(String cause) {
        transition(Transition.OFFLINE_STARTED, cause);
        startOffline(false);
    }

    /** Runs the agent's offline: a planned one (OfflinePending), or the stop after a failure ({@code recovery}). */
    @GuardedBy("lock")
    private void startOffline(boolean recovery) {
        PendingOperation op = new PendingOperation(this, EntryPoint.OFFLINE, policy.pendingTimeout(), recovery);
        ResourceAgent a = agent;
        operation = op;
        if (cleanup == Cleanup.NEEDED) {
            cleanup = Cleanup.RUNNING;
        }
        armOperationTimers(op);
        startCall(EntryPoint.OFFLINE, () -> {
            a.offline(op);
            return null;
        }, op);
    }

    /** Offline while OnlinePending: terminate the online; once it returns, the agent's offline stops what it began. */
    @GuardedBy("lock")
    private void abortOnline(String cause) {
        PendingOperation op = operation;
        transition(Transition.ONLINE_ABORTED, cause + "; terminating the pending online");
        op.abortCause = cause;
        op.terminating = true;
        armPendingTimer(op);          // the terminated online gets a pending timeout to return
        AgentCall c = slots.call();
        if (c != null) {
            armWatchdog(c);
        }
        startTerminate();
    }

    // ------------------------------------------------------------------ calls

    /** Runs in a worker of the call, on the worker's thread. */
    private ResourceAgent openAgent() {
        workDirectory.create();
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

    @GuardedBy("lock")
    private void startCall(EntryPoint entry, AgentCall.Body body, PendingOperation op) {
        AgentCall c = new AgentCall(entry, now());
        slots.occupy(c);
        try {
            c.worker = runtime.callWorker(name + "-" + entry.role()).unstarted(ctx -> runCall(c, body));
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

    /** A call returned (or could not start): free its slot and act on its outcome. */
    @GuardedBy("lock")
    private void complete(AgentCall c, Outcome outcome) {
        observe(o -> o.callReturned(name, c.entry.displayName(), Duration.between(c.started, now()), outcome.ok()));
        if (c.abandoned) {
            runtime.abandoned.returned(c.abandonedIndex, now());
            LOG.warn("Resource {}: the abandoned {} call returned after all", name, c);
        }
        boolean terminateAgain = slots.release(c);
        if (c.entry == EntryPoint.TERMINATE) {
            if (!outcome.ok()) {
                LOG.warn("Resource {}: terminate threw", name, outcome.failure());
            }
            if (terminateAgain && !closed) {
                startTerminate();
            } else {
                pump();
            }
            return;
        }
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

    @GuardedBy("lock")
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

    @GuardedBy("lock")
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
            case OFFLINE_PENDING -> {
                // the terminated online returned: its agent may have begun starting; stop it before Offline
                String abortCause = operation.abortCause;
                operation.finish();
                operation = null;
                if (agent == null) {
                    transition(Transition.OFFLINE_DONE, "the terminated online returned (" + abortCause + ") before its agent was opened");
                } else {
                    LOG.info("Resource {}: the terminated online returned ({}); running offline to stop what it began", name, abortCause);
                    cleanup = Cleanup.NEEDED;
                }
            }
            case FAILED -> { }      // timed out before; already failed
            default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name + " after online");
        }
    }

    @GuardedBy("lock")
    private void offlineReturned(Outcome outcome) {
        PendingOperation op = operation;
        boolean recovery = op != null && op.recovery;
        if (op != null) {
            op.finish();
            operation = null;
        }
        if (recovery) {
            stopAfterFailureReturned(outcome);
            return;
        }
        switch (state) {
            case OFFLINE_PENDING -> {
                if (outcome.ok()) {
                    cleanup = Cleanup.NONE;
                    transition(Transition.OFFLINE_DONE, "offline returned");
                } else {
                    cleanup = Cleanup.FAILED;
                    fail(Transition.PENDING_FAILED, "offline failed: " + Texts.failure(outcome.failure()), outcome.failure(), true);
                }
            }
            case FAILED -> { }
            default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name + " after offline");
        }
    }

    /** The stop after a failure returned: the resource stays Failed; it may now be restarted or go Offline. */
    @GuardedBy("lock")
    private void stopAfterFailureReturned(Outcome outcome) {
        if (state != FAILED) {
            throw new IllegalStateException("Expected resource " + name + " to be Failed while it was stopped after its failure, but was "
                    + state.displayName());
        }
        if (!outcome.ok()) {
            cleanup = Cleanup.FAILED;
            plan.cancel();
            lastFailure = "its stop after the failure failed: " + Texts.failure(outcome.failure()) + " (the failure: " + firstLine(lastFailure) + ")";
            LOG.error("Resource {}: {}", name, lastFailure);
            publish(HostEvent.Kind.FAILURE, state, lastFailure);
            return;
        }
        cleanup = Cleanup.NONE;
        if (!wantsOnline && !closing) {
            transition(Transition.FAILED_TAKEN_OFFLINE, "stopped after the failure; " + intent);
        } else {
            LOG.info("Resource {}: stopped after the failure", name);
            publish();
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("");
    }

    @GuardedBy("lock")
    private void looksAliveReturned(Outcome outcome) {
        if (state == ONLINE && !outcome.isTrue()) {
            health.requestIsAlive(outcome.ok() ? "looksAlive returned false" : "looksAlive failed: " + Texts.failure(outcome.failure()));
        }
    }

    @GuardedBy("lock")
    private void isAliveReturned(Outcome outcome) {
        if (state != ONLINE) {
            return;
        }
        String reason = health.takeReason();
        if (!outcome.isTrue()) {
            String cause = (outcome.ok() ? "isAlive returned false" : "isAlive failed: " + Texts.failure(outcome.failure()))
                    + (reason == null ? "" : " (checked because " + reason + ")");
            fail(Transition.ONLINE_FAILED, cause, outcome.failure(), true);
        }
    }

    @GuardedBy("lock")
    private void closeReturned(Outcome outcome) {
        agentClosed = true;
        if (!outcome.ok()) {
            LOG.warn("Resource {}: close threw", name, outcome.failure());
        }
    }

    /**
     * Starts what may run now that the slots are free: the stop that must follow a failure, else the
     * due health check of an Online resource.
     */
    @GuardedBy("lock")
    private void pump() {
        if (closed || !slots.idle()) {
            return;
        }
        if (cleanup == Cleanup.NEEDED && agent != null && (state == FAILED || state == OFFLINE_PENDING)) {
            startOffline(state == FAILED);
            return;
        }
        if (state != ONLINE || closing || !upheld) {
            return;
        }
        HealthSchedule.Check next = health.take();
        if (next == null) {
            return;
        }
        ResourceAgent a = agent;
        if (next == HealthSchedule.Check.IS_ALIVE) {
            startCall(EntryPoint.IS_ALIVE, a::isAlive, null);
        } else {
            startCall(EntryPoint.LOOKS_ALIVE, a::looksAlive, null);
        }
    }

    /** Calls the agent's terminate (and terminates the running call's worker), in a terminate worker. */
    @GuardedBy("lock")
    private void startTerminate() {
        if (!slots.mayStartTerminate()) {
            return;
        }
        Worker target = slots.terminationTarget();
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

    /** Goes Failed by row {@code t}; plans the next attempt; terminates if asked; the stop follows. */
    @GuardedBy("lock")
    private void fail(Transition t, String cause, Throwable failure, boolean terminate) {
        Duration onlineFor = state == ONLINE && onlineSince != null ? Duration.between(onlineSince, now()) : Duration.ZERO;
        if (failure != null && LOG.isDebugEnabled()) {
            LOG.debug("Resource {}: {}", name, cause, failure);
        }
        if (agent != null && state != UNKNOWN) {
            boolean stopFailed = state == OFFLINE_PENDING && operation != null && operation.entry() == EntryPoint.OFFLINE;
            cleanup = stopFailed ? Cleanup.FAILED : cleanup == Cleanup.NONE ? Cleanup.NEEDED : cleanup;
        }
        lastFailure = cause;
        RestartPlan.Outcome planned = null;
        plan.cancel();
        if (!closing && wantsOnline && cleanup != Cleanup.FAILED) {
            planned = plan.onFailure(now(), onlineFor);
        }
        transition(t, cause);
        publish(HostEvent.Kind.FAILURE, state, cause);
        if (planned != null && planned.reason() != null) {
            String when = planned.nextAttempt() == null || !planned.nextAttempt().isAfter(now())
                    ? "next attempt now" : "next attempt at " + Texts.time(planned.nextAttempt());
            publish(HostEvent.Kind.RETRY, state, planned.reason() + "; " + when);
            if (planned.failover()) {
                runtime.failover(name, cause);
            }
        }
        if (terminate) {
            startTerminate();
        }
        pump();
    }

    @SuppressWarnings("GuardedBy")     // the body runs in fromTimer, under the lock
    private void onRetryDue(long epoch) {
        fromTimer(true, () -> {
            if (!closing && !closed) {
                plan.fired(epoch);
            }
        });
    }

    // ------------------------------------------------------------------ timers

    /**
     * Runs {@code underLock} for a timer: counted as activity, under the lock; then reconciles if asked.
     * (Error Prone cannot see that a lambda passed here runs with the lock held: its callers say so.)
     */
    private void fromTimer(boolean reconcile, Runnable underLock) {
        runtime.activity.enter();
        try {
            lock.lock();
            try {
                underLock.run();
            } finally {
                lock.unlock();
            }
            if (reconcile) {
                runtime.reconcileAround(this);
            }
        } finally {
            runtime.activity.exit();
        }
    }

    @GuardedBy("lock")
    private void armOperationTimers(PendingOperation op) {
        armPendingTimer(op);
        if (policy.operationCeiling() != null) {
            op.ceilingTimer = runtime.clock.schedule(policy.operationCeiling(), () -> onOperationTimeout(op, true));
        }
    }

    @GuardedBy("lock")
    private void armPendingTimer(PendingOperation op) {
        if (op.pendingTimer != null) {
            op.pendingTimer.cancel();
        }
        op.pendingTimer = runtime.clock.schedule(policy.pendingTimeout(), () -> onOperationTimeout(op, false));
    }

    @SuppressWarnings("GuardedBy")     // the body runs in fromTimer, under the lock
    private void onOperationTimeout(PendingOperation op, boolean ceiling) {
        fromTimer(true, () -> {
            if (op != operation || closed || op.terminating && op.recovery) {
                return;
            }
            String cause = ceiling
                    ? "operation ceiling: " + op.name() + " did not finish within " + Durations.format(policy.operationCeiling())
                    : "pending timeout: " + op.name() + (op.abortCause == null ? "" : ", terminated,")
                    + " reported no progress for " + Durations.format(policy.pendingTimeout()) + op.lastReport();
            op.terminating = true;
            AgentCall c = slots.call();
            if (c != null) {
                armWatchdog(c);
            }
            observe(o -> o.terminated(name, op.name(), ceiling ? CallObserver.Termination.OPERATION_CEILING
                    : CallObserver.Termination.PENDING_TIMEOUT));
            if (op.recovery) {
                cleanup = Cleanup.FAILED;
                plan.cancel();
                lastFailure = "its stop after the failure timed out: " + cause + " (the failure: " + firstLine(lastFailure) + ")";
                LOG.error("Resource {}: {}", name, lastFailure);
                publish(HostEvent.Kind.FAILURE, state, lastFailure);
                startTerminate();
            } else if (state.isPending()) {
                fail(Transition.PENDING_FAILED, cause, null, true);
            }
        });
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
            AgentCall c = slots.call();
            if (c != null && c.entry.isOperation()) {
                armWatchdog(c);
            }
            publish(HostEvent.Kind.PROGRESS, state, message == null ? "checkpoint " + next : message);
            return ExitState.CONTINUE;
        } finally {
            lock.unlock();
        }
    }

    @GuardedBy("lock")
    private void armWatchdog(AgentCall c) {
        c.cancelWatchdog();
        c.watchdog = runtime.clock.schedule(policy.deadlockTimeout(), () -> onWatchdog(c));
    }

    @SuppressWarnings("GuardedBy")     // the body runs in fromTimer, under the lock
    private void onWatchdog(AgentCall c) {
        fromTimer(true, () -> abandon(c));
    }

    @GuardedBy("lock")
    private void abandon(AgentCall c) {
        if (c.returned || c.abandoned || closed || !slots.holds(c)) {
            return;
        }
        c.abandoned = true;
        if (c.counted) {
            c.counted = false;
            runtime.activity.exit();
        }
        Instant now = now();
        List<StackTraceElement> stack = c.worker.stackTrace();
        c.abandonedIndex = runtime.abandoned.add(new org.clusworker.host.AbandonedCall(name, c.entry.displayName(), c.worker.name(), now, stack, null));
        String cause = "deadlock: " + c.entry.displayName() + " did not return within " + Durations.format(policy.deadlockTimeout())
                + "; abandoned its worker " + c.worker.name() + ", stuck at:" + Texts.stack(stack);
        LOG.error("Resource {}: {}", name, cause);
        observe(o -> o.terminated(name, c.entry.displayName(), CallObserver.Termination.DEADLOCK));
        switch (state) {
            case ONLINE -> fail(Transition.ONLINE_FAILED, cause, null, true);
            case ONLINE_PENDING, OFFLINE_PENDING -> fail(Transition.PENDING_FAILED, cause, null, true);
            case UNKNOWN -> fail(Transition.OPEN_FAILED, cause, null, true);
            case OFFLINE, FAILED -> {
                if (c.entry == EntryPoint.OFFLINE) {
                    cleanup = Cleanup.FAILED;
                    plan.cancel();
                }
                lastFailure = cause;
                publish(HostEvent.Kind.FAILURE, state, cause);
            }
            default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name);
        }
    }

    @SuppressWarnings("GuardedBy")     // the body runs in fromTimer, under the lock
    private void onHealthTick(long epoch, HealthSchedule.Check check) {
        fromTimer(false, () -> {
            if (!closed && state == ONLINE && health.onTick(epoch, check)) {
                pump();
            }
        });
    }

    /** The agent's Online event: run IsAlive at once. Any thread; never waits for an agent call. */
    @SuppressWarnings("GuardedBy")     // the body runs in fromTimer, under the lock
    void signalFailure(String reason) {
        fromTimer(false, () -> {
            if (state == ONLINE && !closing && !closed) {
                health.requestIsAlive("the agent signalled a failure: " + reason);
                pump();
            } else {
                LOG.debug("Resource {}: failure signalled while {}, ignored: {}", name, state.displayName(), reason);
            }
        });
    }

    // ------------------------------------------------------------------ shutdown

    /** The host is closing: never online again; {@link #reconcile} then takes it offline in order. */
    public void beginShutdown() {
        lock.lock();
        try {
            closing = true;
            wantsOnline = false;
            intent = "host shutting down";
            plan.cancel();
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
                    AgentCall c = slots.call();
                    if (c != null && !c.abandoned) {
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
            if (!slots.idle()) {
                LOG.warn("Resource {}: not closing its agent, because a call of it is still running: {}", name, slots);
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
            plan.cancel();
            slots.cancelTerminateAgain();
            publish();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ state, status, explanations

    @GuardedBy("lock")
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
        if (!state.isPending() && operation != null && !operation.recovery) {
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

    /** Waits until whoever holds the lock has released it: the event thread's barrier. */
    private void passLock() {
        lock.lock();
        lock.unlock();
    }

    @GuardedBy("lock")
    private void publish() {
        status = snapshot();
    }

    /** Publishes the status, with an event of {@code kind} queued first. */
    @GuardedBy("lock")
    private void publish(HostEvent.Kind kind, ResourceState from, String message) {
        ResourceStatus s = snapshot();
        lock.post(HostEvent.of(kind, from, message, s, now()), this::passLock);
        status = s;
    }

    @GuardedBy("lock")
    private ResourceStatus snapshot() {
        Instant now = now();
        PendingOperation op = operation;
        return new ResourceStatus(name, spec.type(), state, since, op == null ? 0 : op.checkpoint,
                op == null ? null : op.message, plan.restarts(now), lastFailure, plan.nextAttempt(), spec.dependsOn());
    }

    private Instant now() {
        return runtime.clock.now();
    }

    /** Tells the host's {@link CallObserver} (metrics); a throwing observer does not disturb the resource. */
    private void observe(java.util.function.Consumer<CallObserver> report) {
        if (runtime.calls == CallObserver.NONE) {
            return;
        }
        try {
            report.accept(runtime.calls);
        } catch (RuntimeException e) {
            LOG.warn("Resource {}: the call observer threw", name, e);
        }
    }

    /**
     * Whether the resource is stopped for sure (Offline; Failed with its stop after the failure done;
     * never opened), being stopped, or could not be stopped (its stop failed, or a call of it is stuck):
     * what a cluster needs before another node may start it.
     */
    public org.clusworker.host.StopState stopState() {
        lock.lock();
        try {
            AgentCall c = slots.call();
            if (c != null && c.abandoned || cleanup == Cleanup.FAILED) {
                return org.clusworker.host.StopState.STOP_FAILED;
            }
            return switch (state) {
                case OFFLINE -> org.clusworker.host.StopState.STOPPED;
                case UNKNOWN -> agent == null && c == null ? org.clusworker.host.StopState.STOPPED : org.clusworker.host.StopState.STOPPING;
                case FAILED -> cleanup == Cleanup.NONE && slots.idle() ? org.clusworker.host.StopState.STOPPED : org.clusworker.host.StopState.STOPPING;
                case OFFLINE_PENDING -> org.clusworker.host.StopState.STOPPING;
                case ONLINE, ONLINE_PENDING -> org.clusworker.host.StopState.RUNNING;
                default -> throw new IllegalStateException("Unexpected state " + state + " of resource " + name);
            };
        } finally {
            lock.unlock();
        }
    }

    /** How to stop the resource from outside the host ({@link org.clusworker.host.agent.FenceActions#NONE} before its agent is open). */
    public org.clusworker.host.agent.FenceActions fenceActions() {
        ResourceAgent a;
        lock.lock();
        try {
            a = agent;
        } finally {
            lock.unlock();
        }
        if (a == null) {
            return org.clusworker.host.agent.FenceActions.NONE;
        }
        try {
            return a.fenceActions();     // foreign code, outside the lock; it must not block
        } catch (RuntimeException e) {
            LOG.warn("Resource {}: its agent's fenceActions threw; nothing to fence it by: {}", name, e.toString());
            return org.clusworker.host.agent.FenceActions.NONE;
        }
    }

    /** A human answer to "what is this resource doing, and why". */
    public String why() {
        lock.lock();
        try {
            AgentCall c = slots.call();
            return Explanation.of(new Explanation.Facts(name, state, since, c != null && c.entry == EntryPoint.OPEN, closing, closed,
                    wantsOnline, intent, blockingDependency(), dependenciesUp(), !upheld, operation, policy.pendingTimeout(),
                    c != null && c.abandoned ? c : null, lastFailure, cleanup, plan.nextAttempt(), plan.reason(), plan.isDue(),
                    plan.restartsAutomatically()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        ResourceStatus s = status;
        return "Resource[" + name + ", " + s.state().displayName() + "]";
    }
}
