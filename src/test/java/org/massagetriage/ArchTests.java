package org.massagetriage;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Dependencies run one way, top to bottom: HTTP resources (api, bench, fhir) and operations (ops: health
 * checks) → HTTP plumbing (http) → use cases (triage, with its metrics; governance; feedback, CDS clients' card
 * feedback) → rules engine, audit store,
 * security → facts and config.
 * A package may use those below it, never one above it, and the packages form no cycle.
 * <p>
 * {@code fhir} sits beside {@code api}: it is a second wire format of the same request (the FHIR
 * Questionnaire and the reading of a QuestionnaireResponse into the JSON request), not a use case, and
 * its errors are the HTTP layer's 400s. {@code api}'s triage resource uses it; it never uses {@code api}
 * (the cycle check keeps it so), so the JSON contract's classes stay independent of FHIR.
 */
class ArchTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.massagetriage");

    @Test
    void shouldOnlyDependOnLowerLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("resources").definedBy("org.massagetriage.api..", "org.massagetriage.bench..", "org.massagetriage.cdshooks..",
                        "org.massagetriage.fhir..")
                .layer("operations").definedBy("org.massagetriage.ops..")
                .layer("http").definedBy("org.massagetriage.http..")
                .layer("use cases").definedBy("org.massagetriage.triage..", "org.massagetriage.governance..",
                        "org.massagetriage.feedback..")
                .layer("rules").definedBy("org.massagetriage.rules..")
                .layer("audit").definedBy("org.massagetriage.audit..")
                .layer("security").definedBy("org.massagetriage.security..")
                .layer("facts").definedBy("org.massagetriage.facts..")
                .layer("config").definedBy("org.massagetriage.config..")
                .whereLayer("resources").mayNotBeAccessedByAnyLayer()
                .whereLayer("operations").mayNotBeAccessedByAnyLayer()
                .whereLayer("http").mayOnlyBeAccessedByLayers("resources")
                .whereLayer("use cases").mayOnlyBeAccessedByLayers("resources", "http")
                .whereLayer("rules").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases")
                .whereLayer("audit").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases")
                .whereLayer("security").mayOnlyBeAccessedByLayers("resources", "http", "use cases")
                .whereLayer("facts").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases", "rules",
                        "audit", "security")
                .whereLayer("config").mayOnlyBeAccessedByLayers("resources", "operations", "http", "use cases", "rules",
                        "audit", "security")
                .ensureAllClassesAreContainedInArchitecture()
                .check(CLASSES);
    }

    /**
     * The compiled classes miss what the compiler inlines (a constant used in an annotation, such as
     * a default value): the source imports are checked against the same order.
     */
    @Test
    void shouldImportOnlyFromLowerLayersInTheSources() throws IOException {
        List<String> order = List.of("api|bench|cdshooks|fhir|ops", "http", "triage|governance|feedback",
                "rules|audit|security", "facts|config");
        Path root = Path.of("src/main/java/org/massagetriage");
        List<String> upward = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(file).getName(0).toString();
                int from = level(order, pkg);
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.equals(pkg) && level(order, target) < from) {
                        upward.add(root.relativize(file) + " imports " + m.group(0).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), upward);
    }

    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.massagetriage\\.(\\w+)\\.", Pattern.MULTILINE);

    private static int level(List<String> order, String pkg) {
        for (int i = 0; i < order.size(); i++) {
            if (List.of(order.get(i).split("\\|")).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package " + pkg + " is in no layer; add it to ArchTests");
    }

    @Test
    void shouldHaveNoPackageCycles() {
        slices().matching("org.massagetriage.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
