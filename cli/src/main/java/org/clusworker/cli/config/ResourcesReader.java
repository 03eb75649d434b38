package org.clusworker.cli.config;

import org.clusworker.host.ResourceTypes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceType;

/**
 * Reads the {@code resources} list of a configuration: each resource's keys, its type and the type's
 * own check of its parameters (each problem placed at its line), its policy over the defaults, and
 * finally the dependencies of all of them. Confined to one thread; one instance per file.
 */
final class ResourcesReader {

    private static final Set<String> RESOURCE_KEYS;

    static {
        Set<String> keys = new HashSet<>(Set.of("name", "type", "parameters", "dependsOn", "possibleOwners"));
        keys.addAll(PolicyReader.KEYS);
        RESOURCE_KEYS = Set.copyOf(keys);
    }

    private final Section top;
    private final Problems problems;
    private final ResourceTypes types;
    private final ResourcePolicy defaults;
    private final Map<String, Node.Location> names = new LinkedHashMap<>();
    /** Each resource's {@code possibleOwners}, for the cluster reader. */
    private final Map<String, List<Node.Scalar>> possibleOwners = new LinkedHashMap<>();
    /** Where each resource's {@code dependsOn} is, for the cluster reader's messages. */
    private final Map<String, Node.Location> dependsOnPlaces = new LinkedHashMap<>();

    Map<String, List<Node.Scalar>> possibleOwners() {
        return possibleOwners;
    }

    Map<String, Node.Location> dependsOnPlaces() {
        return dependsOnPlaces;
    }

    ResourcesReader(Section top, Problems problems, ResourceTypes types, ResourcePolicy defaults) {
        this.top = top;
        this.problems = problems;
        this.types = types;
        this.defaults = defaults;
    }

    List<ResourceSpec> read() {
        Optional<Node> node = top.node("resources");
        if (node.isEmpty()) {
            top.problem("resources", "required, but missing (expected: a list of resources)");
            return List.of();
        }
        if (!(node.get() instanceof Node.Sequence list)) {
            top.problemAt(node.get(), "resources", Node.describe(node.get()) + " (expected: a list of resources, each starting with '- name:')");
            return List.of();
        }
        List<ResourceSpec> specs = new ArrayList<>();
        Map<String, DependencyCheck.Declared> declared = new LinkedHashMap<>();
        for (int i = 0; i < list.items().size(); i++) {
            Node item = list.items().get(i);
            Optional<Section> rs = Section.of(item, "resources[" + i + "]", problems);
            if (rs.isEmpty()) {
                continue;
            }
            resource(rs.get(), i, declared).ifPresent(specs::add);
        }
        DependencyCheck.check(declared, problems);
        return specs;
    }

    private Optional<ResourceSpec> resource(Section raw, int index, Map<String, DependencyCheck.Declared> declared) {
        Optional<String> name = raw.string("name");
        if (name.isEmpty()) {
            raw.problem("name", "required, but missing");
        }
        boolean nameOk = name.isPresent() && ConfigLoader.validName(raw, "name", name.get());
        Section r = nameOk ? raw.withPath("resources[" + name.get() + "]") : raw;
        r.rejectUnknown(RESOURCE_KEYS);
        if (nameOk && names.containsKey(name.get())) {
            r.problem("name", "duplicate resource name '" + name.get() + "' (first at line " + names.get(name.get()).line() + ")");
            nameOk = false;
        } else if (nameOk) {
            names.put(name.get(), r.where("name"));
        }
        Optional<String> typeName = r.string("type");
        Optional<ResourceType> type = Optional.empty();
        if (typeName.isEmpty()) {
            r.problem("type", "required, but missing (known types: " + String.join(", ", new java.util.TreeSet<>(types.names())) + ")");
        } else {
            type = types.find(typeName.get());
            if (type.isEmpty()) {
                r.problem("type", "unknown type '" + typeName.get() + "'" + Problems.suggestion(typeName.get(), types.names())
                        + " (known types: " + String.join(", ", new java.util.TreeSet<>(types.names())) + ")");
            }
        }
        int before = problems.size();
        Map<String, String> properties = parameters(r, type);
        List<Node.Scalar> depNodes = r.scalars("dependsOn").orElse(List.of());
        List<String> deps = depNodes.stream().map(Node.Scalar::text).toList();
        if (nameOk) {
            r.scalars("possibleOwners").ifPresent(owners -> possibleOwners.put(name.get(), owners));
            dependsOnPlaces.put(name.get(), r.has("dependsOn") ? r.where("dependsOn") : r.location());
            List<Node.Location> depAt = depNodes.stream().map(Node.Scalar::location).toList();
            declared.put(name.get(), new DependencyCheck.Declared(name.get(), r.path(), deps, depAt, r.where("dependsOn")));
        }
        ResourcePolicy policy = PolicyReader.read(r, defaults);
        if (!nameOk || type.isEmpty() || problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new ResourceSpec(name.get(), typeName.get(), properties, deps, policy));
    }

    private Map<String, String> parameters(Section r, Optional<ResourceType> type) {
        Optional<Node> node = r.node("parameters");
        Map<String, String> properties = Map.of();
        ParameterFlattener flat = null;
        if (node.isPresent()) {
            Optional<Section> ps = r.section("parameters");
            if (ps.isEmpty()) {
                return Map.of();
            }
            int before = problems.size();
            flat = ParameterFlattener.flatten(ps.get(), (Node.Mapping) node.get(), problems);
            if (problems.size() > before) {
                return Map.of();
            }
            properties = flat.properties();
        }
        if (type.isPresent()) {
            List<PropertyError> errors;
            try {
                errors = type.get().validate(properties);
            } catch (RuntimeException e) {
                r.problem("type", "type '" + type.get().name() + "' failed to check the parameters: " + e);
                return properties;
            }
            for (PropertyError e : errors) {
                Node.Location at = flat == null ? null : flat.locate(e.property());
                problems.add(at != null ? at : node.isPresent() ? r.where("parameters") : r.location(),
                        r.field("parameters." + e.property()), e.message());
            }
        }
        return properties;
    }
}
