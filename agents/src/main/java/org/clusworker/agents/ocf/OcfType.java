package org.clusworker.agents.ocf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.clusworker.agents.support.Waiter;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/**
 * The {@code ocf} resource type: standard OCF resource agents ({@code OCF_ROOT/resource.d/PROVIDER/AGENT},
 * e.g. Debian's {@code resource-agents}). Validation reads the agent's {@code meta-data} (unknown and
 * missing required parameters) and runs its {@code validate-all}. Parameters are listed in
 * {@link OcfSettings}.
 */
public final class OcfType implements ResourceType {

    public static final String NAME = "ocf";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

    private final MetadataReader metadata = new MetadataReader();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<PropertyError> validate(Map<String, String> properties) {
        OcfSettings s = OcfSettings.read(properties);
        List<PropertyError> errors = new ArrayList<>(s.errors());
        if (s.agent() == null) {
            return errors;
        }
        Path path = s.agentPath();
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            errors.add(new PropertyError("agent", "no executable OCF agent at " + path
                    + (s.ocfRoot().equals(OcfSettings.DEFAULT_ROOT) ? " (is the resource-agents package installed?)" : "")));
            return errors;
        }
        AgentMetadata md;
        try {
            md = metadata.read(s);
        } catch (IOException e) {
            errors.add(new PropertyError("agent", s.agentName() + ": " + e.getMessage()));
            return errors;
        }
        for (String p : s.params().keySet()) {
            if (!md.parameters().containsKey(p)) {
                errors.add(new PropertyError("params." + p, "unknown parameter of " + s.agentName()
                        + " (known: " + String.join(", ", md.parameterNames()) + ")"));
            }
        }
        for (AgentMetadata.Parameter p : md.parameters().values()) {
            if (p.required() && !s.params().containsKey(p.name())) {
                errors.add(new PropertyError("params." + p.name(), "required by " + s.agentName() + ", but missing"));
            }
        }
        if (errors.isEmpty()) {
            validateAll(s, md).ifPresent(errors::add);
        }
        return errors;
    }

    private java.util.Optional<PropertyError> validateAll(OcfSettings s, AgentMetadata md) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("clusworker-ocf-validate");
            OcfRunner.Result r;
            try (OcfRunner runner = new OcfRunner(s, "validate", dir)) {
                r = runner.run("validate-all", md.timeouts().getOrDefault("validate-all", DEFAULT_TIMEOUT),
                        Waiter.blocking(), Map.of());
            }
            if (r.timedOut() || r.code() != OcfExitCode.SUCCESS && r.code() != OcfExitCode.ERR_UNIMPLEMENTED) {
                return java.util.Optional.of(new PropertyError("agent", s.agentName() + " validate-all failed: " + r.describe()));
            }
            return java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.of(new PropertyError("agent", "cannot run validate-all: " + e.getMessage()));
        } finally {
            deleteTree(dir);
        }
    }

    @Override
    public ResourceAgent open(AgentContext context) {
        OcfSettings s = OcfSettings.read(context.properties());
        if (!s.errors().isEmpty()) {
            throw new AgentException("invalid parameters of " + context.resourceName() + ": "
                    + s.errors().stream().map(PropertyError::toString).collect(Collectors.joining("; ")));
        }
        AgentMetadata md;
        try {
            md = metadata.read(s);
        } catch (IOException e) {
            throw new AgentException("cannot read the meta-data of OCF agent " + s.agentName() + ": " + e.getMessage(), e);
        }
        return new OcfAgent(context.resourceName(), s, md, new OcfRunner(s, context.resourceName(), context.workDirectory(),
                () -> context.fencing().map(org.clusworker.host.agent.Fencing::environment).orElse(java.util.Map.of())), context::leaseValid);
    }

    private static void deleteTree(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
            dir.toFile().deleteOnExit();
        }
    }
}
