package org.clusworker.cli.config;

import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers where each value is (line and column), so that every
 * problem can be reported at its place. Immutable.
 */
sealed interface Node {

    /** Where the value starts. */
    Location location();

    /** A 1-based line and column. */
    record Location(int line, int column) {
    }

    /** The kind of a scalar, as the YAML parser typed it. */
    enum Kind { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

    record Scalar(String text, Kind kind, Location location) implements Node {
    }

    record Sequence(List<Node> items, Location location) implements Node {
    }

    /** A key with its own location and its value. */
    record Entry(String key, Location keyLocation, Node value) {
    }

    record Mapping(Map<String, Entry> entries, Location location) implements Node {
    }

    /** How the kind of a node reads in a message: "a list", "a map", "text". */
    static String describe(Node node) {
        return switch (node) {
            case Sequence s -> "a list";
            case Mapping m -> "a map";
            case Scalar s when s.kind() == Kind.NULL -> "nothing";
            case Scalar s -> "'" + s.text() + "'";
        };
    }
}
