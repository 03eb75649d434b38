package org.clusworker.host.testing;

import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;

/** A type found by {@link java.util.ServiceLoader} (listed in the test resources), named {@code installed}. */
public final class InstalledType implements ResourceType {

    @Override
    public String name() {
        return "installed";
    }

    @Override
    public ResourceAgent open(AgentContext context) {
        return new TestAgent(context.resourceName()).opened(context);
    }
}
