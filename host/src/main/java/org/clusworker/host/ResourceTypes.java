package org.clusworker.host;

import java.util.Optional;
import java.util.Set;
import org.clusworker.host.agent.ResourceType;

/**
 * CONTRACT SKELETON: the resource types a host knows, by name. Signatures fixed; bodies to be implemented.
 */
public final class ResourceTypes {

    /** An empty set of types. */
    public ResourceTypes() {
    }

    /** The types found by {@link java.util.ServiceLoader} on the class path. */
    public static ResourceTypes installed() {
        throw new UnsupportedOperationException("not implemented");
    }

    /** Adds a type. @throws IllegalArgumentException if a type of that name is already there */
    public ResourceTypes register(ResourceType type) {
        throw new UnsupportedOperationException("not implemented");
    }

    public Optional<ResourceType> find(String name) {
        throw new UnsupportedOperationException("not implemented");
    }

    public Set<String> names() {
        throw new UnsupportedOperationException("not implemented");
    }
}
