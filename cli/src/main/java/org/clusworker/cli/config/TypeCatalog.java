package org.clusworker.cli.config;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import org.clusworker.host.ResourceTypes;
import org.clusworker.host.agent.ResourceType;

/**
 * The resource types a configuration may name: those found with {@link ServiceLoader} (the built-in
 * {@code process}, {@code ocf}, {@code java}, and any other on the class path). Immutable.
 */
public final class TypeCatalog {

    private final Map<String, ResourceType> types;

    private TypeCatalog(Map<String, ResourceType> types) {
        this.types = Map.copyOf(types);
    }

    /** The types on the class path. A second type of the same name is ignored (the first one wins). */
    public static TypeCatalog installed() {
        Map<String, ResourceType> found = new TreeMap<>();
        for (ResourceType t : ServiceLoader.load(ResourceType.class, TypeCatalog.class.getClassLoader())) {
            found.putIfAbsent(t.name(), t);
        }
        return new TypeCatalog(found);
    }

    public static TypeCatalog of(Collection<? extends ResourceType> types) {
        Map<String, ResourceType> map = new TreeMap<>();
        for (ResourceType t : types) {
            if (map.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("types: two types named '" + t.name() + "'");
            }
        }
        return new TypeCatalog(map);
    }

    public Optional<ResourceType> find(String name) {
        return Optional.ofNullable(types.get(name));
    }

    public Set<String> names() {
        return new java.util.TreeSet<>(types.keySet());
    }

    /** The same types, for the host. */
    public ResourceTypes toResourceTypes() {
        ResourceTypes result = new ResourceTypes();
        types.values().forEach(result::register);
        return result;
    }
}
