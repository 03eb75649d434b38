/**
 * Where a group of resources goes, as Windows Server Failover Clustering decides it (CLUSTER.md
 * §1.2–1.8, §6.5): a pure function of a {@link org.clusworker.cluster.placement.PlacementSnapshot}.
 *
 * <p>Every node computes the same {@link org.clusworker.cluster.placement.Placement} from the same
 * snapshot; ZooKeeper's conditional writes then decide who wins a race. Nothing here reads a clock,
 * ZooKeeper or the network: time is the snapshot's {@code now}.
 *
 * <p>The steps of {@link org.clusworker.cluster.placement.Placer#place}, each writing the lines of the
 * explanation it contributes:
 * <ol>
 *   <li>the group's node list: its preferred owners in order, then every other node in configured order;
 *   <li>whether any node may own the group at all (the intersection of its resources' possible owners);
 *   <li>the order the request scans the list in: START from the first node, FAILOVER from the node after
 *       the last owner (cyclically), MOVE its target or the preferred owners;
 *   <li>the {@link org.clusworker.cluster.placement.CandidateRule}s, in order: a hard rule excludes a
 *       node, a soft rule moves it to the end of the candidates (extension point: pause, drain;
 *       anti-affinity: soft, or enforced = hard);
 *   <li>the gates of automatic placements: the Failed phase and FailoverThreshold per FailoverPeriod;
 *   <li>a no-auto-start group's START or FAILOVER is HELD: placed, not started.
 * </ol>
 * Several groups are placed in priority order by {@link org.clusworker.cluster.placement.Placer#placeAll};
 * {@link org.clusworker.cluster.placement.Placer#explainFailback} decides a failback (a planned move).
 */
package org.clusworker.cluster.placement;
