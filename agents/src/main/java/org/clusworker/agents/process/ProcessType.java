package org.clusworker.agents.process;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/**
 * The {@code process} resource type, Windows' Generic Application: a command kept running, with an
 * optional readiness and health check, stopped with a signal and then SIGKILL. Parameters are
 * listed in {@link ProcessSettings}.
 */
public final class ProcessType implements ResourceType {

    public static final String NAME = "process";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<PropertyError> validate(Map<String, String> properties) {
        return ProcessSettings.read(properties).errors();
    }

    @Override
    public ResourceAgent open(AgentContext context) {
        ProcessSettings settings = ProcessSettings.read(context.properties());
        if (!settings.errors().isEmpty()) {
            throw new AgentException("invalid parameters of " + context.resourceName() + ": "
                    + settings.errors().stream().map(PropertyError::toString).collect(Collectors.joining("; ")));
        }
        return new ProcessAgent(context, settings);
    }
}
