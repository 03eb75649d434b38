package org.clusworker.cluster.placement;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One resource of a group, as placement sees it (CLUSTER.md §1.3).
 *
 * @param name           the resource's name
 * @param possibleOwners the nodes it may run on; empty: every node (Windows' default)
 */
public record ResourceView(String name, Optional<Set<String>> possibleOwners) {

    public ResourceView {
        Checks.name("resource name", name);
        possibleOwners = Objects.requireNonNull(possibleOwners, "possibleOwners").map(Set::copyOf);
        if (possibleOwners.isPresent() && possibleOwners.get().isEmpty()) {
            throw new IllegalArgumentException("resource " + name
                    + ": possibleOwners: [] (expected: at least one node; leave it unset for every node)");
        }
    }

    /** A resource that may run on every node. */
    public static ResourceView anyNode(String name) {
        return new ResourceView(name, Optional.empty());
    }

    /** A resource that may run only on {@code nodes}. */
    public static ResourceView on(String name, String... nodes) {
        return new ResourceView(name, Optional.of(Set.copyOf(Arrays.asList(nodes))));
    }

    /** Whether it may run on {@code node}. */
    public boolean mayRunOn(String node) {
        return possibleOwners.map(p -> p.contains(node)).orElse(true);
    }
}
