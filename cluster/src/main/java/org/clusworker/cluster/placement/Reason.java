package org.clusworker.cluster.placement;

import java.util.Objects;
import java.util.Optional;

/**
 * One line of a placement's explanation.
 *
 * @param rule the rule that wrote it, e.g. {@code up}, {@code possible-owners}, {@code failover-order}
 * @param node the node it is about; empty for a line about the group
 * @param text what the rule found, e.g. {@code skipped (not up)}
 */
public record Reason(String rule, Optional<String> node, String text) {

    public Reason {
        Checks.name("rule", rule);
        Objects.requireNonNull(node, "node");
        Checks.name("text", text);
    }

    static Reason about(String rule, String node, String text) {
        return new Reason(rule, Optional.of(node), text);
    }

    static Reason of(String rule, String text) {
        return new Reason(rule, Optional.empty(), text);
    }

    /** {@code node: text}, e.g. {@code node-b: skipped (not up)}, or the text alone for a line about the group. */
    @Override
    public String toString() {
        return node.map(n -> n + ": " + text).orElse(text);
    }
}
