package org.clusworker.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.clusworker.host.agent.AgentContext;
import org.clusworker.host.agent.PropertyError;
import org.clusworker.host.agent.ResourceAgent;
import org.clusworker.host.agent.ResourceType;
import org.clusworker.host.testing.TestType;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    private static ResourceSpec spec(String name, String... dependsOn) {
        return new ResourceSpec(name, "test", Map.of(), List.of(dependsOn), ResourcePolicy.DEFAULTS);
    }

    private static ResourceHost.Builder builder() {
        return ResourceHost.builder().types(new ResourceTypes().register(new TestType("test")));
    }

    @Test
    void build_cycle_rejectedNamingThePath() {
        HostConfigurationException e = catchThrowableOfType(HostConfigurationException.class,
                () -> builder().resource(spec("a", "b")).resource(spec("b", "c")).resource(spec("c", "a")).build());
        assertThat(e.errors()).containsExactly("resource a: dependsOn: dependency cycle: a -> b -> c -> a");
        assertThat(e).hasMessage("resource a: dependsOn: dependency cycle: a -> b -> c -> a");
    }

    @Test
    void build_unknownDependency_rejected() {
        assertThatThrownBy(() -> builder().resource(spec("app", "dbx")).build())
                .isInstanceOf(HostConfigurationException.class)
                .hasMessage("resource app: dependsOn[0]: unknown resource 'dbx'");
    }

    @Test
    void build_selfDependency_rejected() {
        assertThatThrownBy(() -> builder().resource(spec("a", "a")).build())
                .hasMessage("resource a: dependsOn[0]: 'a' depends on itself");
    }

    @Test
    void build_manyProblems_listsEveryOneAtOnce() {
        HostConfigurationException e = catchThrowableOfType(HostConfigurationException.class, () -> builder()
                .resource(spec("a"))
                .resource(spec("a"))
                .resource(new ResourceSpec("p", "nosuch", Map.of(), List.of(), ResourcePolicy.DEFAULTS))
                .resource(new ResourceSpec("q", "test", Map.of("badKey", "1"), List.of(), ResourcePolicy.DEFAULTS))
                .resource(spec("x", "y"))
                .resource(spec("y", "x"))
                .resource(spec("z", "missing"))
                .build());
        assertThat(e.errors()).containsExactlyInAnyOrder(
                "resource a: name: duplicate (resources #1 and #2)",
                "resource p: type: unknown type 'nosuch' (known: test)",
                "resource q: properties: badKey: rejected by the test type",
                "resource z: dependsOn[0]: unknown resource 'missing'",
                "resource x: dependsOn: dependency cycle: x -> y -> x");
        assertThat(e.getMessage()).startsWith("5 configuration errors:");
    }

    @Test
    void build_noResources_isAValidHost() {
        try (ResourceHost host = builder().build()) {
            host.start();
            assertThat(host.statuses()).isEmpty();
        }
    }

    @Test
    void builder_badArguments_rejectedNamingTheField() {
        assertThatThrownBy(() -> ResourceHost.builder().shutdownTimeout(Duration.ofSeconds(-5)))
                .hasMessage("shutdownTimeout: PT-5S (expected: > 0)");
        assertThatThrownBy(() -> ResourceHost.builder().name(" ")).hasMessage("hostName: ' ' (expected: " + org.clusworker.host.config.Names.EXPECTED + ")");
        assertThatThrownBy(() -> ResourceSpec.of("db/x", "test")).hasMessage("name: 'db/x' (expected: " + org.clusworker.host.config.Names.EXPECTED + ")");
    }

    @Test
    void installed_findsTypesThroughServiceLoader() {
        ResourceTypes types = ResourceTypes.installed();
        assertThat(types.names()).contains("installed");
        assertThat(types.find("installed")).get().extracting(ResourceType::name).isEqualTo("installed");
    }

    @Test
    void build_withoutTypes_usesTheInstalledOnes() {
        try (ResourceHost host = ResourceHost.builder()
                .resource(new ResourceSpec("r", "installed", Map.of(), List.of(), ResourcePolicy.DEFAULTS)).build()) {
            assertThat(host.status("r").type()).isEqualTo("installed");
        }
    }

    @Test
    void register_sameNameTwice_rejected() {
        ResourceTypes types = new ResourceTypes().register(new TestType("x"));
        assertThatThrownBy(() -> types.register(new TestType("x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("type: 'x'");
    }

    @Test
    void names_inRegistrationOrder_andFindUnknownIsEmpty() {
        ResourceTypes types = new ResourceTypes().register(new TestType("b")).register(new TestType("a"));
        assertThat(types.names()).containsExactly("b", "a");
        assertThat(types.find("c")).isEmpty();
    }

    @Test
    void build_propertiesValidated_doesNotValidateAgain_butStillChecksTypesAndDependencies() {
        AtomicInteger validations = new AtomicInteger();
        ResourceType counting = validatingType("counting", properties -> {
            validations.incrementAndGet();
            return List.of(new PropertyError("p", "always wrong"));
        });
        ResourceTypes types = new ResourceTypes().register(counting);
        ResourceSpec r = new ResourceSpec("r", "counting", Map.of(), List.of(), ResourcePolicy.DEFAULTS);
        assertThatThrownBy(() -> ResourceHost.builder().types(types).resource(r).build())
                .hasMessageContaining("resource r: properties: p: always wrong");
        assertThat(validations).hasValue(1);

        ResourceHost.builder().types(types).resource(r).propertiesValidated().build().close();
        assertThat(validations).hasValue(1);
        assertThatThrownBy(() -> ResourceHost.builder().types(types).propertiesValidated()
                .resource(new ResourceSpec("s", "counting", Map.of(), List.of("nowhere"), ResourcePolicy.DEFAULTS)).build())
                .hasMessageContaining("nowhere");
        assertThat(validations).hasValue(1);
    }

    @Test
    void register_typeThatThrowsFromValidate_reportedAsConfigurationError() {
        ResourceType broken = validatingType("broken", properties -> {
            throw new IllegalStateException("boom");
        });
        assertThatThrownBy(() -> ResourceHost.builder().types(new ResourceTypes().register(broken))
                .resource(new ResourceSpec("r", "broken", Map.of(), List.of(), ResourcePolicy.DEFAULTS)).build())
                .hasMessage("resource r: properties: type broken could not validate them: java.lang.IllegalStateException: boom");
    }

    /** A type that only validates (opening one is not part of these tests). */
    private static ResourceType validatingType(String name, Function<Map<String, String>, List<PropertyError>> validate) {
        return new ResourceType() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<PropertyError> validate(Map<String, String> properties) {
                return validate.apply(properties);
            }

            @Override
            public ResourceAgent open(AgentContext context) {
                throw new UnsupportedOperationException("not opened in these tests");
            }
        };
    }
}
