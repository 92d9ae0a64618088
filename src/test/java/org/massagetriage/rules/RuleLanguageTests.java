package org.massagetriage.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The rule language is an allow-list: a rule file is data, never a program. Each forbidden file is
 * refused before the compiler sees it, with a diagnostic at its file, line and column naming the
 * construct; nothing in it runs (no marker file, no secret in any diagnostic, and the test JVM
 * survives a System.exit).
 */
class RuleLanguageTests {

    private static final String SECRET = UUID.randomUUID().toString();
    private final RulesDirectory dir = RulesDirectory.copyOfDefaults();

    @BeforeAll
    static void plantSecret() throws Exception {
        System.setProperty(ForbiddenRules.SECRET_PROPERTY, SECRET);
        Files.deleteIfExists(ForbiddenRules.MARKER);
    }

    @AfterEach
    void cleanUp() {
        dir.close();
    }

    static final List<ForbiddenRules.Attack> ATTACKS = ForbiddenRules.ALL;

    @ParameterizedTest(name = "{0}")
    @FieldSource("ATTACKS")
    void shouldRefuseBeforeCompilingOrRunning(ForbiddenRules.Attack attack) {
        dir.write(ForbiddenRules.FILE, attack.drl());
        RuleSetLoader.LoadResult result = dir.load();
        assertNull(result.ruleSet());
        List<Diagnostic> d = result.diagnostics();
        Diagnostic first = d.get(0);
        assertEquals(Diagnostic.Kind.LANGUAGE, first.kind(), d::toString);
        assertEquals(dir.root() + "/" + ForbiddenRules.FILE, first.file());
        assertEquals(attack.line(), first.line(), d::toString);
        assertEquals(attack.column(), first.column(), d::toString);
        assertEquals(attack.message(), first.message());
        assertTrue(d.stream().allMatch(x -> x.kind() == Diagnostic.Kind.LANGUAGE), d::toString);
        assertFalse(d.toString().contains(SECRET));
        assertFalse(Files.exists(ForbiddenRules.MARKER), "the refused file ran");
    }

    /** What the rules may say: everything rules/README.md lists, in the forms clinicians write it. */
    @Nested
    class Allowed {

        private List<Diagnostic> check(String when) {
            String drl = """
                    package triage;
                    import org.massagetriage.facts.Decided;
                    import org.massagetriage.facts.Finding;
                    import org.massagetriage.facts.Outcome;
                    import org.massagetriage.facts.Presentation;
                    import org.massagetriage.facts.Symptom;
                    import org.massagetriage.facts.BodyRegion;
                    global org.massagetriage.facts.Triage triage;
                    rule "Y-01 Allowed"
                        @id("Y-01")
                        @source("a quote, with 'single quotes' and ... punctuation")
                        salience -5
                        agenda-group "classify"
                    when
                        %s
                    then
                        triage.conclude(kcontext);
                    end
                    """.formatted(when);
            return RuleLanguage.check(RuleSetSource.of("rules", Map.of("y.drl", drl)));
        }

        @Test
        void shouldAllowComparisonsEnumsAndNullChecks() {
            assertEquals(List.of(), check("Presentation( painSeverity != null, painSeverity >= 7 || hoursSinceMassage < 72.5,"
                    + " bodyRegion == BodyRegion.NECK, recentSurgery == true, trend == null )"));
        }

        @Test
        void shouldAllowSetOperatorsAndEmptiness() {
            assertEquals(List.of(), check("Presentation( symptoms contains Symptom.SWELLING, symptoms not contains"
                    + " Symptom.FAINTING, bodyRegion in (BodyRegion.NECK, BodyRegion.LEGS), bodyRegion not in (BodyRegion.ARMS),"
                    + " !(symptoms.empty) )"));
        }

        @Test
        void shouldAllowBindingsNotExistsAndOr() {
            assertEquals(List.of(), check("""
                    $p : Presentation( $h : hoursSinceMassage )
                        exists Finding( ruleId == "SN-01" )
                        not Finding( outcome.urgency > Outcome.CONTACT_THERAPIST.urgency )
                        ( Decided( outcome == Outcome.SELF_CARE ) or Decided( outcome == Outcome.CONTACT_THERAPIST ) )
                        not Presentation( hoursSinceMassage == $h )"""));
        }

        /**
         * Matching work grows with the product of the patterns: four Finding patterns on a rule that
         * records a finding each time it fires ran a check out of memory. One pattern per fact type.
         */
        @Test
        void shouldRefuseMatchingAFactTypeTwice() {
            assertEquals(List.of(new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 9, null, "Y-01 Allowed", null,
                    "a rule may match Finding only once (use one pattern with all its conditions, or 'not' / 'exists'"
                            + " for another check)")),
                    check("Finding() Finding() Finding() Finding()"));
            assertEquals(List.of(new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 15, 5, "Y-01 Allowed", null,
                    "'not' and 'exists' take one pattern each, such as not Finding( ... )")),
                    check("not ( Finding() and Finding() )"));
        }

        /** A hostile file of thousands of refusals is checked in linear time, and its diagnostics are bounded. */
        @Test
        void shouldCheckAHugeFileQuicklyAndBoundItsDiagnostics() {
            StringBuilder drl = new StringBuilder("package triage;\nimport org.massagetriage.facts.Presentation;\n");
            for (int i = 0; i < 16_000; i++) {
                drl.append("rule \"r").append(i).append("\" @id(\"R-").append(i).append("\") @source(\"s\")")
                        .append(" when Presentation( q == 1 ) then x(); end\n");
            }
            long start = System.nanoTime();
            List<Diagnostic> d = RuleLanguage.check(RuleSetSource.of("rules", Map.of("huge.drl", drl.toString())));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(RuleLanguage.MAX_DIAGNOSTICS_PER_FILE + 1, d.size());
            assertEquals("more than 50 problems in this file; fix these first", d.get(d.size() - 1).message());
            assertTrue(millis < 10_000, "checking took " + millis + " ms");
            System.out.printf("a 16,000-rule hostile file: checked in %d ms%n", millis);
        }

        @Test
        void shouldRefuseARuleNameWithALineBreak() {
            String drl = "package triage;\nimport org.massagetriage.facts.Presentation;\nglobal org.massagetriage.facts.Triage triage;\n"
                    + "rule \"Z-01 one\u2028two\" @id(\"Z-01\") @source(\"s\") when Presentation() then triage.conclude(kcontext); end\n";
            assertEquals(List.of(new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/z.drl", 4, null, "Z-01 one?two", null,
                    "a rule name is one line of text, without control characters")),
                    RuleLanguage.check(RuleSetSource.of("rules", Map.of("z.drl", drl))));
        }

        @Test
        void shouldRefuseAnUnboundVariable() {
            List<Diagnostic> d = check("Presentation( hoursSinceMassage == $h )");
            assertEquals(List.of(new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 15, 40, "Y-01 Allowed", null,
                    "'$h' is not bound by an earlier pattern of this rule")), d);
        }

        /** MVEL reads a no-argument method as a property: only the facts' own getters are properties. */
        @Test
        void shouldRefuseInheritedAndCollectionMethodsReadAsProperties() {
            List<Diagnostic> d = check("Presentation( symptoms.size == 0, painCharacter.declaringClass == null )");
            assertEquals(List.of(
                    new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 15, 19, "Y-01 Allowed", null,
                            "'symptoms.size': 'size' is not something a condition may read; expected one of [empty]"),
                    new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 15, 39, "Y-01 Allowed", null,
                            "'painCharacter.declaringClass': 'declaringClass' is not something a condition may read")), d);
        }

        /** Assignment and casts do not even parse (the compiler reports them); arithmetic and quotes do. */
        @Test
        void shouldRefuseArithmeticSingleQuotesAndPositionalConstraints() {
            String ops = "; use the comparisons ==, !=, <, <=, >, >=, contains, not contains, in, combined with && and ||";
            assertEquals(List.of(
                    new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 15, 37, "Y-01 Allowed", null,
                            "'+' is not allowed in a condition" + ops),
                    new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 15, 61, "Y-01 Allowed", null,
                            "''' is not allowed in a condition" + ops)),
                    check("Presentation( hoursSinceMassage + 1 > 2, painSeverity > 'x' )"));
            assertEquals(List.of(new Diagnostic(Diagnostic.Kind.LANGUAGE, "rules/y.drl", 15, 19, "Y-01 Allowed", null,
                    "positional constraints (ending in ';') are not allowed: name the field, such as painSeverity >= 7")),
                    check("Presentation( painSeverity > 1; )"));
        }
    }
}
