package org.clusworker.agents.java;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.clusworker.agents.testing.FakeContext;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.AgentException;
import org.clusworker.host.agent.Operation;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaTypeTest {

    @TempDir
    Path dir;

    private final JavaType type = new JavaType();

    /** An agent with a context constructor: it sees its own properties only. */
    public static final class ContextAgent implements ResourceAgent {
        final AgentContext context;

        public ContextAgent(AgentContext context) {
            this.context = context;
        }

        @Override public void online(Operation operation) { }
        @Override public void offline(Operation operation) { }
        @Override public void terminate() { }
        @Override public boolean looksAlive() { return true; }
        @Override public boolean isAlive() { return true; }
        @Override public void close() { }
    }

    /** A type that insists on a "size" property. */
    public static final class SizedType implements ResourceType {
        @Override public String name() { return "sized"; }

        @Override
        public List<PropertyError> validate(Map<String, String> properties) {
            return properties.containsKey("size") ? List.of() : List.of(new PropertyError("size", "required, but missing"));
        }

        @Override
        public ResourceAgent open(AgentContext context) {
            return new ContextAgent(context);
        }
    }

    @Test
    void validate_agentClass_noErrors() {
        assertThat(type.validate(Map.of("class", ContextAgent.class.getName(), "anything", "goes"))).isEmpty();
    }

    @Test
    void validate_missingOrWrongClass_reported() {
        assertThat(type.validate(Map.of())).containsExactly(new PropertyError("class", "required, but missing"));
        assertThat(type.validate(Map.of("class", "no.such.Agent"))).singleElement()
                .extracting(PropertyError::message).asString().contains("not found");
        assertThat(type.validate(Map.of("class", String.class.getName()))).singleElement()
                .extracting(PropertyError::message).asString().contains("implements neither");
    }

    @Test
    void validate_typeClass_delegatesValidation() {
        assertThat(type.validate(Map.of("class", SizedType.class.getName())))
                .containsExactly(new PropertyError("size", "required, but missing"));
        assertThat(type.validate(Map.of("class", SizedType.class.getName(), "size", "3"))).isEmpty();
    }

    @Test
    void open_agentClass_getsContextWithoutClassProperty() {
        ResourceAgent agent = type.open(new FakeContext("j", "java",
                Map.of("class", ContextAgent.class.getName(), "greeting", "hi"), dir));
        assertThat(agent).isInstanceOf(ContextAgent.class);
        assertThat(((ContextAgent) agent).context.properties()).containsExactly(Map.entry("greeting", "hi"));
        assertThat(((ContextAgent) agent).context.resourceName()).isEqualTo("j");
    }

    @Test
    void open_typeClass_opensThroughIt() {
        ResourceAgent agent = type.open(new FakeContext("j", "java", Map.of("class", SizedType.class.getName(), "size", "1"), dir));
        assertThat(agent).isInstanceOf(ContextAgent.class);
    }

    @Test
    void open_unknownClass_throwsAgentException() {
        assertThatThrownBy(() -> type.open(new FakeContext("j", "java", Map.of("class", "no.Such"), dir)))
                .isInstanceOf(AgentException.class).hasMessageContaining("no.Such");
    }
}
