package org.clusworker.host.agent;

import java.util.List;
import java.util.Map;

/**
 * A kind of resource (e.g. {@code process}, {@code ocf}) that makes one {@link ResourceAgent} per
 * resource. Types are found with {@link java.util.ServiceLoader} ({@code META-INF/services/org.clusworker.host.agent.ResourceType})
 * or registered in code.
 */
public interface ResourceType {

    /** The name the configuration uses, e.g. {@code "process"}. */
    String name();

    /**
     * Checks a resource's properties without opening anything: missing required properties, unknown
     * ones, values of the wrong form. Returns every problem at once; empty if the properties are fine.
     */
    default List<PropertyError> validate(Map<String, String> properties) {
        return List.of();
    }

    /**
     * Opens the agent of one resource (the Windows Open entry point). Runs in a worker, under the
     * deadlock timeout.
     *
     * @throws AgentException if the agent cannot be opened (e.g. invalid properties)
     */
    ResourceAgent open(AgentContext context);
}
