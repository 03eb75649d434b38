package org.clusworker.cli.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.clusworker.host.FailoverHandler;

/**
 * A cluster node's meters, read from what the node already tells (no hooks in it): the groups it owns
 * with their epochs (read at each scrape), and the failovers its resources ask for (counted on the way
 * to the node's handler). Lease renew latency and time to fence are not measured (they would need
 * hooks inside {@code ClusterNode}).
 */
public final class ClusterMeters {

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
                    .description("1 if this node owns the group now, else 0").tags("group", g).register(registry);
            Gauge.builder("clusworker.cluster.group.epoch", owned, o -> {
                Long epoch = o.get().get(g);
                return epoch == null ? Double.NaN : epoch;
            }).description("The group's epoch (ownership generation) while this node owns it, else NaN").tags("group", g)
                    .register(registry);
        }
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
