package org.clusworker.host.agent;

import java.nio.file.Path;
import java.util.Map;

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
}
