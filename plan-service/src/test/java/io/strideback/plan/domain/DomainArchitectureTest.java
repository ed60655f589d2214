package io.strideback.plan.domain;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plan aggregate is plain Java (STYLE.md, after AxonIQ giftcard-demo's ArchitectureTest): it may
 * use java.*, itself and the shared vocabulary enums, and nothing of Quarkus, Kafka, Jackson or JPA.
 *
 * <p>The rules run from plain Jupiter tests rather than {@code @ArchTest} fields: ArchUnit 1.4.1's own
 * test engine discovers nothing on the JUnit Platform 6 the Quarkus BOM brings (0 tests, silently;
 * JUnit 6 support is TNG/ArchUnit#1659), so {@code @ArchTest} rules would pass without ever running.
 */
class DomainArchitectureTest {

    private static final String DOMAIN = "io.strideback.plan.domain";

    static final ArchRule the_domain_depends_only_on_java_itself_and_the_vocabulary = classes()
            .that().resideInAPackage("..plan.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "..plan.domain..", "io.strideback.events.vocabulary..")
            .because("the rehab plan is the clinic's rules in plain Java, testable without a framework");

    static final ArchRule the_domain_knows_no_adapter = noClasses()
            .that().resideInAPackage("..plan.domain..")
            .should().dependOnClassesThat().resideInAnyPackage("..plan.api..", "..plan.store..", "..plan.messaging..",
                    "..plan.mapping..", "..plan.service..", "io.quarkus..", "org.apache.kafka..", "com.fasterxml..", "jakarta..")
            .because("adapters depend on the domain, never the other way round");

    private static JavaClasses domain(ImportOption... options) {
        return new ClassFileImporter().withImportOptions(java.util.List.of(options)).importPackages(DOMAIN);
    }

    @Test
    void the_domain_depends_only_on_java_itself_and_the_vocabulary() {
        JavaClasses main = domain(new ImportOption.DoNotIncludeTests());
        assertTrue(main.contain(RehabPlan.class), "the domain classes were imported");
        the_domain_depends_only_on_java_itself_and_the_vocabulary.check(main);
    }

    @Test
    void the_domain_knows_no_adapter() {
        the_domain_knows_no_adapter.check(domain(new ImportOption.DoNotIncludeTests()));
    }

    @Test
    void the_rule_bites_on_a_class_that_uses_a_framework() {
        // The tests of this package use JUnit: with them imported, the rule must report them.
        assertTrue(the_domain_depends_only_on_java_itself_and_the_vocabulary.evaluate(domain()).hasViolation());
    }
}
