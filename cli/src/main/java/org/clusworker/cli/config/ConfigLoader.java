package org.clusworker.cli.config;

import org.clusworker.cluster.ClusterSpec;
import org.clusworker.host.ResourceTypes;
import org.clusworker.host.config.Names;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clusworker.host.ResourcePolicy;
import org.clusworker.host.ResourceSpec;

/**
 * Reads a host's YAML configuration file and checks all of it (unknown keys, wrong types, bad
 * durations, unknown types, invalid type parameters, unknown and cyclic dependencies), reporting every
 * problem at once with file, line and field. The format is described in docs/USER-GUIDE.md.
 *
 * <p>Stateless apart from its collaborators; one loader may read many files.
 */
public final class ConfigLoader {

    /** Resource and host names: they become directory names and URL path segments. */
    static final String DEFAULT_HOST_NAME = "clusworker";
    private static final Set<String> TOP_KEYS = Set.of("host", "defaults", "resources", "cluster", "groups");
    private static final Set<String> HOST_KEYS = Set.of("name", "stateDirectory", "adminAddress", "adminPort",
            "shutdownTimeout");

    private final ResourceTypes types;
    private final Map<String, String> environment;
    /** {@code --node}: overrides {@code cluster.node}; {@link #ANY_NODE}: any node will do (an operator's command). */
    private final Optional<String> node;

    /** The node an operator's command reads a cluster's file as: {@code cluster.node}, else the first of {@code cluster.nodes}. */
    static final String ANY_NODE = "\0any";

    /**
     * @param types       the types a resource may name
     * @param environment the process environment ({@code HOME}, {@code XDG_STATE_HOME} give the default state directory)
     */
    public ConfigLoader(ResourceTypes types, Map<String, String> environment) {
        this(types, environment, Optional.empty());
    }

    private ConfigLoader(ResourceTypes types, Map<String, String> environment, Optional<String> node) {
        this.types = types;
        this.environment = Map.copyOf(environment);
        this.node = node;
    }

    /**
     * This loader, for one node of a cluster ({@code clusworker run FILE --node NAME}): the node overrides
     * {@code cluster.node}, so that one file serves every node.
     */
    public ConfigLoader forNode(String nodeName) {
        return new ConfigLoader(types, environment, Optional.of(nodeName));
    }

    /** This loader, for an operator's command that needs the cluster but is no node of it. */
    public ConfigLoader forAnyNode() {
        return new ConfigLoader(types, environment, Optional.of(ANY_NODE));
    }

    /** Reads and checks {@code file}. @throws ConfigException listing every problem */
    public HostConfig load(Path file) {
        return parse(readText(file), file);
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, 0, "", "no such file")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file, 0, 0, "", "cannot read: " + e.getMessage())));
        }
    }

    /**
     * Checks configuration {@code text}; {@code file} names it in messages, and relative paths are
     * resolved against its directory.
     */
    public HostConfig parse(String text, Path file) {
        Problems problems = new Problems(file);
        Node root = new YamlReader().read(text, file);
        if (root == null) {
            problems.add(new Node.Location(1, 1), "", "the file is empty (expected: host, defaults and resources)");
            throw new ConfigException(problems.sorted());
        }
        Optional<Section> top = Section.of(root, "", problems);
        if (top.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        Section s = top.get();
        s.rejectUnknown(TOP_KEYS);
        Path base = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of("").toAbsolutePath());
        Optional<Section> host = s.section("host");
        host.ifPresent(h -> h.rejectUnknown(HOST_KEYS));
        String name = host.flatMap(h -> h.string("name").filter(n -> validName(h, "name", n))).orElse(DEFAULT_HOST_NAME);
        Path state = host.flatMap(h -> path(h, "stateDirectory", base)).orElseGet(() -> defaultStateDirectory(name));
        InetAddress address = host.flatMap(this::adminAddress).orElse(InetAddress.getLoopbackAddress());
        int port = host.flatMap(h -> h.integer("adminPort", 0, 65535)).orElse(0);
        Optional<Duration> shutdown = host.flatMap(h -> h.duration("shutdownTimeout").filter(d -> {
            if (d.isZero()) {
                h.problem("shutdownTimeout", "0 (expected: > 0)");
            }
            return !d.isZero();
        }));
        ResourcePolicy defaults = s.section("defaults").map(d -> {
            d.rejectUnknown(PolicyReader.KEYS);
            return PolicyReader.read(d, ResourcePolicy.DEFAULTS);
        }).orElse(ResourcePolicy.DEFAULTS);
        ResourcesReader resources = new ResourcesReader(s, problems, types, defaults);
        List<ResourceSpec> specs = resources.read();
        Optional<ClusterSpec> cluster = Optional.empty();
        if (problems.isEmpty()) {
            cluster = new ClusterReader(s, problems, base).read(node, specs, resources.possibleOwners(), resources.dependsOnPlaces());
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        Path nodeState = cluster.map(c -> state.resolve(c.node())).orElse(state);
        return new HostConfig(file, name, nodeState, address, port, shutdown, specs, cluster);
    }

    /**
     * The state directory {@code file} names (or its default), without checking the rest of the
     * file: how the commands that talk to a running host find it.
     *
     * @throws ConfigException if the file cannot be read, or its {@code host} section is wrong
     */
    public Path stateDirectoryOf(Path file) {
        String text = readText(file);
        Problems problems = new Problems(file);
        Node root = new YamlReader().read(text, file);
        Path base = Optional.ofNullable(file.toAbsolutePath().getParent()).orElse(Path.of("").toAbsolutePath());
        Optional<Section> host = root == null ? Optional.empty()
                : Section.of(root, "", problems).flatMap(s -> s.section("host"));
        String name = host.flatMap(h -> h.string("name").filter(n -> validName(h, "name", n))).orElse(DEFAULT_HOST_NAME);
        Path state = host.flatMap(h -> path(h, "stateDirectory", base)).orElseGet(() -> defaultStateDirectory(name));
        Optional<Section> cluster = root == null ? Optional.empty() : Section.of(root, "", problems).flatMap(s -> s.section("cluster"));
        Optional<String> clusterNode = node.or(() -> cluster.flatMap(c -> c.string("node")));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.sorted());
        }
        return cluster.isPresent() && clusterNode.isPresent() ? state.resolve(clusterNode.get()) : state;
    }

    /** {@code $XDG_STATE_HOME/clusworker/NAME}, else {@code ~/.local/state/clusworker/NAME}. */
    public Path defaultStateDirectory(String hostName) {
        String xdg = environment.get("XDG_STATE_HOME");
        Path root = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".local", "state");
        return root.resolve("clusworker").resolve(hostName).toAbsolutePath();
    }

    private Optional<InetAddress> adminAddress(Section h) {
        return h.string("adminAddress").flatMap(a -> {
            try {
                InetAddress addr = InetAddress.getByName(a.strip());
                if (!addr.isLoopbackAddress()) {
                    h.problem("adminAddress", "'" + a + "' (expected: a loopback address such as 127.0.0.1; the admin API never leaves this machine)");
                    return Optional.empty();
                }
                return Optional.of(addr);
            } catch (UnknownHostException e) {
                h.problem("adminAddress", "'" + a + "' is not an address");
                return Optional.empty();
            }
        });
    }

    static Optional<Path> path(Section h, String key, Path base) {
        return h.string(key).flatMap(p -> {
            try {
                return Optional.of(base.resolve(p.strip()).normalize());
            } catch (InvalidPathException e) {
                h.problem(key, "'" + p + "' is not a path");
                return Optional.empty();
            }
        });
    }

    static boolean validName(Section s, String key, String name) {
        if (Names.isValid(name)) {
            return true;
        }
        s.problem(key, "'" + name + "' (expected: " + Names.EXPECTED + ")");
        return false;
    }
}
