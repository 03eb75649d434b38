package org.clusworker.agents.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.clusworker.host.agent.AgentContext;

/** An {@link AgentContext} that records the failures signalled to it. */
public final class FakeContext implements AgentContext {

    private final String name;
    private final String type;
    private final Map<String, String> properties;
    private final Path workDirectory;
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean leaseValid = true;

    public FakeContext(String name, String type, Map<String, String> properties, Path workDirectory) {
        this.name = name;
        this.type = type;
        this.properties = Map.copyOf(properties);
        this.workDirectory = workDirectory;
    }

    @Override
    public String resourceName() {
        return name;
    }

    @Override
    public String typeName() {
        return type;
    }

    @Override
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public Path workDirectory() {
        return workDirectory;
    }

    @Override
    public void signalFailure(String reason) {
        failures.add(reason);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Whether the resource's group holds its lease, as {@link #leaseValid()} answers from now on (true at first). */
    public FakeContext leaseValid(boolean holds) {
        this.leaseValid = holds;
        return this;
    }

    @Override
    public boolean leaseValid() {
        return leaseValid;
    }
}
