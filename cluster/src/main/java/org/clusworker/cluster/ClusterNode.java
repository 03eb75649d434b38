package org.clusworker.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.clusworker.cluster.lease.LeaseClock;
import org.clusworker.cluster.lease.LeaseTerms;
import org.clusworker.cluster.placement.GroupView;
import org.clusworker.cluster.placement.Placement;
import org.clusworker.cluster.placement.PlacementRequest;
import org.clusworker.cluster.placement.PlacementSnapshot;
import org.clusworker.cluster.placement.Placer;
import org.clusworker.cluster.placement.Verdict;
import org.clusworker.cluster.zk.GroupStore;
import org.clusworker.cluster.zk.Records;
import org.clusworker.cluster.zk.Records.Phase;
import org.clusworker.host.ResourceHost;
import org.clusworker.host.ResourceState;
import org.clusworker.host.StopState;
import org.clusworker.host.agent.Fencing;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import org.clusworker.worker.Worker;
import org.clusworker.worker.WorkerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a cluster: it joins through ZooKeeper, keeps its lease, and runs on its
 * {@link ResourceHost} exactly the groups it owns (CLUSTER.md §6).
 *
 * <h2>Implementation notes</h2>
 * <p><b>Decisions.</b> One worker ({@code clusworker-<node>-cluster-<n>}) makes every decision, level
 * triggered: it wakes when ZooKeeper or the host changed something (or every probe period), reads the
 * groups, and for each one compares what is with what should be. Where a group goes is
 * {@link Placement}, a pure function of what the worker read; who wins a race is ZooKeeper's
 * compare-and-set ({@link GroupStore}).
 *
 * <p><b>Safety.</b> A group runs here only while this node holds its owner znode with the epoch it
 * acquired, and only while this node's own {@link LeaseClock} says no other node can have started it:
 * the clock, not Curator's connection events, decides when to stop ({@code t_stop} of each group), and the
 * stops are made by a worker of their own ({@code clusworker-<node>-fence-<n>}) that never waits on
 * ZooKeeper, so a decision round blocked in a Curator retry cannot delay them. A group starts only while a
 * live watchdog guards the node (an ended one is replaced first).
 * SUSPENDED starts nothing new; a reconnection with the same session re-verifies every owned group; a new
 * session forgets them all (they were stopped by the lease before the old session could expire).
 *
 * <p><b>Concurrency.</b> {@link #lock} guards the connection, the lease clock and the owned groups; the
 * lease prober ({@code clusworker-<node>-lease-<n>}), the enforcer and Curator's event thread only record
 * facts under it and wake the decision worker. No ZooKeeper call and no host call is made under the lock.
 * The replacement of an ended watchdog is serialized by its own monitor, taken before {@link #lock}.
 */
public final class ClusterNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** The k-th candidate after the first acquires k times this much later (CLUSTER.md §6.5). */
    static final Duration FALLBACK_STEP = Duration.ofMillis(500);
    /** Windows' RetryPeriodOnFailure for a group past its failover threshold. */
    static final Duration RETRY_PERIOD_ON_FAILURE = Duration.ofHours(1);
    /** A drain releases its next group at the latest this long after the one before, even if that one is not Online elsewhere yet. */
    static final Duration DRAIN_STEP_LIMIT = Duration.ofSeconds(60);
    /** How often the lease enforcer looks: a group stops at most this long after its t_stop (the lease math allows for it). */
    static final Duration ENFORCE_PERIOD = Duration.ofMillis(20);

    private final ClusterSpec spec;
    private final CuratorFramework zk;
    private final GroupStore store;
    private final LongSupplier nanos;
    private final Clock wall;
    private final String me;
    private final Object lock = new Object();
    /** This node's ownership events ({@code cluster.ownershipLog}), or nowhere. */
    private final OwnershipLog history;

    @GuardedBy("lock")
    private LeaseClock lease;
    @GuardedBy("lock")
    private long session;
    @GuardedBy("lock")
    private boolean connected;
    /** The session changed (or the node never joined): join again before anything else. */
    @GuardedBy("lock")
    private boolean mustJoin = true;
    @GuardedBy("lock")
    private int memberVersion = -1;
    /** The session of the last join; a group owned is always this session's. */
    @GuardedBy("lock")
    private long joinedSession;
    @GuardedBy("lock")
    private final Map<String, Owned> owned = new LinkedHashMap<>();
    @GuardedBy("lock")
    private final Set<String> failoverRequested = new TreeSet<>();
    @GuardedBy("lock")
    private String refused;
    @GuardedBy("lock")
    private boolean draining;
    /** The node is stopping: it acquires nothing more. */
    @GuardedBy("lock")
    private boolean leaving;

    /** How many renewals of the watchdog were copied from {@link #owned}: each carries its number. */
    @GuardedBy("lock")
    private long renewalCopies;

    /** The group a drain released last, until it is settled elsewhere (see {@link #drainNext}). */
    @GuardedBy("lock")
    private String drainReleased;
    @GuardedBy("lock")
    private long drainReleasedAt;
    /** This node's maintenance state as last read (decision worker writes; null: none). */
    private volatile Records.NodeMaintenance maintenance;
    /** Whether the ownership log has this node's maintenance state since it last joined (decision worker only). */
    private volatile boolean maintenanceLogged;
    /** What {@link #announceChanges} said last, by group ("" for the nodes); decision worker only. */
    private final Map<String, String> announced = new HashMap<>();
    /** The groups whose records this node made sure exist (decision worker only). */
    private final Set<String> ensured = new java.util.HashSet<>();
    private final Placer placer = Placer.windows();
    /** When each group was first seen without an owner (decision worker only). */
    private final Map<String, Long> absentSince = new HashMap<>();
    /** Groups held by this session without being this node's, whose resources are not yet confirmed stopped (logged once). Decision worker only. */
    private final Set<String> orphansWaiting = new TreeSet<>();
    private volatile ResourceHost host;
    /** See {@link #onFenceSelf}. */
    private volatile java.util.function.Consumer<String> fenceSelf = why -> LOG.error("This node must fence itself: {}", why);
    /** The watchdog that stops this node's groups if this JVM dies or freezes; null if none (tests). */
    private volatile org.clusworker.cluster.watchdog.WatchdogClient watchdog;
    /** Starts a new watchdog when the one guarding this node has ended; null if none may be started. */
    private volatile java.util.function.Supplier<org.clusworker.cluster.watchdog.WatchdogClient> watchdogFactory;
    /** Serializes the replacement of an ended watchdog. */
    private final Object watchdogReplacing = new Object();
    /** Replaced watchdogs that still run: no group starts until they have ended. */
    private final java.util.List<org.clusworker.cluster.watchdog.WatchdogClient> retired = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean dirty = true;
    private volatile Observer observer = new Observer() { };
    /** Every group as the last decision round read it. */
    private volatile Map<String, GroupSeen> seen = Map.of();
    /**
     * Groups the lease stopped whose stop is not yet complete, with when (nanos) the lease stopped them: put by
     * {@link #enforceLease}, which the enforcer and every decision round run; removed by the enforcer.
     */
    private final Map<String, Fence> fencing = new java.util.concurrent.ConcurrentHashMap<>();

    /** A lease stop under way: since when, of which epoch and session. */
    private record Fence(long since, long epoch, long session) {
    }
    /** The member znode must be written now (a drain began), not at the next probe. */
    private volatile boolean announce;
    private volatile Worker decisions;
    private volatile Worker prober;
    /** Stops each owned group at its t_stop; it never waits on ZooKeeper (the decisions may, for minutes). */
    private volatile Worker enforcer;
    /** Watches the cluster's znodes, to wake the decisions (it only wakes: the decisions read ZooKeeper themselves). */
    private volatile org.apache.curator.framework.recipes.cache.CuratorCache cache;

    /**
     * What a node reports for its metrics. Called on the node's own threads; must not block. The
     * defaults do nothing.
     */
    public interface Observer {

        /** A lease probe (a checked write of the member znode) succeeded, after {@code roundTrip}. */
        default void leaseRenewed(Duration roundTrip) {
        }

        /**
         * The lease ran out on a group this node owned (t_stop came: the node is cut off, or its probes
         * failed) and every resource of the group is stopped now, {@code took} after t_stop.
         */
        default void fenced(String group, Duration took) {
        }
    }

    /** A group as this node last read it: its owner (null: none), epoch and phase. */
    public record GroupSeen(String owner, long epoch, Phase phase) {
    }

    /** A group this node owns (a value of {@link #owned}). */
    private static final class Owned {
        final long epoch;
        final int epochVersion;
        /** Decision worker only. */
        Phase phase = Phase.ONLINING;
        /**
         * Written under {@link ClusterNode#lock} (by the enforcer and the decision worker), read under it but in
         * {@link ClusterNode#decideOwned}: there the decision worker may miss an enforcer's write made since it
         * last took the lock.
         */
        boolean leaseStopped;
        /** Decision worker only. */
        String releaseReason;
        /** Decision worker only. */
        boolean planned;

        Owned(long epoch, int epochVersion) {
            this.epoch = epoch;
            this.epochVersion = epochVersion;
        }
    }

    /**
     * @param zk    a started or unstarted client whose namespace is the cluster's chroot (the node starts it)
     * @param nanos the monotonic clock of the lease ({@code System::nanoTime}, or a fake)
     * @param wall  the wall clock of the records' times
     */
    public ClusterNode(ClusterSpec spec, CuratorFramework zk, LongSupplier nanos, Clock wall) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.zk = Objects.requireNonNull(zk, "zk");
        this.store = new GroupStore(zk);
        this.nanos = nanos;
        this.wall = wall;
        this.me = spec.node();
        this.history = OwnershipLog.open(spec.ownershipLog(), me, nanos);
        synchronized (lock) {
            this.lease = new LeaseClock(terms(spec.sessionTimeout()));
        }
    }

    private LeaseTerms terms(Duration sessionTimeout) {
        ClusterSpec.LeaseSettings l = spec.lease();
        return new LeaseTerms(sessionTimeout, l.takeoverDelay(), l.clockDrift(), l.pauseAllowance(), Duration.ofMillis(50), l.probeInterval());
    }

    /** Every resource that belongs to a group: the host must hold them offline until this node owns their group. */
    public static List<String> groupedResources(ClusterSpec spec) {
        List<String> all = new ArrayList<>();
        spec.groups().forEach(g -> all.addAll(g.resources()));
        return all;
    }

    /** The host's failover handler: a resource past its restart threshold with restart-then-failover moves its group. */
    public void onResourceFailover(String resource, String reason) {
        spec.groupOf(resource).ifPresent(g -> {
            synchronized (lock) {
                if (owned.containsKey(g.name())) {
                    failoverRequested.add(g.name());
                    LOG.warn("Node {}: resource {} of group {} failed past its restart threshold ({}); moving the group", me, resource,
                            g.name(), reason);
                }
            }
            wake();
        });
    }

    /**
     * What this node does to fence itself when a group with {@code onStopFailure: fence-self} is Stuck on
     * it: {@code clusworker run} ends its JVM at once, so that its watchdog kills what is left and its
     * session ends; then another node takes the group over. The default only logs (an embedding decides).
     */
    public void onFenceSelf(java.util.function.Consumer<String> action) {
        this.fenceSelf = java.util.Objects.requireNonNull(action, "action");
    }

    /** Reports lease renewals and fences to {@code o} (for metrics); call before {@link #start}. */
    public void observe(Observer o) {
        this.observer = Objects.requireNonNull(o, "observer");
    }

    /** Every group as this node last read it from ZooKeeper (empty until its first round). */
    public Map<String, GroupSeen> groupsSeen() {
        return seen;
    }

    /**
     * Guards this node with a watchdog process: renewed after every lease probe, it stops the owned
     * groups' resources if this JVM dies or stops renewing (call before {@link #start}).
     */
    public void guardWith(org.clusworker.cluster.watchdog.WatchdogClient client) {
        this.watchdog = client;
    }

    /**
     * As {@link #guardWith(org.clusworker.cluster.watchdog.WatchdogClient)}, and when the watchdog has
     * ended (it exits after it fenced this node's groups: the host froze or was cut off past its fence
     * time), {@code replacement} starts a new one before any group of this node starts again: a node
     * never runs a group unguarded.
     */
    public void guardWith(org.clusworker.cluster.watchdog.WatchdogClient client,
                          java.util.function.Supplier<org.clusworker.cluster.watchdog.WatchdogClient> replacement) {
        this.watchdog = client;
        this.watchdogFactory = Objects.requireNonNull(replacement, "replacement");
    }

    /** The watchdog guarding this node now (it may have been replaced); null if none. */
    public org.clusworker.cluster.watchdog.WatchdogClient watchdog() {
        return watchdog;
    }

    /**
     * Whether a watchdog guards this node (or none is wanted: tests). One that has ended, or has fenced or
     * is about to (it said so, or its fence time passed before a renewal: {@link org.clusworker.cluster.watchdog.WatchdogClient#guards(long)}),
     * is replaced first, told the session and renewed; and while a replaced one still runs (a watchdog that
     * fenced runs its stops to the end, and guards nothing started after it fenced), false: start no group
     * now. False too when no new watchdog can start.
     */
    private boolean guarded() {
        org.clusworker.cluster.watchdog.WatchdogClient w = watchdog;
        if (w == null) {
            return true;
        }
        if (w.guards(nanos.getAsLong())) {
            return retiredEnded();
        }
        java.util.function.Supplier<org.clusworker.cluster.watchdog.WatchdogClient> factory = watchdogFactory;
        if (factory == null) {
            return false;
        }
        synchronized (watchdogReplacing) {
            if (watchdog != w) {
                return watchdog.guards(nanos.getAsLong()) && retiredEnded();
            }
            org.clusworker.cluster.watchdog.WatchdogClient next;
            try {
                next = factory.get();
            } catch (RuntimeException e) {
                LOG.error("Node {}: its watchdog (pid {}) {} and a new one cannot start ({}): it starts no group", me, w.pid(),
                        w.isAlive() ? "has fenced this node's groups" : "has ended", e.getMessage());
                return false;
            }
            if (w.isAlive()) {
                LOG.warn("Node {}: its watchdog (pid {}) {}; a new one guards it: pid {}; no group starts until the old one has ended", me,
                        w.pid(), w.fired() ? "has fenced this node's groups" : "fences this node's groups (its fence time passed before a renewal)",
                        next.pid());
            } else {
                LOG.warn("Node {}: its watchdog (pid {}) has ended (it fenced this node's groups); a new one guards it: pid {}", me, w.pid(),
                        next.pid());
            }
            watchdog = next;
            long id;
            boolean joined;
            synchronized (lock) {
                id = joinedSession;
                joined = !mustJoin && connected && id != 0;
            }
            if (joined) {
                try {
                    next.session(zk.getZookeeperClient().getCurrentConnectionString(), id,
                            zk.getZookeeperClient().getZooKeeper().getSessionPasswd(), negotiatedTimeout());
                } catch (Exception e) {
                    LOG.debug("Node {}: the new watchdog gets the session at the next join", me, e);
                }
            }
            renewWatchdog();        // the new one guards what runs before the old one is let go
            retired.add(w);
            w.retire();
            return next.isAlive() && retiredEnded();
        }
    }

    /** Whether every replaced watchdog has ended (one that fenced may still be running its stops). */
    private boolean retiredEnded() {
        retired.removeIf(r -> !r.isAlive());
        return retired.isEmpty();
    }

    /** Joins the cluster and starts deciding for {@code host}, whose grouped resources are held offline. */
    public void start(ResourceHost resourceHost) {
        this.host = Objects.requireNonNull(resourceHost, "host");
        resourceHost.addListener(e -> wake());
        zk.getConnectionStateListenable().addListener((client, state) -> onConnectionState(state));
        if (zk.getState() == org.apache.curator.framework.imps.CuratorFrameworkState.LATENT) {
            zk.start();
        }
        // every change of a group's records or of the members wakes the decision worker at once
        cache = org.apache.curator.framework.recipes.cache.CuratorCache.build(zk, "/");
        cache.listenable().addListener((type, oldData, data) -> {
            if (!isLeaseProbe(type, oldData, data)) {
                wake();
            }
        });
        cache.start();
        decisions = Worker.builder(me + "-cluster").start(this::decide);
        prober = Worker.builder(me + "-lease").start(this::probe);
        enforcer = Worker.builder(me + "-fence").start(this::enforce);
    }

    /** A member's periodic rewrite of its znode: changes nothing the decisions look at, unless it starts or ends a drain. */
    private static boolean isLeaseProbe(org.apache.curator.framework.recipes.cache.CuratorCacheListener.Type type,
                                        org.apache.curator.framework.recipes.cache.ChildData oldData,
                                        org.apache.curator.framework.recipes.cache.ChildData data) {
        if (type != org.apache.curator.framework.recipes.cache.CuratorCacheListener.Type.NODE_CHANGED || oldData == null || data == null
                || !data.getPath().startsWith("/members/")) {
            return false;
        }
        try {
            return Records.decode(oldData.getData(), Records.Member.class, data.getPath()).draining()
                    == Records.decode(data.getData(), Records.Member.class, data.getPath()).draining();
        } catch (Records.CorruptRecordException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------ connection and lease

    private void onConnectionState(ConnectionState state) {
        long id = sessionId();
        synchronized (lock) {
            switch (state) {
                case CONNECTED, RECONNECTED -> {
                    connected = true;
                    if (id != session) {
                        LOG.info("Node {}: ZooKeeper session 0x{} (was 0x{})", me, Long.toHexString(id), Long.toHexString(session));
                        session = id;
                        mustJoin = true;
                        lease = new LeaseClock(terms(Duration.ofMillis(negotiatedTimeout())));
                        if (negotiatedTimeout() != spec.sessionTimeout().toMillis()) {
                            LOG.warn("Node {}: ZooKeeper gave a session timeout of {} ms, not the {} asked for (the ensemble bounds it to "
                                    + "2-20 of its ticks); the lease uses {} ms: set zookeeper.sessionTimeout and zookeeper.tickTime to "
                                    + "match the ensemble", me, negotiatedTimeout(), org.clusworker.host.time.Durations.format(spec.sessionTimeout()),
                                    negotiatedTimeout());
                        }
                    } else {
                        LOG.info("Node {}: reconnected with the same session; verifying what it owns", me);
                    }
                }
                case SUSPENDED -> {
                    connected = false;
                    LOG.warn("Node {}: ZooKeeper connection suspended: starting nothing new; the lease ends at the latest {} from now",
                            me, lease.remaining(nanos.getAsLong()));
                }
                case LOST -> {
                    connected = false;
                    LOG.warn("Node {}: ZooKeeper session lost", me);
                }
                default -> { }
            }
        }
        wake();
    }

    private long sessionId() {
        try {
            return zk.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    private int negotiatedTimeout() {
        int t = zk.getZookeeperClient().getLastNegotiatedSessionTimeoutMs();
        return t > 0 ? t : (int) spec.sessionTimeout().toMillis();
    }

    /** When a node that cannot reach ZooKeeper says so first, then how often again. */
    private static final Duration UNREACHABLE_FIRST_WARNING = Duration.ofSeconds(5);
    private static final Duration UNREACHABLE_WARNINGS = Duration.ofSeconds(30);

    /** The lease prober: a version-checked write of this node's member znode every probe period. */
    private int probe(WorkerContext ctx) throws InterruptedException {
        Duration period = spec.lease().probeInterval();
        long downSince = nanos.getAsLong();
        int warned = 0;
        while (!ctx.isTerminationRequested()) {
            ctx.awaitCondition(() -> announce, period);       // a drain is announced at once
            if (ctx.isTerminationRequested()) {
                break;
            }
            announce = false;
            int version;
            boolean ready;
            boolean up;
            synchronized (lock) {
                version = memberVersion;
                up = connected;
                ready = connected && !mustJoin && version >= 0;
            }
            if (up) {
                downSince = Long.MIN_VALUE;
                warned = 0;
            } else {
                long now = nanos.getAsLong();
                if (downSince == Long.MIN_VALUE) {
                    downSince = now;
                } else if (now - downSince >= UNREACHABLE_FIRST_WARNING.plus(UNREACHABLE_WARNINGS.multipliedBy(warned)).toNanos()) {
                    warned++;
                    LOG.warn("Node {}: cannot reach ZooKeeper at {} for {}; retrying with backoff; it starts no group until ZooKeeper answers",
                            me, spec.connect(), org.clusworker.host.time.Durations.format(Duration.ofNanos(now - downSince)));
                }
            }
            if (!ready) {
                continue;
            }
            long sent = nanos.getAsLong();
            try {
                Stat stat = zk.setData().withVersion(version).forPath(member(me), memberData());
                synchronized (lock) {
                    if (sessionId() == session) {
                        lease.probeSucceeded(sent);
                        memberVersion = stat.getVersion();
                        if (history.enabled() && lease.established()) {
                            history.event("lease", session, lease.fenceAt() + " " + lease.earliestTakeover());
                        }
                    }
                }
                observer.leaseRenewed(Duration.ofNanos(nanos.getAsLong() - sent));
                renewWatchdog();
                if (!guarded()) {
                    wake();
                }
            } catch (KeeperException.BadVersionException changed) {
                // An earlier attempt of this write may have been applied and its reply lost (Curator retried it):
                // if this session still holds the member znode, only its version moved on. The lease is not
                // renewed: when that write was applied is unknown.
                Stat now = memberStat();
                synchronized (lock) {
                    if (now != null && now.getEphemeralOwner() == session && sessionId() == session) {
                        memberVersion = now.getVersion();
                    } else {
                        mustJoin = true;     // another session wrote it, or it vanished with ours
                    }
                }
                wake();
            } catch (KeeperException.NoNodeException gone) {
                synchronized (lock) {
                    mustJoin = true;     // our member znode vanished with a session
                }
                wake();
            } catch (Exception e) {
                LOG.debug("Node {}: lease probe failed: {}", me, e.toString());
            }
        }
        return 0;
    }

    private Stat memberStat() {
        try {
            return zk.checkExists().forPath(member(me));
        } catch (Exception e) {
            return null;
        }
    }

    /** Tells the watchdog until when the lease holds and how to stop what this node runs. */
    private void renewWatchdog() {
        org.clusworker.cluster.watchdog.WatchdogClient w = watchdog;
        ResourceHost h = host;
        if (w == null || h == null) {
            return;
        }
        long fenceAt;
        long copy;
        List<org.clusworker.cluster.watchdog.WatchdogClient.OwnedGroup> groups = new ArrayList<>();
        synchronized (lock) {
            copy = ++renewalCopies;
            owned.forEach((g, o) -> groups.add(new org.clusworker.cluster.watchdog.WatchdogClient.OwnedGroup(g, o.epoch, o.epochVersion)));
            fenceAt = groups.isEmpty() ? Long.MAX_VALUE : lease.fenceAt();
            if (!groups.isEmpty() && !lease.valid(nanos.getAsLong())) {
                // the lease has run out (the groups are stopped or stopping): a fence time in the past would make a
                // watchdog that replaces one fence at once and end, and leave the node unguarded when its lease
                // holds again; the next renewal, with the lease valid, tells it what to guard
                return;
            }
        }
        List<org.clusworker.host.agent.FenceActions> actions = new ArrayList<>();
        for (org.clusworker.cluster.watchdog.WatchdogClient.OwnedGroup g : groups) {
            for (String r : spec.group(g.name()).orElseThrow().resources()) {
                actions.add(h.fenceActions(r));
            }
        }
        // the prober and the decision worker both renew: numbered when copied, so that the watchdog client
        // drops a copy that reaches it after a newer one (it would forget a group acquired in between)
        w.renew(copy, nanos.getAsLong(), fenceAt, me, zk.getNamespace(), groups, actions);
    }

    private static String member(String node) {
        return "/members/" + node;
    }

    private byte[] memberData() {
        boolean announce;
        synchronized (lock) {
            announce = draining;
        }
        return Records.encode(new Records.Member(me, ProcessHandle.current().pid(), Long.toHexString(sessionId()), spec.digest(),
                wall.millis(), announce));
    }

    // ------------------------------------------------------------------ decisions

    private void wake() {
        dirty = true;
        Worker w = decisions;
        if (w != null) {
            w.signal();
        }
    }

    private int decide(WorkerContext ctx) throws InterruptedException {
        while (!ctx.isTerminationRequested()) {
            dirty = false;
            try {
                tick();
            } catch (Exception e) {
                boolean stopping;
                synchronized (lock) {
                    stopping = leaving;
                }
                if (stopping && e instanceof IllegalStateException) {
                    LOG.debug("Node {}: a decision round while the host stops: {}", me, e.toString());     // its host refuses requests now
                } else {
                    LOG.warn("Node {}: a decision round failed ({}); trying again", me, e.toString());
                }
                LOG.debug("Node {}: decision round", me, e);
                dirty = true;
                ctx.awaitTermination(Duration.ofMillis(200));
            }
            // a round when ZooKeeper or the host changed something, else once per probe period; the lease's
            // stops are the enforcer's, which never waits for a round
            ctx.awaitCondition(() -> dirty, spec.lease().probeInterval());
        }
        return 0;
    }

    private void tick() throws Exception {
        boolean join;
        boolean isConnected;
        synchronized (lock) {
            if (refused != null) {
                return;
            }
            join = mustJoin && connected;
            isConnected = connected;
        }
        if (join) {
            join();
        }
        long now = nanos.getAsLong();
        enforceLease(now);
        if (!isConnected) {
            return;
        }
        Map<String, GroupStore.GroupRecord> records = new LinkedHashMap<>();
        for (GroupSpec g : spec.groups()) {
            if (ensured.add(g.name())) {
                store.ensure(g.name());
            }
            try {
                records.put(g.name(), store.read(g.name()));
            } catch (KeeperException.NoNodeException removed) {
                store.ensure(g.name());         // its records were removed (a cleared chroot): made again
                records.put(g.name(), store.read(g.name()));
            }
        }
        Map<String, Records.NodeMaintenance> maintenance = store.maintenance();
        Records.NodeMaintenance mine = maintenance.get(me);
        boolean operatorDrain = mine != null && mine.state() == Records.Maintenance.DRAINING;
        if (!Objects.equals(mine, this.maintenance)) {
            LOG.info("Node {}: {}", me, mine == null ? "resumed: it hosts groups again"
                    : mine.state() == Records.Maintenance.PAUSED ? "paused (" + mine.reason() + "): it hosts nothing new and keeps what it has"
                    : "draining (" + mine.reason() + "): it moves its groups away, one at a time");
            this.maintenance = mine;
            maintenanceLogged = false;
        }
        if (!maintenanceLogged) {
            // on every change, and once after each join: the log's reader must not carry an earlier run's state over
            maintenanceLogged = true;
            history.event("maintenance", sessionId(), mine == null ? "none" : mine.state() == Records.Maintenance.PAUSED ? "paused" : "draining");
        }
        // the members after the records: a move asked for after its target joined sees the target up
        Map<String, java.time.Instant> upSince = new java.util.HashMap<>();
        Set<String> up = eligibleMembers(maintenance.keySet(), operatorDrain, upSince);
        PlacementSnapshot snapshot = Snapshots.of(spec, up, records, wall.instant(), upSince, java.time.ZoneId.systemDefault());
        announceChanges(records, upSince.keySet(), maintenance);
        Map<String, GroupSeen> read = new LinkedHashMap<>();
        records.forEach((g, r) -> read.put(g, new GroupSeen(r.owner().map(Records.Owner::node).orElse(null), r.epoch(), r.state().phase())));
        seen = java.util.Collections.unmodifiableMap(read);
        String drainNext = drainNext(records, snapshot, operatorDrain);
        boolean hold = mine != null;
        // in priority order (high first), each group seeing where the ones before it go (anti-affinity):
        // as every node and 'cluster simulate' place them
        for (String name : placer.startOrder(snapshot)) {
            GroupSpec g = spec.group(name).orElseThrow();
            String placedOn = decide(g, records.get(name), snapshot, drainNext, hold, nanos.getAsLong());
            if (placedOn != null && snapshot.group(name).currentOwner().isEmpty()) {
                snapshot = snapshot.withGroup(snapshot.group(name).ownedBy(placedOn));
            }
        }
        if (operatorDrain && ownedNames().isEmpty() && store.drainCompleted(me, mine.since(), wall.millis())) {
            LOG.info("Node {}: drain completed: it owns no group; it stays paused until resumed", me);
        }
    }

    /**
     * Tells the host's event listeners (its event stream: the web page, {@code status --watch}) what
     * changed in the cluster since the last round: a group's owner, epoch or phase, the nodes up, a node's
     * maintenance. Decision worker only.
     */
    private void announceChanges(Map<String, GroupStore.GroupRecord> records, Set<String> members,
                                 Map<String, Records.NodeMaintenance> maintenance) {
        ResourceHost h = host;
        if (h == null) {
            return;
        }
        String nodes = "nodes up " + new TreeSet<>(members) + (maintenance.isEmpty() ? "" : "; in maintenance "
                + maintenance.values().stream().map(m -> m.node() + " (" + m.state().name().toLowerCase(java.util.Locale.ROOT) + ")").toList());
        if (!nodes.equals(announced.get(""))) {
            announced.put("", nodes);
            h.announce("cluster: " + nodes);
        }
        records.forEach((g, r) -> {
            String phase = r.state().phase().name().charAt(0) + r.state().phase().name().substring(1).toLowerCase(java.util.Locale.ROOT);
            String text = "group " + g + " " + phase + r.owner().map(o -> " on " + o.node()).orElse("") + " (epoch " + r.epoch() + ")";
            if (!text.equals(announced.get(g))) {
                announced.put(g, text);
                h.announce("cluster: " + text + (r.state().reason() == null || r.state().reason().isBlank() ? "" : ": " + r.state().reason()));
            }
        });
    }

    /**
     * The members that may take groups now: up, and not draining (a draining node announces it in its
     * member znode; this node counts itself out as soon as it drains).
     */
    private Set<String> eligibleMembers(Set<String> inMaintenance, boolean operatorDrain, Map<String, java.time.Instant> upSince)
            throws Exception {
        Set<String> up = new TreeSet<>();
        boolean drainingHere;
        synchronized (lock) {
            drainingHere = draining || operatorDrain;
        }
        for (String n : members()) {
            if (inMaintenance.contains(n)) {
                continue;       // paused or draining: hosts nothing new
            }
            try {
                Stat stat = new Stat();
                Records.Member m = Records.decode(zk.getData().storingStatIn(stat).forPath(member(n)), Records.Member.class, member(n));
                upSince.put(n, java.time.Instant.ofEpochMilli(stat.getCtime()));        // it joined when its member znode was made
                if (n.equals(me) ? !drainingHere : !m.draining()) {
                    up.add(n);
                }
            } catch (KeeperException.NoNodeException left) {
                // gone meanwhile
            } catch (Records.CorruptRecordException unreadable) {
                LOG.warn("Node {}: {}; counting node {} as not eligible", me, unreadable.getMessage(), n);
            }
        }
        return up;
    }

    /**
     * A drain moves one group at a time (as Windows drains a node): the next owned group, in configured
     * order, once the one released before is Online elsewhere, Failed or Stuck, could go nowhere, or
     * {@link #DRAIN_STEP_LIMIT} passed. Null when not draining or still waiting.
     */
    private String drainNext(Map<String, GroupStore.GroupRecord> records, PlacementSnapshot snapshot, boolean operatorDrain) {
        synchronized (lock) {
            if (!draining && !operatorDrain) {
                return null;
            }
            if (drainReleased != null) {
                GroupStore.GroupRecord r = records.get(drainReleased);
                boolean elsewhere = r.owner().isPresent() && !r.owner().get().node().equals(me) && r.state().phase() == Phase.ONLINE;
                boolean settled = r.state().phase() == Phase.FAILED || r.state().phase() == Phase.STUCK;
                boolean nowhere = r.owner().isEmpty() && !Snapshots.bestPossible(placer, snapshot, drainReleased).verdict().chooses();
                if (elsewhere || settled || nowhere || nanos.getAsLong() - drainReleasedAt >= DRAIN_STEP_LIMIT.toNanos()) {
                    drainReleased = null;
                } else {
                    return null;
                }
            }
            for (GroupSpec g : spec.groups()) {
                if (owned.containsKey(g.name())) {
                    return g.name();
                }
            }
            return null;
        }
    }


    /**
     * The lease enforcer: checks every {@link #ENFORCE_PERIOD} whether an owned group's t_stop has come, on
     * its own worker, so that a decision round blocked in a ZooKeeper call (a partition: Curator retries)
     * cannot delay a stop.
     */
    private int enforce(WorkerContext ctx) throws InterruptedException {
        while (!ctx.awaitTermination(ENFORCE_PERIOD)) {
            enforceLease(nanos.getAsLong());
            for (Map.Entry<String, Fence> f : fencing.entrySet()) {
                if (groupStopState(spec.group(f.getKey()).orElseThrow()) == StopState.STOPPED && fencing.remove(f.getKey(), f.getValue())) {
                    Fence fence = f.getValue();
                    history.event("fenced", f.getKey(), fence.epoch(), fence.session(), Long.toString((nanos.getAsLong() - fence.since()) / 1_000_000));
                    observer.fenced(f.getKey(), Duration.ofNanos(nanos.getAsLong() - fence.since()));
                }
            }
        }
        return 0;
    }

    /** Stops every owned group whose t_stop has come; restarts those it stopped if the lease holds again. */
    private void enforceLease(long now) {
        Map<String, Fence> stop = new LinkedHashMap<>();
        synchronized (lock) {
            for (Map.Entry<String, Owned> e : owned.entrySet()) {
                GroupSpec g = spec.group(e.getKey()).orElseThrow();
                Owned o = e.getValue();
                boolean expiring = !lease.established() || now - lease.stopAt(g.stopBudget()) >= 0;
                if (expiring && !o.leaseStopped) {
                    o.leaseStopped = true;
                    stop.put(g.name(), new Fence(now, o.epoch, session));
                    history.event("lease-stop", g.name(), o.epoch, session, null);
                }
            }
        }
        for (String g : stop.keySet()) {
            LOG.warn("Node {}: the lease on group {} runs out: stopping it before any other node may start it", me, g);
            fencing.put(g, stop.get(g));
            stopGroup(spec.group(g).orElseThrow());
        }
    }

    private void join() throws Exception {
        long sessionNow = sessionId();
        String digest = spec.digest();
        byte[] config = Records.encode(org.clusworker.cluster.zk.ConfigRecord.of(spec));
        try {
            zk.create().creatingParentsIfNeeded().forPath("/config", config);
        } catch (KeeperException.NodeExistsException exists) {
            Stat configStat = new Stat();
            byte[] data = zk.getData().storingStatIn(configStat).forPath("/config");
            String theirs;
            boolean full = true;
            try {
                theirs = Records.decode(data, org.clusworker.cluster.zk.ConfigRecord.class, "/config").digest();
            } catch (Records.CorruptRecordException older) {
                theirs = new String(data, java.nio.charset.StandardCharsets.UTF_8).strip();
                full = false;
            }
            if (theirs.equals(digest) && !full) {
                try {     // the same configuration, recorded by an older release as its digest alone: record it whole
                    zk.setData().withVersion(configStat.getVersion()).forPath("/config", config);
                } catch (KeeperException.BadVersionException raced) {
                    return;
                }
            }
            if (!theirs.equals(digest) && noMemberHas(theirs)) {
                // no node that runs the old configuration is up: this one brings the new configuration in
                try {
                    zk.setData().withVersion(configStat.getVersion()).forPath("/config", config);
                    LOG.info("Node {}: the cluster's configuration changes from digest {} to {} (no node of the old one is up)", me, theirs, digest);
                    theirs = digest;
                } catch (KeeperException.BadVersionException raced) {
                    return;     // another node changed it first: look again next round
                }
            }
            if (!theirs.equals(digest)) {
                synchronized (lock) {
                    refused = "the cluster's configuration digest is " + theirs + " but this node's is " + digest
                            + ": every node must have the same cluster and groups configuration";
                }
                LOG.error("Node {}: refusing to join: {}", me, refused().orElse(""));
                return;
            }
        }
        Stat existing = zk.checkExists().forPath(member(me));
        if (existing != null && existing.getEphemeralOwner() != sessionNow) {
            // a former session of this node (a crash and a quick restart) or another process with this name
            LOG.warn("Node {}: member znode held by session 0x{}; waiting until it expires", me, Long.toHexString(existing.getEphemeralOwner()));
            return;
        }
        if (existing == null) {
            try {
                zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(member(me), memberData());
            } catch (KeeperException.NodeExistsException raced) {
                return;
            }
        }
        Stat stat = zk.checkExists().forPath(member(me));
        synchronized (lock) {
            if (stat == null || sessionId() != session) {
                return;
            }
            memberVersion = stat.getVersion();
            mustJoin = false;
            if (joinedSession == sessionNow) {
                return;         // the same session joined again (its member znode was rewritten): it keeps what it owns
            }
            joinedSession = sessionNow;
            if (!owned.isEmpty()) {
                LOG.warn("Node {}: new session: forgetting the groups {} (the lease stopped them)", me, owned.keySet());
            }
        }
        for (String g : ownedNames()) {
            stopGroup(spec.group(g).orElseThrow());
        }
        synchronized (lock) {
            owned.clear();
        }
        org.clusworker.cluster.watchdog.WatchdogClient w = watchdog;
        if (w != null) {
            w.session(zk.getZookeeperClient().getCurrentConnectionString(), sessionNow,
                    zk.getZookeeperClient().getZooKeeper().getSessionPasswd(), negotiatedTimeout());
        }
        LOG.info("Node {}: joined cluster {} (session 0x{}, config digest {})", me, spec.name(), Long.toHexString(sessionNow), digest);
        history.event("join", sessionNow, null);
        maintenanceLogged = false;
    }

    /** Whether no member that is up now joined with configuration digest {@code digest}. */
    private boolean noMemberHas(String digest) throws Exception {
        for (String n : members()) {
            try {
                Records.Member m = Records.decode(zk.getData().forPath(member(n)), Records.Member.class, member(n));
                if (m.configDigest().equals(digest)) {
                    return false;
                }
            } catch (KeeperException.NoNodeException left) {
                // gone meanwhile
            }
        }
        return true;
    }

    private Set<String> members() throws Exception {
        try {
            return new TreeSet<>(zk.getChildren().forPath("/members"));
        } catch (KeeperException.NoNodeException none) {
            return Set.of();
        }
    }

    private List<String> ownedNames() {
        synchronized (lock) {
            return List.copyOf(owned.keySet());
        }
    }

    /** @return the node the group (without owner) goes to, as this round placed it; null if none */
    private String decide(GroupSpec g, GroupStore.GroupRecord rec, PlacementSnapshot snapshot, String drainNext, boolean hold, long now)
            throws Exception {
        Owned o;
        long mySession;
        boolean leaseOk;
        boolean failover;
        boolean drain;
        synchronized (lock) {
            o = owned.get(g.name());
            mySession = session;
            // the lease must hold for this group: its t_stop still ahead
            leaseOk = lease.established() && now - lease.stopAt(g.stopBudget()) < 0 && !mustJoin;
            failover = failoverRequested.contains(g.name());
            drain = draining;
            if (leaving && o == null) {
                return null;
            }
        }
        boolean mine = o != null && rec.owner().isPresent() && rec.ownerSession() == mySession && rec.owner().get().epoch() == o.epoch;
        if (o != null && !mine) {
            LOG.error("Node {}: group {} is no longer this node's ({}): stopping it", me, g.name(), rec.epoch() != o.epoch
                    ? "epoch " + o.epoch + " now " + rec.epoch() : "epoch " + o.epoch + " was acquired by an ended session of this node");
            history.event("lost", g.name(), o.epoch, mySession, "epoch now " + rec.epoch());
            synchronized (lock) {
                owned.remove(g.name());
            }
            stopGroup(g);
            return null;
        }
        if (mine) {
            decideOwned(g, rec, o, snapshot, leaseOk, failover, g.name().equals(drainNext));
            return null;
        }
        if (rec.owner().isPresent()) {
            absentSince.remove(g.name());
            if (o == null && rec.ownerSession() == mySession) {
                withdrawOrphan(g, rec, mySession);
            }
            return null;
        }
        long since = absentSince.computeIfAbsent(g.name(), k -> now);
        if (!leaseOk || drain || hold) {
            return null;
        }
        if (rec.state().phase() == Phase.STUCK && g.onStopFailure() == GroupSpec.StopFailure.BLOCK) {
            return null;     // waits for an operator's confirm-offline
        }
        Snapshots.Decision d = Snapshots.placeUnowned(placer, snapshot, g.name(), Snapshots.request(rec), rec.state().node() == null);
        PlacementRequest request = d.request();
        Placement p = d.placement();
        if (p.verdict() == Verdict.FAILED) {
            if (rec.state().phase() != Phase.FAILED && p.candidates().indexOf(me) == 0) {
                String why = p.decidedBy().text() + ": left offline";
                if (store.markFailed(rec, why, wall.millis())) {
                    LOG.error("Node {}: group {}: {}", me, g.name(), why);
                    history.event("failed", g.name(), -1, mySession, why);
                }
            }
            return null;
        }
        if (p.verdict() == Verdict.HELD) {
            return null;       // no-auto-start: it would go there, but stays offline until an operator moves it
        }
        if (!p.verdict().starts()) {
            return null;
        }
        String chosen = p.chosen().orElseThrow();
        int k = p.candidates().indexOf(me);
        if (k < 0) {
            return chosen;
        }
        Duration delay = (rec.state().clean() ? Duration.ZERO : spec.lease().takeoverDelay()).plus(FALLBACK_STEP.multipliedBy(k));
        if (now - since < delay.toNanos()) {
            wakeAfter(delay);
            return chosen;
        }
        boolean planned = request instanceof PlacementRequest.Move;
        String reason = switch (request) {
            case PlacementRequest.Start s -> "start";
            case PlacementRequest.Move m -> rec.target().map(Records.Target::reason)
                    .orElse(rec.state().reason() == null ? "move" : rec.state().reason());
            case PlacementRequest.Failover f -> rec.state().phase() == Phase.OFFLINE && rec.state().clean()
                    ? (rec.state().reason().startsWith("failover") ? "" : "failover: ") + rec.state().reason()
                    : "failover: owner " + rec.state().node() + " lost";
        };
        if (!guarded()) {
            return chosen;          // no live watchdog: this node takes nothing now
        }
        Optional<Long> epoch = store.acquire(rec, me, mySession, reason, planned, wall.millis());
        if (epoch.isEmpty()) {
            return chosen;
        }
        absentSince.remove(g.name());
        synchronized (lock) {
            owned.put(g.name(), new Owned(epoch.get(), rec.epochVersion() + 1));
        }
        LOG.info("Node {}: acquired group {} with epoch {} ({})", me, g.name(), epoch.get(), reason);
        history.event("acquire", g.name(), epoch.get(), mySession, switch (request) {
            case PlacementRequest.Start s -> "start";
            case PlacementRequest.Move m -> "move";
            case PlacementRequest.Failover f -> "failover";
        } + " " + reason);
        if (history.enabled()) {
            // what the decision saw, so that an audit can re-run the placement rules on it (the checker's I5)
            history.event("placement", g.name(), epoch.get(), mySession, "index " + k + " "
                    + new String(Records.encode(SnapshotJson.of(snapshot, Map.of(g.name(), request))), java.nio.charset.StandardCharsets.UTF_8));
        }
        renewWatchdog();        // before anything starts: the watchdog finds the group's processes by their environment
        startGroup(g, epoch.get());
        return me;
    }

    /**
     * The group's owner znode is held by this node's session, but this node does not own the group: an
     * acquisition that Curator carried out again on a later session of this node after the session that
     * asked for it ended (the request's outcome was unknown, the connection lost, and Curator retried it on
     * its new connection). The node started nothing under this session for it, and the lease of the ended
     * session stopped what it had started; left alone, the group would stay owned by a node that does not know
     * it, offline, until this session ends. Once its resources are confirmed stopped here, the znode is deleted
     * (checked against the epoch it was read with); the breadcrumb stays as the acquisition wrote it (Onlining,
     * not clean), so the group fails over as after an owner lost while onlining. A resource that could not be
     * confirmed stopped keeps the znode, and with it every other node away.
     */
    private void withdrawOrphan(GroupSpec g, GroupStore.GroupRecord rec, long mySession) throws Exception {
        StopState stop = groupStopState(g);
        if (stop != StopState.STOPPED) {
            if (orphansWaiting.add(g.name())) {
                LOG.warn("Node {}: group {} (epoch {}) is held by this session without being this node's; {}", me, g.name(),
                        rec.epoch(), stop == StopState.STOP_FAILED ? "a resource could not be confirmed stopped: it stays held"
                                : "withdrawn once its resources stopped");
            }
            return;
        }
        orphansWaiting.remove(g.name());
        if (store.withdraw(rec)) {
            LOG.warn("Node {}: withdrew group {} (epoch {}): acquired for an ended session of this node and carried out on this one", me,
                    g.name(), rec.epoch());
            history.event("withdraw", g.name(), rec.epoch(), mySession, "acquired for an ended session");
        }
    }

    private void decideOwned(GroupSpec g, GroupStore.GroupRecord rec, Owned o, PlacementSnapshot snapshot, boolean leaseOk,
                             boolean failover, boolean drain) throws Exception {
        StopState stop = groupStopState(g);
        if (stop == StopState.STOP_FAILED && o.phase != Phase.STUCK) {
            // a stop failed (a release's, the lease's, a stop after a failure): the resource may still run, so the
            // group can neither start again here nor elsewhere; it is Stuck. A release under way keeps its reason.
            synchronized (lock) {
                o.leaseStopped = false;
            }
            if (o.phase != Phase.OFFLINING) {
                o.releaseReason = "failover: a stop failed";
                o.planned = false;
            }
            stuck(g, rec, o);
            return;
        }
        if (o.leaseStopped) {
            if (stop != StopState.STOPPED) {
                return;                 // the lease's stop still runs
            }
            if (o.phase == Phase.OFFLINING || o.phase == Phase.STUCK) {
                // a release (or a Stuck group) was under way when the lease ran out: the lease's stop was its
                // stop; it is never started again here, the release goes on below
                synchronized (lock) {
                    o.leaseStopped = false;
                }
            } else {
                // start again only once the lease's stop is complete: a start requested while it runs would be lost
                if (leaseOk && connectedNow() && guarded()) {
                    LOG.info("Node {}: the lease holds again and group {} is still this node's (epoch {}): starting it again", me, g.name(), o.epoch);
                    history.event("lease-restart", g.name(), o.epoch, rec.ownerSession(), null);
                    synchronized (lock) {
                        o.leaseStopped = false;
                    }
                    renewWatchdog();        // as before an acquisition: the watchdog knows the group before its processes start
                    startGroup(g, o.epoch);
                }
                return;
            }
        }
        String leave = null;
        boolean planned = true;
        if (o.phase == Phase.OFFLINING || o.phase == Phase.STUCK) {
            leave = o.releaseReason;        // a release under way goes on
            planned = o.planned;
        } else if (failover) {
            leave = "failover: a resource failed past its restart threshold";
            planned = false;
        } else if (drain) {
            leave = Snapshots.bestPossible(placer, snapshot, g.name()).verdict().chooses() ? "drain of " + me
                    : "drain of " + me + " (no other node may own it now: it stays offline until one can)";
        } else if (rec.target().isPresent()) {
            Optional<String> to = Optional.ofNullable(rec.target().get().node());
            Placement p = to.isPresent() ? placer.place(snapshot, g.name(), PlacementRequest.moveTo(to.get()))
                    : Snapshots.bestPossible(placer, snapshot, g.name());
            if (p.verdict() == Verdict.PLACE && !p.chosen().orElseThrow().equals(me)) {
                leave = "move" + to.map(n -> " to " + n).orElse("");
            } else if (store.clearTarget(rec)) {
                LOG.warn("Node {}: group {} stays here: the move cannot be carried out ({})", me, g.name(), p.decidedBy().text());
            }
        } else if (o.phase == Phase.ONLINE) {
            // failback: a one-shot planned move back to its most preferred node, asked for by its owner
            Optional<Placement> back = placer.failback(snapshot, g.name());
            if (back.isPresent()) {
                String to = back.get().chosen().orElseThrow();
                LOG.info("Node {}: group {} fails back to {} ({})", me, g.name(), to, back.get().decidedBy().text());
                store.requestMove(g.name(), to, "failback to " + to, java.util.UUID.randomUUID().toString(), wall.millis());
            }
        }
        if (leave != null) {
            if (o.phase != Phase.OFFLINING && o.phase != Phase.STUCK) {
                o.phase = Phase.OFFLINING;
                o.releaseReason = leave;
                o.planned = planned;
                store.setPhase(g.name(), o.epoch, o.epochVersion, me, Phase.OFFLINING, false, leave, wall.millis());
                history.event("offlining", g.name(), o.epoch, rec.ownerSession(), (planned ? "planned " : "unplanned ") + leave);
                stopGroup(g);
            }
            StopState s = groupStopState(g);
            if (s == StopState.STOPPED) {
                if (store.release(g.name(), o.epoch, o.epochVersion, me, o.releaseReason, o.planned, wall.millis())) {
                    LOG.info("Node {}: released group {} (epoch {}): {}", me, g.name(), o.epoch, o.releaseReason);
                    history.event("release", g.name(), o.epoch, rec.ownerSession(), o.planned ? "planned" : "unplanned");
                }
                synchronized (lock) {
                    owned.remove(g.name());
                    failoverRequested.remove(g.name());
                    if (drain) {
                        drainReleased = g.name();
                        drainReleasedAt = nanos.getAsLong();
                    }
                }
            } else if (s == StopState.STOP_FAILED && o.phase != Phase.STUCK) {
                stuck(g, rec, o);
            }
            return;
        }
        if (o.phase == Phase.ONLINING && groupOnline(g)) {
            o.phase = Phase.ONLINE;
            store.setPhase(g.name(), o.epoch, o.epochVersion, me, Phase.ONLINE, false, "online on " + me, wall.millis());
            history.event("online", g.name(), o.epoch, rec.ownerSession(), null);
            LOG.info("Node {}: group {} is Online (epoch {})", me, g.name(), o.epoch);
        }
    }

    /**
     * A resource of an owned group could not be confirmed stopped: the group is Stuck (recorded), no other
     * node starts it, and this node fences itself ({@code onStopFailure: fence-self}) or waits for an
     * operator's confirm-offline ({@code block}).
     */
    private void stuck(GroupSpec g, GroupStore.GroupRecord rec, Owned o) throws Exception {
        o.phase = Phase.STUCK;
        store.setPhase(g.name(), o.epoch, o.epochVersion, me, Phase.STUCK, false,
                "a resource could not be confirmed stopped: " + stuckResources(g), wall.millis());
        history.event("stuck", g.name(), o.epoch, rec.ownerSession(), String.join(",", stuckResources(g)));
        LOG.error("Node {}: group {} is Stuck: {} could not be confirmed stopped; no other node starts it until {}", me,
                g.name(), stuckResources(g), g.onStopFailure() == GroupSpec.StopFailure.BLOCK
                        ? "an operator confirms it offline" : "this node has fenced itself");
        if (g.onStopFailure() == GroupSpec.StopFailure.FENCE_SELF) {
            history.event("fence-self", rec.ownerSession(), "group " + g.name() + " is Stuck");
            fenceSelf.accept("group " + g.name() + " is Stuck: " + stuckResources(g) + " could not be confirmed stopped");
        }
    }

    /** Whether this node is connected to ZooKeeper now. */
    public boolean connected() {
        return connectedNow();
    }

    private boolean connectedNow() {
        synchronized (lock) {
            return connected;
        }
    }

    private void wakeAfter(Duration delay) {
        Thread.ofVirtual().name("clusworker-" + me + "-wake").start(() -> {
            try {
                Thread.sleep(delay.plusMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wake();
        });
    }

    // ------------------------------------------------------------------ the host side

    private void startGroup(GroupSpec g, long epoch) {
        ResourceHost h = host;
        Fencing token = new Token(epoch, g.name(), me, this);
        for (String r : g.resources()) {
            h.fence(r, token);
        }
        for (String r : g.resources()) {
            h.requestOnline(r);
        }
    }

    private void stopGroup(GroupSpec g) {
        ResourceHost h = host;
        for (String r : g.resources()) {
            h.requestOffline(r);
        }
    }

    private boolean groupOnline(GroupSpec g) {
        ResourceHost h = host;
        return g.resources().stream().allMatch(r -> h.status(r).state() == ResourceState.ONLINE);
    }

    private StopState groupStopState(GroupSpec g) {
        ResourceHost h = host;
        StopState worst = StopState.STOPPED;
        for (String r : g.resources()) {
            StopState s = h.stopState(r);
            if (s == StopState.STOP_FAILED) {
                return s;
            }
            if (s != StopState.STOPPED) {
                worst = StopState.STOPPING;
            }
        }
        return worst;
    }

    private List<String> stuckResources(GroupSpec g) {
        ResourceHost h = host;
        return g.resources().stream().filter(r -> h.stopState(r) == StopState.STOP_FAILED).toList();
    }

    /** Whether this node's lease holds now (for the agents' {@link Fencing#leaseValid()}). */
    boolean leaseValid(String group, long epoch) {
        synchronized (lock) {
            Owned o = owned.get(group);
            return o != null && o.epoch == epoch && !o.leaseStopped && lease.valid(nanos.getAsLong());
        }
    }

    /** The fencing token of one acquisition. */
    private record Token(long epoch, String group, String node, ClusterNode owner) implements Fencing {
        @Override
        public boolean leaseValid() {
            return owner.leaseValid(group, epoch);
        }

        /**
         * Also {@code CLUSWORKER_HOST}, this JVM's pid: the watchdog finds the group's processes by their
         * environment, and must not take another host's on this machine that uses the same node and group
         * names (a second cluster; the chaos runs found one watchdog killing the other cluster's resources).
         */
        @Override
        public Map<String, String> environment() {
            Map<String, String> env = new java.util.HashMap<>(Fencing.super.environment());
            env.put("CLUSWORKER_HOST", Long.toString(ProcessHandle.current().pid()));
            return Map.copyOf(env);
        }

        @Override
        public String toString() {
            return "Fencing[" + group + " epoch " + epoch + " on " + node + "]";
        }
    }

    // ------------------------------------------------------------------ status and shutdown

    /** The ZooKeeper client of this node (namespaced to the cluster's chroot). */
    public CuratorFramework zk() {
        return zk;
    }

    /** Why this node refused to join, if it did (for example: another configuration digest). */
    public Optional<String> refused() {
        synchronized (lock) {
            return Optional.ofNullable(refused);
        }
    }

    /** The groups this node owns now, with their epochs. */
    public Map<String, Long> ownedGroups() {
        synchronized (lock) {
            Map<String, Long> m = new LinkedHashMap<>();
            owned.forEach((g, o) -> m.put(g, o.epoch));
            return m;
        }
    }

    /** Acquires nothing more: the node is stopping (its owned groups stay until its host stopped them). */
    public void stopAcquiring() {
        synchronized (lock) {
            leaving = true;
        }
    }

    /** Moves every owned group to other nodes by planned moves, and acquires nothing new. */
    public void drain() {
        synchronized (lock) {
            draining = true;
        }
        announce = true;
        Worker p = prober;
        if (p != null) {
            p.signal();
        }
        wake();
    }

    /**
     * Waits (real time) until this node owns no group, e.g. after {@link #drain()}.
     *
     * @return whether it owned none within {@code timeout}
     */
    public boolean awaitNoGroups(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ownedGroups().isEmpty()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Stops deciding and leaves the cluster (its session ends: its ephemerals vanish). The host is the caller's. */
    @Override
    public void close() {
        Worker d = decisions;
        Worker p = prober;
        Worker f = enforcer;
        if (d != null) {
            d.terminate(Duration.ofSeconds(10));
        }
        if (p != null) {
            p.terminate(Duration.ofSeconds(10));
        }
        if (f != null) {
            f.terminate(Duration.ofSeconds(10));
        }
        org.apache.curator.framework.recipes.cache.CuratorCache c = cache;
        if (c != null && zk.getZookeeperClient().isConnected()) {
            c.close();      // removes its watch on the server; without a connection that would be retried for minutes
        }
        zk.close();         // without a connection, the client's close ends the cache's watch with the session
        history.close();
    }

    @Override
    public String toString() {
        return "ClusterNode[" + me + " of " + spec.name() + "]";
    }
}
