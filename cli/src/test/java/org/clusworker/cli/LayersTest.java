package org.clusworker.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers point one way: core <- host <- agents <- cluster <- cli; core needs nothing but the JDK;
 * host, agents and core know nothing of ZooKeeper; host's internal packages do not lean on each other in
 * a circle, and nothing outside host reaches into them.
 */
class LayersTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.clusworker");
    }

    @Test
    void layers_pointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("org.clusworker.worker..", "org.clusworker.resapi..")
                .layer("host").definedBy("org.clusworker.host..")
                .layer("agents").definedBy("org.clusworker.agents..")
                .layer("cluster").definedBy("org.clusworker.cluster..")
                .layer("cli").definedBy("org.clusworker.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("agents").mayOnlyBeAccessedByLayers("cluster", "cli")
                .whereLayer("host").mayOnlyBeAccessedByLayers("agents", "cluster", "cli")
                .check(classes);
    }

    @Test
    void core_usesTheJdkAlone() {
        noClasses().that().resideInAnyPackage("org.clusworker.worker..", "org.clusworker.resapi..")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "jdk..", "org.clusworker.worker..",
                        "org.clusworker.resapi..")
                .check(classes);
    }

    @Test
    void noZooKeeper_belowTheClusterLayer() {
        noClasses().that().resideInAnyPackage("org.clusworker.worker..", "org.clusworker.resapi..", "org.clusworker.host..",
                        "org.clusworker.agents..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.zookeeper..", "org.apache.curator..")
                .check(classes);
    }

    @Test
    void noMetricsLibrary_belowTheCli() {
        // the host tells calls' durations through its JDK-only CallObserver; the cli makes meters of them
        noClasses().that().resideInAnyPackage("org.clusworker.worker..", "org.clusworker.resapi..", "org.clusworker.host..",
                        "org.clusworker.agents..", "org.clusworker.cluster..")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..")
                .check(classes);
    }

    @Test
    void hostInternals_reachedOnlyFromTheHost() {
        noClasses().that().resideOutsideOfPackage("org.clusworker.host..")
                .should().dependOnClassesThat().resideInAnyPackage("org.clusworker.host.engine..", "org.clusworker.host.policy..",
                        "org.clusworker.host.events..")
                .check(classes);
    }

    @Test
    void hostPackages_freeOfCyclesAmongTheInternals() {
        slices().matching("org.clusworker.host.(engine|policy|events|time|config)..").should().beFreeOfCycles().check(classes);
    }
}
