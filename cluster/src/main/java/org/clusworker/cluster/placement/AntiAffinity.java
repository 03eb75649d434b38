package org.clusworker.cluster.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * A group's anti-affinity (CLUSTER.md §1.7, Windows' AntiAffinityClassNames and
 * ClusterEnforcedAntiAffinity): groups that share a class avoid each other's nodes.
 *
 * @param classes  its classes; groups that share any are anti-affined. Empty: none (the default)
 * @param enforced hard: a node that hosts a group it shares a class with may not take it, and the group
 *                 stays offline ("anti-affinity conflict") if no other node may. Applies between two
 *                 groups if either one is enforced. Otherwise soft (Windows' default): such a node is
 *                 taken only if no other node may take the group
 */
public record AntiAffinity(List<String> classes, boolean enforced) {

    /** No anti-affinity. */
    public static final AntiAffinity NONE = new AntiAffinity(List.of(), false);

    public AntiAffinity {
        classes = List.copyOf(classes);
        classes.forEach(c -> Checks.name("anti-affinity class", c));
        Checks.unique("anti-affinity classes", classes);
    }

    /** Soft anti-affinity in {@code classes}. */
    public static AntiAffinity soft(String... classes) {
        return new AntiAffinity(List.of(classes), false);
    }

    /** Enforced (hard) anti-affinity in {@code classes}. */
    public static AntiAffinity enforced(String... classes) {
        return new AntiAffinity(List.of(classes), true);
    }

    /** The classes this one shares with {@code other}, in this one's order. */
    public List<String> shared(AntiAffinity other) {
        List<String> both = new ArrayList<>(classes);
        both.retainAll(other.classes);
        return both;
    }

    @Override
    public String toString() {
        return classes.isEmpty() ? "none" : "classes " + classes + (enforced ? ", enforced" : ", soft");
    }
}
