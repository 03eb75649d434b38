package org.clusworker.cli.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.clusworker.host.FailoverHandler;

/**
 * A cluster node's meters: the groups as the node last read them (owner and epoch, read at each
 * scrape), the failovers its resources ask for (counted on the way to the node's handler), and what the
 * node reports as its {@link org.clusworker.cluster.ClusterNode.Observer}: lease renew latency and time
 * to fence.
 */
public final class ClusterMeters {
    // Every gauge holds its source strongly: a supplier made for it (a method reference) has no other
    // holder, and Micrometer's default weak reference would let it be collected (the gauge then reads NaN).

    private final MeterRegistry registry;

    public ClusterMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * {@code clusworker_cluster_group_owned{group}} (1 if this node owns it) and
     * {@code clusworker_cluster_group_epoch{group}} (its epoch while owned here, else NaN) for each group.
     *
     * @param owned the groups this node owns now with their epochs ({@code ClusterNode.ownedGroups})
     */
    public void groups(List<String> groups, Supplier<Map<String, Long>> owned) {
        for (String g : groups) {
            Gauge.builder("clusworker.cluster.group.owned", owned, o -> o.get().containsKey(g) ? 1 : 0)
                    .description("1 if this node owns the group now, else 0").tags("group", g).strongReference(true).register(registry);
            Gauge.builder("clusworker.cluster.group.epoch", owned, o -> {
                Long epoch = o.get().get(g);
                return epoch == null ? Double.NaN : epoch;
            }).description("The group's epoch (ownership generation) while this node owns it, else NaN").tags("group", g)
                    .strongReference(true).register(registry);
        }
    }

    /**
     * {@code clusworker_cluster_group_owner{group,node}} (1 for the node that owns the group, as this node
     * last read it) and {@code clusworker_cluster_group_cluster_epoch{group}} (its epoch in ZooKeeper).
     */
    public void cluster(List<String> groups, List<String> nodes, Supplier<Map<String, org.clusworker.cluster.ClusterNode.GroupSeen>> seen) {
        for (String g : groups) {
            for (String n : nodes) {
                Gauge.builder("clusworker.cluster.group.owner", seen, s -> {
                    org.clusworker.cluster.ClusterNode.GroupSeen x = s.get().get(g);
                    return x != null && n.equals(x.owner()) ? 1 : 0;
                }).description("1 for the node that owns the group (as this node last read it), else 0").tags("group", g, "node", n)
                        .strongReference(true).register(registry);
            }
            Gauge.builder("clusworker.cluster.group.cluster.epoch", seen, s -> {
                org.clusworker.cluster.ClusterNode.GroupSeen x = s.get().get(g);
                return x == null ? Double.NaN : x.epoch();
            }).description("The group's epoch in ZooKeeper (its ownership generation), as this node last read it").tags("group", g)
                    .strongReference(true).register(registry);
        }
    }

    /** The node's lease renewals and fences as meters. */
    public org.clusworker.cluster.ClusterNode.Observer observer() {
        io.micrometer.core.instrument.Timer renew = io.micrometer.core.instrument.Timer.builder("clusworker.cluster.lease.renew")
                .description("Lease probes: the round trip of the checked write of this node's member znode").publishPercentileHistogram()
                .register(registry);
        return new org.clusworker.cluster.ClusterNode.Observer() {
            @Override
            public void leaseRenewed(java.time.Duration roundTrip) {
                renew.record(roundTrip);
            }

            @Override
            public void fenced(String group, java.time.Duration took) {
                io.micrometer.core.instrument.Timer.builder("clusworker.cluster.fence")
                        .description("From the moment the lease ran out on a group (t_stop) to all its resources stopped")
                        .tags("group", group).publishPercentileHistogram().register(registry).record(took);
            }
        };
    }

    /** {@code handler}, counting each call in {@code clusworker_cluster_failovers_total{resource}} first. */
    public FailoverHandler counting(FailoverHandler handler) {
        return (resource, reason) -> {
            Counter.builder("clusworker.cluster.failovers").description("Failovers asked for by a resource past its restart threshold")
                    .tags("resource", resource).register(registry).increment();
            handler.failover(resource, reason);
        };
    }
}
