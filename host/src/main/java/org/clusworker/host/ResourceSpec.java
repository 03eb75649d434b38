package org.clusworker.host;

import org.clusworker.host.config.Names;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One configured resource.
 *
 * @param name       unique in its host; {@link Names the name syntax}
 * @param type       the resource type's name, e.g. {@code "process"}
 * @param properties the type's parameters
 * @param dependsOn  names of the resources that must be Online before this one goes online
 * @param policy     timeouts, health checks, restart policy
 */
public record ResourceSpec(String name, String type, Map<String, String> properties, List<String> dependsOn,
                           ResourcePolicy policy) {

    public ResourceSpec {
        Objects.requireNonNull(name, "name");
        Names.require("name", name);
        Objects.requireNonNull(type, "type");
        properties = Map.copyOf(properties);
        dependsOn = List.copyOf(dependsOn);
        Objects.requireNonNull(policy, "policy");
    }

    /** A resource with no properties, no dependencies and the default policy. */
    public static ResourceSpec of(String name, String type) {
        return new ResourceSpec(name, type, Map.of(), List.of(), ResourcePolicy.DEFAULTS);
    }
}
