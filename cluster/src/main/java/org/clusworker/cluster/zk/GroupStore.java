package org.clusworker.cluster.zk;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.clusworker.cluster.zk.Records.Failover;
import org.clusworker.cluster.zk.Records.History;
import org.clusworker.cluster.zk.Records.Owner;
import org.clusworker.cluster.zk.Records.Phase;
import org.clusworker.cluster.zk.Records.State;
import org.clusworker.cluster.zk.Records.Target;

/**
 * The groups' records in ZooKeeper and the only ways to change them (CLUSTER.md §6.2-6.3). Ownership
 * is one ephemeral {@code owner} znode per group plus a persistent {@code epoch} counter, both changed in
 * one {@code multi}; every later write of the owner checks the epoch znode's version, so that a node
 * that lost the group cannot write over its new owner's records.
 *
 * <p>After any failure whose outcome is unknown (a connection loss, a retried operation), the store
 * re-reads the owner znode and compares its session and epoch with its own: that, not the exception,
 * says whether the change happened.
 *
 * <p>Thread-safe: stateless over the Curator client.
 */
public final class GroupStore {

    private final CuratorFramework zk;

    public GroupStore(CuratorFramework zk) {
        this.zk = zk;
    }

    static String group(String g) {
        return "/groups/" + g;
    }

    static String epoch(String g) {
        return group(g) + "/epoch";
    }

    static String owner(String g) {
        return group(g) + "/owner";
    }

    static String state(String g) {
        return group(g) + "/state";
    }

    static String target(String g) {
        return group(g) + "/target";
    }

    static String failovers(String g) {
        return group(g) + "/failovers";
    }

    /** What a node reads of a group before it decides: every record with the version to check. */
    public record GroupRecord(String name, long epoch, int epochVersion, Optional<Owner> owner, long ownerSession,
                              State state, int stateVersion, Optional<Target> target, int targetVersion,
                              History history, int historyVersion) {
    }

    /** Creates the group's persistent records if they are missing (idempotent; races are harmless). */
    public void ensure(String g) throws Exception {
        createIfMissing(epoch(g), "0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        createIfMissing(state(g), Records.encode(State.initial()));
        createIfMissing(target(g), new byte[0]);
        createIfMissing(failovers(g), Records.encode(new History(List.of(), 0)));
    }

    private void createIfMissing(String path, byte[] data) throws Exception {
        try {
            zk.create().creatingParentsIfNeeded().forPath(path, data);
        } catch (KeeperException.NodeExistsException already) {
            // another node made it first
        }
    }

    public GroupRecord read(String g) throws Exception {
        Stat es = new Stat();
        long e = Long.parseLong(new String(zk.getData().storingStatIn(es).forPath(epoch(g)), java.nio.charset.StandardCharsets.UTF_8).strip());
        Optional<Owner> owner = Optional.empty();
        long ownerSession = 0;
        Stat os = zk.checkExists().forPath(owner(g));
        if (os != null) {
            try {
                Stat read = new Stat();
                owner = Optional.of(Records.decode(zk.getData().storingStatIn(read).forPath(owner(g)), Owner.class, owner(g)));
                ownerSession = read.getEphemeralOwner();
            } catch (KeeperException.NoNodeException gone) {
                owner = Optional.empty();
            }
        }
        Stat ss = new Stat();
        State state = Records.decode(zk.getData().storingStatIn(ss).forPath(state(g)), State.class, state(g));
        Stat ts = new Stat();
        byte[] t = zk.getData().storingStatIn(ts).forPath(target(g));
        Optional<Target> target = t.length == 0 ? Optional.empty() : Optional.of(Records.decode(t, Target.class, target(g)));
        Stat hs = new Stat();
        History history = Records.decode(zk.getData().storingStatIn(hs).forPath(failovers(g)), History.class, failovers(g));
        return new GroupRecord(g, e, es.getVersion(), owner, ownerSession, state, ss.getVersion(), target, ts.getVersion(),
                history, hs.getVersion());
    }

    /**
     * Acquires group {@code seen.name()} for {@code node}: in one {@code multi}, checks that nothing
     * changed since {@code seen} was read (epoch, breadcrumb, target), bumps the epoch, creates the
     * ephemeral owner znode, writes the breadcrumb (Onlining, not clean), clears the target, and records
     * the change of owner. Exactly one of the nodes that race wins.
     *
     * @param session this node's session id (to recognise its own owner znode after an unknown outcome)
     * @return the new epoch, or empty if another node won or something changed
     */
    public Optional<Long> acquire(GroupRecord seen, String node, long session, String reason, boolean planned, long now) throws Exception {
        String g = seen.name();
        long next = seen.epoch() + 1;
        String from = seen.state().node();
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(zk.transactionOp().setData().withVersion(seen.epochVersion()).forPath(epoch(g), Long.toString(next).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ops.add(zk.transactionOp().create().withMode(CreateMode.EPHEMERAL).forPath(owner(g),
                Records.encode(new Owner(node, next, Long.toHexString(session)))));
        ops.add(zk.transactionOp().setData().withVersion(seen.stateVersion()).forPath(state(g),
                Records.encode(new State(next, node, Phase.ONLINING, false, now, reason, false))));
        ops.add(zk.transactionOp().setData().withVersion(seen.targetVersion()).forPath(target(g), new byte[0]));
        ops.add(zk.transactionOp().setData().withVersion(seen.historyVersion()).forPath(failovers(g),
                Records.encode(seen.history().plus(new Failover(next, from, node, reason, now, planned)))));
        try {
            zk.transaction().forOperations(ops);
            return Optional.of(next);
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
            return owns(g, session, next) ? Optional.of(next) : Optional.empty();
        } catch (KeeperException.ConnectionLossException | KeeperException.OperationTimeoutException unknown) {
            return owns(g, session, next) ? Optional.of(next) : Optional.empty();
        }
    }

    /** Whether the owner znode of {@code g} is this session's, with this epoch. */
    public boolean owns(String g, long session, long epoch) throws Exception {
        Stat stat = new Stat();
        try {
            Owner o = Records.decode(zk.getData().storingStatIn(stat).forPath(owner(g)), Owner.class, owner(g));
            return stat.getEphemeralOwner() == session && o.epoch() == epoch;
        } catch (KeeperException.NoNodeException none) {
            return false;
        }
    }

    /**
     * Writes the breadcrumb of a group this node owns at {@code epoch}, checked against the epoch's
     * version: fails (returns false) if another node acquired it since.
     */
    public boolean setPhase(String g, long epoch, int epochVersion, String node, Phase phase, boolean clean, String reason, long now) throws Exception {
        try {
            zk.transaction().forOperations(
                    zk.transactionOp().check().withVersion(epochVersion).forPath(epoch(g)),
                    zk.transactionOp().setData().forPath(state(g), Records.encode(new State(epoch, node, phase, clean, now, reason, false))));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
            return false;
        }
    }

    /**
     * Gives the group up after its resources stopped cleanly: breadcrumb Offline and clean (so the next
     * owner needs no takeover delay), owner znode deleted; checked against the epoch's version.
     * {@code planned}: a move or a drain, which the next acquisition does not count as a failover.
     *
     * @return false if this node no longer owned it
     */
    public boolean release(String g, long epoch, int epochVersion, String node, String reason, boolean planned, long now) throws Exception {
        try {
            zk.transaction().forOperations(
                    zk.transactionOp().check().withVersion(epochVersion).forPath(epoch(g)),
                    zk.transactionOp().setData().forPath(state(g), Records.encode(new State(epoch, node, Phase.OFFLINE, true, now, reason, planned))),
                    zk.transactionOp().delete().forPath(owner(g)));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException lost) {
            return false;
        }
    }

    /**
     * Deletes the owner znode {@code seen} read, if the group's epoch is still the one read: the owner gives
     * up an acquisition it never acted on. The breadcrumb is left as it is.
     *
     * @return false if the group changed hands or its owner znode went meanwhile
     */
    public boolean withdraw(GroupRecord seen) throws Exception {
        try {
            zk.transaction().forOperations(
                    zk.transactionOp().check().withVersion(seen.epochVersion()).forPath(epoch(seen.name())),
                    zk.transactionOp().delete().forPath(owner(seen.name())));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException changed) {
            return false;
        }
    }

    /**
     * Records that the group, owned by nobody, is Failed (past its failover threshold), if its breadcrumb is
     * still the one {@code seen} read and it has no owner.
     *
     * @return whether this write made it Failed (false: another node did, or something changed)
     */
    public boolean markFailed(GroupRecord seen, String reason, long now) throws Exception {
        if (seen.owner().isPresent()) {
            return false;
        }
        try {
            zk.transaction().forOperations(
                    zk.transactionOp().check().withVersion(seen.epochVersion()).forPath(epoch(seen.name())),
                    zk.transactionOp().setData().withVersion(seen.stateVersion()).forPath(state(seen.name()),
                            Records.encode(new State(seen.epoch(), seen.state().node(), Phase.FAILED, true, now, reason, false))),
                    zk.transactionOp().setData().withVersion(seen.historyVersion()).forPath(failovers(seen.name()),
                            Records.encode(seen.history().failedAt(now)
                                    .plus(new Failover(seen.epoch(), seen.state().node(), null, "Failed: " + reason, now, false)))));
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException changed) {
            return false;
        }
    }

    /**
     * Withdraws a move that cannot be carried out (its target may not take the group, or it is there
     * already), if the request is still the one {@code seen} read.
     *
     * @return whether this call withdrew it
     */
    public boolean clearTarget(GroupRecord seen) throws Exception {
        try {
            zk.setData().withVersion(seen.targetVersion()).forPath(target(seen.name()), new byte[0]);
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException changed) {
            return false;
        }
    }

    /** Every node's maintenance state, by node (nodes in none are absent). */
    public java.util.Map<String, Records.NodeMaintenance> maintenance() throws Exception {
        java.util.Map<String, Records.NodeMaintenance> all = new java.util.TreeMap<>();
        List<String> nodes;
        try {
            nodes = zk.getChildren().forPath("/maintenance");
        } catch (KeeperException.NoNodeException none) {
            return all;
        }
        for (String n : nodes) {
            try {
                all.put(n, Records.decode(zk.getData().forPath("/maintenance/" + n), Records.NodeMaintenance.class, "/maintenance/" + n));
            } catch (KeeperException.NoNodeException gone) {
                // resumed meanwhile
            }
        }
        return all;
    }

    /** Puts {@code node} in maintenance (replacing the state it had). */
    public void setMaintenance(Records.NodeMaintenance m) throws Exception {
        byte[] data = Records.encode(m);
        try {
            zk.create().creatingParentsIfNeeded().forPath("/maintenance/" + m.node(), data);
        } catch (KeeperException.NodeExistsException exists) {
            zk.setData().forPath("/maintenance/" + m.node(), data);
        }
    }

    /**
     * A drained node records that its drain is complete: DRAINING becomes PAUSED, if it is still the
     * drain it read (an operator may have resumed it meanwhile).
     */
    public boolean drainCompleted(String node, long since, long now) throws Exception {
        String path = "/maintenance/" + node;
        Stat stat = new Stat();
        try {
            Records.NodeMaintenance m = Records.decode(zk.getData().storingStatIn(stat).forPath(path), Records.NodeMaintenance.class, path);
            if (m.state() != Records.Maintenance.DRAINING || m.since() != since) {
                return false;
            }
            zk.setData().withVersion(stat.getVersion()).forPath(path, Records.encode(new Records.NodeMaintenance(node,
                    Records.Maintenance.PAUSED, now, "drain completed")));
            return true;
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException changed) {
            return false;
        }
    }

    /** Takes {@code node} out of maintenance. @return whether it was in maintenance */
    public boolean clearMaintenance(String node) throws Exception {
        try {
            zk.delete().forPath("/maintenance/" + node);
            return true;
        } catch (KeeperException.NoNodeException none) {
            return false;
        }
    }

    /** Asks for a planned move of the group (to {@code node}, or best possible if null). One-shot: the acquirer clears it. */
    public void requestMove(String g, String node, String reason, String requestId, long now) throws Exception {
        zk.setData().forPath(target(g), Records.encode(new Target(node, reason, requestId, now)));
    }

    /** Clears a Stuck group whose owner an operator confirmed offline: checked against the epoch the operator saw. */
    public boolean confirmOffline(String g, long epoch, int epochVersion, String node, long now) throws Exception {
        List<CuratorOp> ops = new ArrayList<>();
        ops.add(zk.transactionOp().check().withVersion(epochVersion).forPath(epoch(g)));
        ops.add(zk.transactionOp().setData().forPath(state(g), Records.encode(new State(epoch, node, Phase.OFFLINE, true, now,
                "confirmed offline by an operator", false))));
        if (zk.checkExists().forPath(owner(g)) != null) {
            ops.add(zk.transactionOp().delete().forPath(owner(g)));
        }
        try {
            zk.transaction().forOperations(ops);
            return true;
        } catch (KeeperException.BadVersionException | KeeperException.NoNodeException changed) {
            return false;
        }
    }
}
