package org.clusworker.cli.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a resource's {@code parameters} map into the flat properties the resource types read: a list
 * becomes {@code key[0]}, {@code key[1]}, ...; a nested map {@code key.sub}. Remembers where each flat
 * key came from, so that a type's complaint about {@code command[1]} points at its line.
 */
final class ParameterFlattener {

    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, Node.Location> locations = new LinkedHashMap<>();

    /** Flattens {@code parameters}; problems (null values) go to {@code problems} under {@code field}. */
    static ParameterFlattener flatten(Section parameters, Node.Mapping node, Problems problems) {
        ParameterFlattener f = new ParameterFlattener();
        for (Node.Entry e : node.entries().values()) {
            f.add(e.key(), e.keyLocation(), e.value(), parameters.field(e.key()), problems);
        }
        return f;
    }

    private void add(String key, Node.Location keyAt, Node value, String field, Problems problems) {
        switch (value) {
            case Node.Scalar s when s.kind() == Node.Kind.NULL ->
                    problems.add(keyAt, field, "has no value (give one, or leave the key out)");
            case Node.Scalar s -> {
                properties.put(key, s.text());
                locations.put(key, s.location());
            }
            case Node.Sequence seq -> {
                List<Node> items = seq.items();
                if (items.isEmpty()) {
                    problems.add(keyAt, field, "is an empty list");
                }
                for (int i = 0; i < items.size(); i++) {
                    add(key + "[" + i + "]", items.get(i).location(), items.get(i), field + "[" + i + "]", problems);
                }
            }
            case Node.Mapping m -> {
                locations.put(key, keyAt);
                for (Node.Entry e : m.entries().values()) {
                    add(key + "." + e.key(), e.keyLocation(), e.value(), field + "." + e.key(), problems);
                }
            }
        }
    }

    Map<String, String> properties() {
        return properties;
    }

    /** Where {@code key} (or the nearest enclosing key) is written; null if nowhere. */
    Node.Location locate(String key) {
        String k = key;
        while (!k.isEmpty()) {
            Node.Location at = locations.get(k);
            if (at != null) {
                return at;
            }
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            if (cut <= 0) {
                break;
            }
            k = k.substring(0, cut);
        }
        return null;
    }
}
