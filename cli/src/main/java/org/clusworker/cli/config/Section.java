package org.clusworker.cli.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.clusworker.host.time.Durations;

/**
 * One YAML map of the configuration, read field by field with type checks; every problem goes to
 * {@link Problems} with the field's place, and the read goes on. Confined to one thread.
 */
final class Section {

    private final Node.Mapping mapping;
    private final String path;
    private final Problems problems;

    private Section(Node.Mapping mapping, String path, Problems problems) {
        this.mapping = mapping;
        this.path = path;
        this.problems = problems;
    }

    /** The map {@code node}, or empty (with a problem recorded) if it is something else. */
    static Optional<Section> of(Node node, String path, Problems problems) {
        if (node instanceof Node.Mapping m) {
            return Optional.of(new Section(m, path, problems));
        }
        problems.add(node.location(), path, Node.describe(node) + " (expected: a map of keys to values)");
        return Optional.empty();
    }

    /** The same map, named {@code path} in messages. */
    Section withPath(String newPath) {
        return new Section(mapping, newPath, problems);
    }

    String path() {
        return path;
    }

    Node.Location location() {
        return mapping.location();
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return mapping.entries().containsKey(key);
    }

    /** The value of {@code key}, if present and not null. */
    Optional<Node> node(String key) {
        Node.Entry e = mapping.entries().get(key);
        if (e == null || e.value() instanceof Node.Scalar s && s.kind() == Node.Kind.NULL) {
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    /** Where the key is written (or the map, if it is not there). */
    Node.Location where(String key) {
        Node.Entry e = mapping.entries().get(key);
        return e == null ? mapping.location() : e.keyLocation();
    }

    void problem(String key, String message) {
        problems.add(where(key), field(key), message);
    }

    void problemAt(Node node, String field, String message) {
        problems.add(node.location(), field, message);
    }

    Optional<String> string(String key) {
        return node(key).flatMap(n -> {
            if (n instanceof Node.Scalar s) {
                return Optional.of(s.text());
            }
            problemAt(n, field(key), Node.describe(n) + " (expected: a single value)");
            return Optional.empty();
        });
    }

    Optional<Duration> duration(String key) {
        return node(key).flatMap(n -> {
            Optional<Duration> d = n instanceof Node.Scalar s ? Durations.parse(s.text()) : Optional.empty();
            if (d.isEmpty()) {
                problemAt(n, field(key), Node.describe(n) + " (" + Durations.EXPECTED + ")");
            }
            return d;
        });
    }

    Optional<Integer> integer(String key, int min, int max) {
        return node(key).flatMap(n -> {
            if (n instanceof Node.Scalar s && s.kind() == Node.Kind.INTEGER) {
                try {
                    int v = Integer.parseInt(s.text());
                    if (v >= min && v <= max) {
                        return Optional.of(v);
                    }
                    problemAt(n, field(key), v + " (expected: " + min + " to " + max + ")");
                    return Optional.empty();
                } catch (NumberFormatException e) {
                    // falls through to the message below
                }
            }
            problemAt(n, field(key), Node.describe(n) + " (expected: a whole number from " + min + " to " + max + ")");
            return Optional.empty();
        });
    }

    Optional<Double> decimal(String key, double min, double max) {
        return node(key).flatMap(n -> {
            if (n instanceof Node.Scalar s && (s.kind() == Node.Kind.INTEGER || s.kind() == Node.Kind.FLOAT)) {
                double v = Double.parseDouble(s.text());
                if (v >= min && v <= max) {
                    return Optional.of(v);
                }
            }
            problemAt(n, field(key), Node.describe(n) + " (expected: a number from " + min + " to " + max + ")");
            return Optional.empty();
        });
    }

    Optional<Section> section(String key) {
        return node(key).flatMap(n -> of(n, field(key), problems));
    }

    /** A list of single values; a single value is taken as a list of one. */
    Optional<List<Node.Scalar>> scalars(String key) {
        return node(key).flatMap(n -> {
            List<Node> items = n instanceof Node.Sequence s ? s.items() : List.of(n);
            List<Node.Scalar> result = new ArrayList<>();
            boolean ok = true;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof Node.Scalar s && s.kind() != Node.Kind.NULL) {
                    result.add(s);
                } else {
                    problemAt(items.get(i), field(key) + "[" + i + "]", Node.describe(items.get(i)) + " (expected: a name)");
                    ok = false;
                }
            }
            return ok ? Optional.of(result) : Optional.empty();
        });
    }

    /** Records a problem for every key not in {@code known}, suggesting the nearest known key. */
    void rejectUnknown(Set<String> known) {
        for (Node.Entry e : mapping.entries().values()) {
            if (!known.contains(e.key())) {
                problems.add(e.keyLocation(), field(e.key()), "unknown key" + Problems.suggestion(e.key(), known)
                        + " (expected one of: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }
}
