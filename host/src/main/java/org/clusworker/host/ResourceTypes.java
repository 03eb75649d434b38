package org.clusworker.host;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.clusworker.host.agent.ResourceType;

/**
 * The resource types a host knows, by name: those {@link ServiceLoader} finds
 * ({@code META-INF/services/org.clusworker.host.agent.ResourceType}) and those registered in code.
 * Thread-safe (every method synchronizes on this object; no foreign code runs under it, except the
 * type's {@link ResourceType#name()}).
 */
public final class ResourceTypes {

    /** In registration order. */
    @GuardedBy("this")
    private final Map<String, ResourceType> types = new LinkedHashMap<>();

    /** An empty set of types. */
    public ResourceTypes() {
    }

    /**
     * The types found by {@link java.util.ServiceLoader} on the class path (or the module path) of the
     * host's own class loader: the one catalog of types that the host, the configuration reader and the
     * command line all use.
     *
     * @throws IllegalArgumentException if two of them have the same name
     * @throws java.util.ServiceConfigurationError if a provider cannot be loaded
     */
    public static ResourceTypes installed() {
        ResourceTypes installed = new ResourceTypes();
        for (ResourceType type : ServiceLoader.load(ResourceType.class, ResourceTypes.class.getClassLoader())) {
            installed.register(type);
        }
        return installed;
    }

    /** Adds a type. @throws IllegalArgumentException if a type of that name is already there */
    public ResourceTypes register(ResourceType type) {
        Objects.requireNonNull(type, "type");
        String name = Objects.requireNonNull(type.name(), "type.name()");
        if (name.isBlank()) {
            throw new IllegalArgumentException("type.name(): '" + name + "' (expected: not blank) of " + type.getClass().getName());
        }
        synchronized (this) {
            ResourceType there = types.putIfAbsent(name, type);
            if (there != null) {
                throw new IllegalArgumentException("type: '" + name + "' of " + type.getClass().getName()
                        + " (expected: a new name, but " + there.getClass().getName() + " is registered as '" + name + "')");
            }
        }
        return this;
    }

    /** The type of that name, if there is one. */
    public synchronized Optional<ResourceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    /** The names of the types, in registration order. */
    public synchronized Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(types.keySet()));
    }

    @Override
    public synchronized String toString() {
        return "ResourceTypes" + types.keySet();
    }
}
