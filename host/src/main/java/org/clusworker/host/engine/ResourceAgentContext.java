package org.clusworker.host.engine;

import org.clusworker.host.ResourceSpec;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.Fencing;

/** What an agent knows of its resource; {@link #signalFailure} goes to the resource's controller. */
public final class ResourceAgentContext implements AgentContext {

    private final ResourceSpec spec;
    private final Path workDirectory;
    private final ResourceController controller;
    /** Set by the cluster layer before it requests the resource online; read by the agent on its own thread. */
    private volatile Fencing fencing;

    ResourceAgentContext(ResourceSpec spec, Path workDirectory, ResourceController controller) {
        this.spec = spec;
        this.workDirectory = workDirectory;
        this.controller = controller;
    }

    @Override
    public String resourceName() {
        return spec.name();
    }

    @Override
    public String typeName() {
        return spec.type();
    }

    @Override
    public Map<String, String> properties() {
        return spec.properties();
    }

    @Override
    public Path workDirectory() {
        return workDirectory;
    }

    @Override
    public void signalFailure(String reason) {
        controller.signalFailure(reason);
    }

    @Override
    public Optional<Fencing> fencing() {
        return Optional.ofNullable(fencing);
    }

    /** Sets the token the next online will see. */
    void fencing(Fencing token) {
        this.fencing = token;
    }

    @Override
    public String toString() {
        return "AgentContext[" + spec.name() + "]";
    }
}
