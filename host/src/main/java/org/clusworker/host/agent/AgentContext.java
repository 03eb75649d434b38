package org.clusworker.host.agent;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What an agent knows of its resource, given when it is opened. Thread-safe.
 */
public interface AgentContext {

    /** The resource's name, unique in its host. */
    String resourceName();

    /** The resource's type name. */
    String typeName();

    /** The resource's properties, as configured (immutable). */
    Map<String, String> properties();

    /**
     * A directory of this resource's own (for logs, pid files), created by the host under its state
     * directory.
     */
    Path workDirectory();

    /**
     * Tells the host that the resource has failed (the Windows Online event handle): the host runs
     * {@link ResourceAgent#isAlive()} at once. Callable from any thread, at any time; never blocks.
     */
    void signalFailure(String reason);

    /**
     * The fencing token of the resource's group, when it belongs to a cluster group owned by this node;
     * empty for a resource of no group. Read it when the online starts: a later online may carry a newer
     * epoch.
     */
    default Optional<Fencing> fencing() {
        return Optional.empty();
    }

    /** The group's epoch ({@link Fencing#epoch()}); empty for a resource of no group. */
    default OptionalLong epoch() {
        return fencing().map(f -> OptionalLong.of(f.epoch())).orElse(OptionalLong.empty());
    }

    /** Whether the node still holds its lease on the resource's group; {@code true} for a resource of no group. */
    default boolean leaseValid() {
        return fencing().map(Fencing::leaseValid).orElse(true);
    }
}
