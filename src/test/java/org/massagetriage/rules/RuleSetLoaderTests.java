package org.massagetriage.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kie.api.definition.rule.Rule;

/**
 * A mistaken edit must be rejected with a diagnostic that points a clinician at the real file and
 * line. Each test edits a temporary copy of the real rules the way a clinician might get it wrong.
 */
class RuleSetLoaderTests {

    private final RulesDirectory dir = RulesDirectory.copyOfDefaults();

    @AfterEach
    void cleanUp() {
        dir.close();
    }

    private String file(String relative) {
        return dir.root() + "/" + relative;
    }

    @Test
    void shouldAcceptTheUnchangedCopy() {
        RuleSetLoader.LoadResult result = dir.load();
        assertEquals(List.of(), result.diagnostics());
        assertEquals(29, result.ruleSet().rules().size());
        result.ruleSet().close();
    }

    @Test
    void shouldPinHowQuotedMetadataComesBack() {
        RuleSetLoader.LoadResult result = dir.load();
        RuleSet rules = result.ruleSet();
        RuleDescription ct04 = rules.rules().stream().filter(r -> r.id().equals("CT-04")).findFirst().orElseThrow();
        assertEquals("When to Contact Your Therapist: 'if you find yourself feeling unusually anxious or distressed during"
                + " or after a session, it's crucial to communicate these feelings to your therapist'", ct04.source());
        assertEquals(file("contact-therapist.drl"), ct04.file());
        assertEquals(46, ct04.line());
        rules.close();
    }

    @Test
    void shouldStripTheQuotesDroolsKeepsAroundMetadataStrings() {
        Rule rule = new org.drools.base.definitions.rule.impl.RuleImpl("x");
        ((org.drools.base.definitions.rule.impl.RuleImpl) rule).addMetaAttribute("id", "\"RF-01\"");
        assertEquals("RF-01", RuleSetCompiler.meta(rule, "id"));
    }

    @Test
    void shouldRejectASyntaxErrorAtItsFileAndLine() {
        dir.replace("self-care.drl", "    Presentation( painCharacter == PainCharacter.DULL_ACHE",
                "    Presentation( painCharacter == == PainCharacter.DULL_ACHE");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(1, d.size(), d::toString);
        assertEquals(Diagnostic.Kind.COMPILE, d.get(0).kind());
        assertEquals(file("self-care.drl"), d.get(0).file());
        assertEquals(18, d.get(0).line());
        assertEquals(36, d.get(0).column()); // the second "=="
        assertEquals("SC-01 Mild dull ache or stiffness, not worsening, no symptoms -> self-care", d.get(0).rule());
        assertFalse(d.get(0).message().contains("Parser returned a null Package"));
    }

    @Test
    void shouldRejectAnUnknownFactFieldAtItsFileAndLine() {
        dir.replace("contact-therapist.drl", "Presentation( painSeverity >= 7 )", "Presentation( painLevel >= 7 )");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(List.of(new Diagnostic(Diagnostic.Kind.LANGUAGE, file("contact-therapist.drl"), 30, 19,
                "CT-02 Severe pain -> contact therapist", null, "'painLevel' is not a field of Presentation; expected one of"
                + " [hoursSinceMassage, painCharacter, painSeverity, trend, symptoms, bodyRegion, chronicLowBackPain,"
                + " recentSurgery, preExistingCondition, takesMedication]")), d);
    }

    @Test
    void shouldNameTheRuleForAnErrorInsideAConsequence() {
        dir.replace("contact-therapist.drl", "    Presentation( symptoms contains Symptom.TINGLING )\nthen\n    triage.conclude(kcontext);",
                "    Presentation( symptoms contains Symptom.TINGLING )\nthen\n    triage.concludeNow(kcontext);");
        List<Diagnostic> d = dir.load().diagnostics();
        assertFalse(d.isEmpty());
        assertEquals("CT-03 Tingling -> contact therapist", d.get(0).rule(), d::toString);
        assertEquals(file("contact-therapist.drl"), d.get(0).file());
    }

    @Test
    void shouldRejectADuplicateId() {
        dir.replace("contact-therapist.drl", "@id(\"CT-04\")", "@id(\"CT-03\")");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(1, d.size(), d::toString);
        assertEquals(Diagnostic.Kind.STRUCTURE, d.get(0).kind());
        assertTrue(d.get(0).message().startsWith("@id(\"CT-03\") is already used by the rule at " + file("contact-therapist.drl")), d::toString);
    }

    @Test
    void shouldRejectARuleWithoutSource() {
        String drl = dir.read("self-care.drl");
        dir.write("self-care.drl", drl.replaceAll("    @source\\(.*\\)\n", ""));
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(List.of(new Diagnostic(Diagnostic.Kind.STRUCTURE, file("self-care.drl"), 12, null,
                "SC-01 Mild dull ache or stiffness, not worsening, no symptoms -> self-care", null,
                "has no @source; cite the section and a short quote of the passage it encodes")), d);
    }

    @Test
    void shouldRejectAnAdviceKeyTheApiDoesNotKnow() {
        dir.replace("advice.drl", "@advice(\"SEEK_MEDICAL_ATTENTION_IMMEDIATELY, REPORT_ALL_SYMPTOMS\")",
                "@advice(\"SEEK_MEDICAL_ATTENTION_IMMEDIATELY, CALL_AN_AMBULANCE\")");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(1, d.size(), d::toString);
        assertEquals("@advice names 'CALL_AN_AMBULANCE', which is not an advice key the API knows", d.get(0).message());
        assertEquals("ADV-04 Emergency advice", d.get(0).rule());
    }

    @Test
    void shouldRejectAnAdviceKeyWithoutText() {
        dir.replace("vocabulary.en.properties", "advice.FOAM_ROLLING=", "advice.FOAM_ROLLER=");
        List<String> messages = dir.load().diagnostics().stream().map(Diagnostic::message).toList();
        assertTrue(messages.contains("unknown key 'advice.FOAM_ROLLER': expected outcome.<OUTCOME> or advice.<ADVICE_KEY>"), messages::toString);
        assertTrue(messages.contains("no text for advice key FOAM_ROLLING (add advice.FOAM_ROLLING=...)"), messages::toString);
    }

    @Test
    void shouldRejectAFailingScenarioWithExpectedAndActual() {
        dir.replace("contact-therapist.drl", "painSeverity >= 7", "painSeverity >= 8");
        List<Diagnostic> d = dir.load().diagnostics();
        Diagnostic row = d.stream().filter(x -> "CT-02-severity-7".equals(x.scenario())).findFirst().orElseThrow(() -> new AssertionError(d));
        assertEquals(Diagnostic.Kind.SCENARIO, row.kind());
        assertEquals(file("scenarios/contact-therapist.csv"), row.file());
        assertEquals(6, row.line());
        // Severity 7 now falls between CT-02 and SC-01: the safety net still answers CONTACT_THERAPIST.
        assertEquals("rules: expected [ADV-02, CT-02] but was [ADV-02, SN-01]", row.message());
    }

    @Test
    void shouldRejectARuleThatNoScenarioExercises() {
        String csv = dir.read("scenarios/emergency.csv");
        dir.write("scenarios/emergency.csv", csv.replaceAll("(?m)^.*BOWEL_OR_BLADDER_CHANGE.*\n", ""));
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(1, d.size(), d::toString);
        assertEquals("rule RF-04 is not exercised by any scenario row; add a row in " + file("scenarios/")
                + " that makes it fire", d.get(0).message());
    }

    @Test
    void shouldNeverActivateAnEmptyDirectory() {
        for (String f : List.of("advice.drl", "contact-therapist.drl", "decision.drl", "emergency.drl", "self-care.drl",
                "urgent-assessment.drl")) {
            dir.delete(f);
        }
        RuleSetLoader.LoadResult result = dir.load();
        assertNull(result.ruleSet());
        assertEquals("no rule files (.drl): an empty rule set is never activated", result.diagnostics().get(0).message());
    }

    @Test
    void shouldRejectAScenarioRowWithAnUnknownValue() {
        dir.replace("scenarios/urgent-assessment.csv", "UA-01-sharp,24,SHARP", "UA-01-sharp,24,STABBING");
        List<Diagnostic> d = dir.load().diagnostics();
        Diagnostic row = d.stream().filter(x -> "UA-01-sharp".equals(x.scenario())).findFirst().orElseThrow(() -> new AssertionError(d));
        assertEquals("painCharacter: unknown value 'STABBING'; expected one of [DULL_ACHE, STIFFNESS, SHARP]", row.message());
        assertEquals(3, row.line());
    }

    /** Scenario rows only cover what someone thought of; the safety checks cover what nobody did. */
    @Test
    void shouldRejectRulesThatAnswerSelfCareWithSymptomsNotAsked() {
        dir.replace("self-care.drl", "symptoms != null, symptoms.empty,", "(symptoms == null || symptoms.empty),");
        dir.replace("scenarios/missing-facts.csv", "SN-01-symptoms-missing,", "# SN-01-symptoms-missing,");
        List<Diagnostic> d = dir.load().diagnostics();
        assertFalse(d.isEmpty());
        assertTrue(d.stream().allMatch(x -> x.message().startsWith("safety check failed: ")
                && x.message().contains("SELF_CARE concluded with a confirming fact missing, for {")
                && x.message().contains("symptoms=null}")), d::toString);
    }

    /**
     * Rules only conclude, yet a rule that matches its own conclusions re-activates itself: every
     * finding it records is a new finding it matches. The firing limit stops it.
     */
    @Test
    void shouldRejectARuleThatLoopsInsteadOfHanging() {
        dir.write("loop.drl", """
                package triage;
                import org.massagetriage.facts.Finding;
                global org.massagetriage.facts.Triage triage;
                rule "LOOP-01 Every finding is another finding"
                    @id("LOOP-01")
                    @source("none")
                    @outcome("CONTACT_THERAPIST")
                when
                    Finding()
                then
                    triage.conclude(kcontext);
                end
                """);
        List<Diagnostic> d = dir.load().diagnostics();
        assertFalse(d.isEmpty());
        assertTrue(d.stream().anyMatch(x -> x.message().contains("more than 1000 rule firings for one decision")), d::toString);
    }

    @Test
    void shouldGiveTheSameVersionForTheSameFilesAndAnotherForAnEdit() {
        RuleSetSource a = RuleSetSource.of("x", Map.of("a.drl", "rule"));
        assertEquals(a.version(), RuleSetSource.of("y", Map.of("a.drl", "rule")).version());
        assertFalse(a.version().equals(RuleSetSource.of("x", Map.of("a.drl", "rule ")).version()));
    }
}
