package org.clusworker.agents.support;

import org.clusworker.host.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clusworker.host.agent.PropertyError;

/**
 * Reads a resource's flat properties into typed values, collecting every problem instead of stopping
 * at the first. Structured values arrive flattened, as the configuration writes them: a list as
 * {@code command[0]}, {@code command[1]}, ...; a map as {@code environment.PATH}. Not thread-safe:
 * one reader per validation.
 */
public final class PropertyReader {

    private static final Pattern LIST_ITEM = Pattern.compile("\\[(\\d+)]");

    private final Map<String, String> properties;
    private final Set<String> known = new LinkedHashSet<>();
    private final Set<String> knownPrefixes = new LinkedHashSet<>();
    private final List<PropertyError> errors = new ArrayList<>();

    public PropertyReader(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    /** The value of {@code key}, if set. */
    public Optional<String> string(String key) {
        known.add(key);
        return Optional.ofNullable(properties.get(key));
    }

    /** The value of {@code key}; records "required, but missing" if it is not set or blank. */
    public String required(String key) {
        Optional<String> v = string(key);
        if (v.isEmpty() || v.get().isBlank()) {
            if (!isList(key) && mapKeys(key).isEmpty()) {
                error(key, "required, but missing");
            } else {
                error(key, "expected a single value, not a list or map");
            }
            return null;
        }
        return v.get();
    }

    public Duration duration(String key, Duration defaultValue) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        Optional<Duration> d = Durations.parse(v.get());
        if (d.isEmpty()) {
            error(key, "'" + v.get() + "' (" + Durations.EXPECTED + ")");
            return defaultValue;
        }
        if (d.get().isZero()) {
            error(key, "'" + v.get() + "' (expected: > 0)");
            return defaultValue;
        }
        return d.get();
    }

    public int integer(String key, int defaultValue, int min, int max) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get().strip());
            if (n < min || n > max) {
                error(key, n + " (expected: " + min + " to " + max + ")");
                return defaultValue;
            }
            return n;
        } catch (NumberFormatException e) {
            error(key, "'" + v.get() + "' (expected: an integer)");
            return defaultValue;
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                error(key, "'" + v.get() + "' (expected: true or false)");
                yield defaultValue;
            }
        };
    }

    /** Whether {@code key} is given as a list ({@code key[0]}, ...). */
    public boolean isList(String key) {
        return properties.containsKey(key + "[0]");
    }

    /**
     * The items of the list {@code key} ({@code key[0]}, {@code key[1]}, ...), in order; empty if there
     * is none. Records an error for a gap in the indexes.
     */
    public List<String> list(String key) {
        knownPrefixes.add(key + "[");
        TreeMap<Integer, String> items = new TreeMap<>();
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getKey().startsWith(key + "[")) {
                Matcher m = LIST_ITEM.matcher(e.getKey().substring(key.length()));
                if (m.matches()) {
                    items.put(Integer.parseInt(m.group(1)), e.getValue());
                } else {
                    error(e.getKey(), "expected a list of plain values");
                }
            }
        }
        if (!items.isEmpty() && items.lastKey() != items.size() - 1) {
            error(key, "list indexes are not 0.." + (items.size() - 1));
        }
        return List.copyOf(items.values());
    }

    /**
     * A command: a list (run as is) or a single string (run with {@code /bin/sh -c}). Empty if neither
     * is given.
     */
    public List<String> command(String key) {
        List<String> items = list(key);
        Optional<String> line = string(key);
        if (!items.isEmpty() && line.isPresent()) {
            error(key, "give either a list or a string, not both");
        }
        if (!items.isEmpty()) {
            return items;
        }
        if (line.isPresent() && !line.get().isBlank()) {
            return List.of("/bin/sh", "-c", line.get());
        }
        if (line.isPresent()) {
            error(key, "expected a command, but is empty");
        }
        return List.of();
    }

    /** The entries {@code prefix.NAME} as {@code NAME -> value}, in key order. */
    public Map<String, String> map(String prefix) {
        knownPrefixes.add(prefix + ".");
        Map<String, String> result = new LinkedHashMap<>();
        for (String k : mapKeys(prefix)) {
            result.put(k.substring(prefix.length() + 1), properties.get(k));
        }
        return result;
    }

    private List<String> mapKeys(String prefix) {
        return properties.keySet().stream().filter(k -> k.startsWith(prefix + ".")).sorted().toList();
    }

    /** Records an error for every property not read so far (nor covered by a list or map read). */
    public void rejectUnknown() {
        List<String> unknown = properties.keySet().stream()
                .filter(k -> !known.contains(k) && knownPrefixes.stream().noneMatch(k::startsWith))
                .sorted().toList();
        for (String k : unknown) {
            error(k, "unknown parameter (known: " + String.join(", ", knownNames()) + ")");
        }
    }

    private List<String> knownNames() {
        List<String> names = new ArrayList<>(known);
        for (String p : knownPrefixes) {
            String n = p.substring(0, p.length() - 1);
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        return names;
    }

    public void error(String property, String message) {
        errors.add(new PropertyError(property, message));
    }

    /** Every problem recorded so far. */
    public List<PropertyError> errors() {
        return List.copyOf(errors);
    }
}
