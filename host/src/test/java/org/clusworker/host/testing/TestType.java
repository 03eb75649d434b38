package org.clusworker.host.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/**
 * A resource type registered in code that opens one {@link TestAgent} per resource (made on first use).
 * Its validation rejects every property whose name starts with {@code bad}.
 */
public final class TestType implements ResourceType {

    private final String name;
    private final Map<String, TestAgent> agents = new ConcurrentHashMap<>();

    public TestType(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** The agent of that resource, made if needed (so a test can script it before the host opens it). */
    public TestAgent agent(String resource) {
        return agents.computeIfAbsent(resource, TestAgent::new);
    }

    public Map<String, TestAgent> agents() {
        return Map.copyOf(agents);
    }

    @Override
    public List<PropertyError> validate(Map<String, String> properties) {
        List<PropertyError> errors = new ArrayList<>();
        for (String key : properties.keySet()) {
            if (key.startsWith("bad")) {
                errors.add(new PropertyError(key, "rejected by the test type"));
            }
        }
        return errors;
    }

    @Override
    public ResourceAgent open(AgentContext context) {
        return agent(context.resourceName()).opened(context);
    }
}
