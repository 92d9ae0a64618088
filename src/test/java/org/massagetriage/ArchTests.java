package org.massagetriage;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Dependencies run one way, top to bottom: HTTP resources (api, bench) and operations (ops) → HTTP
 * plumbing (http) → use cases (triage) → rules engine, audit store, security → facts and config.
 * A package may use those below it, never one above it, and the packages form no cycle.
 */
class ArchTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.massagetriage");

    @Test
    void shouldOnlyDependOnLowerLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("resources").definedBy("org.massagetriage.api..", "org.massagetriage.bench..")
                .layer("operations").definedBy("org.massagetriage.ops..")
                .layer("http").definedBy("org.massagetriage.http..")
                .layer("use cases").definedBy("org.massagetriage.triage..")
                .layer("rules").definedBy("org.massagetriage.rules..")
                .layer("audit").definedBy("org.massagetriage.audit..")
                .layer("security").definedBy("org.massagetriage.security..")
                .layer("facts").definedBy("org.massagetriage.facts..")
                .layer("config").definedBy("org.massagetriage.config..")
                .whereLayer("resources").mayNotBeAccessedByAnyLayer()
                .whereLayer("operations").mayOnlyBeAccessedByLayers("use cases", "resources")
                .whereLayer("http").mayOnlyBeAccessedByLayers("resources")
                .whereLayer("use cases").mayOnlyBeAccessedByLayers("resources", "http")
                .whereLayer("rules").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases")
                .whereLayer("audit").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases")
                .whereLayer("security").mayOnlyBeAccessedByLayers("resources", "http", "use cases")
                .whereLayer("facts").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases", "rules",
                        "audit", "security")
                .whereLayer("config").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases", "rules",
                        "audit", "security")
                .check(CLASSES);
    }

    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("org.massagetriage.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
