package io.strideback.loadmonitor.domain;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clinical rules are plain Java (STYLE.md; AxonIQ giftcard-demo's ArchitectureTest): no Quarkus, Kafka,
 * Jackson or JPA, and of the events module only the shared vocabulary enums.
 */
class DomainArchitectureTest {

    private static final JavaClasses DOMAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.strideback.loadmonitor.domain");

    @Test
    void the_clinical_engine_depends_only_on_java_and_the_shared_vocabulary() {
        assertThat(DOMAIN).as("domain classes imported").hasSizeGreaterThan(15);

        noClasses().that().resideInAPackage("..loadmonitor.domain..")
                .should().dependOnClassesThat().resideOutsideOfPackages(
                        "java..", "io.strideback.loadmonitor.domain..", "io.strideback.events.vocabulary..")
                .because("DOMAIN.md's rules are the product and must stay free of frameworks and adapters")
                .check(DOMAIN);
    }

    @Test
    void the_engine_never_reads_a_clock() {
        noClasses().that().resideInAPackage("..loadmonitor.domain..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(java.time.Clock.class, "systemUTC")
                .because("findings are a pure function of the events, in event time")
                .check(DOMAIN);
    }
}
