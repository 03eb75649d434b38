package org.clusworker.host.agent;

import java.util.Map;

/**
 * The fencing token of a resource that belongs to a cluster group: the group's ownership epoch, which
 * grows with every new owner, so that whatever the resource writes elsewhere can be checked against a
 * newer owner's (Kleppmann's fencing token). Given to agents through {@link AgentContext#fencing()};
 * {@code process} and {@code ocf} resources get it as {@link #environment()}.
 */
public interface Fencing {

    /** The group's epoch when this node acquired it; strictly larger for every later owner. */
    long epoch();

    /** The group the resource belongs to. */
    String group();

    /** The node that owns the group, this one. */
    String node();

    /**
     * Whether this node's lease on the group is still valid: {@code false} once the node may no longer
     * be sure that no other node has started the group. An agent checks it before an external side
     * effect. Never blocks.
     */
    boolean leaseValid();

    /** {@code CLUSWORKER_EPOCH}, {@code CLUSWORKER_GROUP} and {@code CLUSWORKER_NODE}, for a process's environment. */
    default Map<String, String> environment() {
        return Map.of("CLUSWORKER_EPOCH", Long.toString(epoch()), "CLUSWORKER_GROUP", group(), "CLUSWORKER_NODE", node());
    }
}
