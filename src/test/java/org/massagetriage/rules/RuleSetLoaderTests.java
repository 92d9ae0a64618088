package org.massagetriage.rules;

import org.massagetriage.facts.Outcome;

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
 * line. Each test edits a temporary copy of the rules the way a clinician might get it wrong: of
 * the frozen fixture, so that the lines pinned here do not move when a clinician edits rules/.
 */
class RuleSetLoaderTests {

    private final RulesDirectory dir = RulesDirectory.copyOfFixture();

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
        assertEquals("[article] When to Contact Your Therapist: 'if you find yourself feeling unusually anxious or distressed during"
                + " or after a session, it's crucial to communicate these feelings to your therapist'", ct04.source());
        assertEquals(file("contact-therapist.drl"), ct04.file());
        assertEquals(52, ct04.line());
        rules.close();
    }

    @Test
    void shouldStripTheQuotesDroolsKeepsAroundMetadataStrings() {
        Rule rule = new org.drools.base.definitions.rule.impl.RuleImpl("x");
        ((org.drools.base.definitions.rule.impl.RuleImpl) rule).addMetaAttribute("id", "\"RF-01\"");
        assertEquals("RF-01", RuleMetadata.meta(rule, "id"));
    }

    @Test
    void shouldRejectASyntaxErrorAtItsFileAndLine() {
        dir.replace("self-care.drl", "    Presentation( painCharacter == PainCharacter.DULL_ACHE",
                "    Presentation( painCharacter == == PainCharacter.DULL_ACHE");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(1, d.size(), d::toString);
        assertEquals(Diagnostic.Kind.COMPILE, d.get(0).kind());
        assertEquals(file("self-care.drl"), d.get(0).file());
        assertEquals(23, d.get(0).line());
        assertEquals(36, d.get(0).column()); // the second "=="
        assertEquals("SC-01 Mild dull ache or stiffness, not worsening, no symptoms -> self-care", d.get(0).rule());
        assertFalse(d.get(0).message().contains("Parser returned a null Package"));
    }

    @Test
    void shouldRejectAnUnknownFactFieldAtItsFileAndLine() {
        dir.replace("contact-therapist.drl", "Presentation( painSeverity >= $severe )", "Presentation( painLevel >= $severe )");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(List.of(new Diagnostic(Diagnostic.Kind.LANGUAGE, file("contact-therapist.drl"), 35, 19,
                "CT-02 Severe pain -> contact therapist", null, "'painLevel' is not a field of Presentation; expected one of"
                + " [hoursSinceMassage, painCharacter, painSeverity, trend, symptoms, bodyRegion, chronicLowBackPain,"
                + " recentSurgery, preExistingCondition, takesMedication, takesAnticoagulant]")), d);
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
        assertEquals(List.of(new Diagnostic(Diagnostic.Kind.STRUCTURE, file("self-care.drl"), 14, null,
                "SC-01 Mild dull ache or stiffness, not worsening, no symptoms -> self-care", null,
                "has no @source; cite the registered source and a short quote of the passage it encodes, such as"
                + " @source(\"[article] When to Contact Your Therapist: '...'\")")), d);
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
        assertTrue(messages.contains("unknown key 'advice.FOAM_ROLLER': expected outcome.<OUTCOME>, summary.<OUTCOME>, advice.<ADVICE_KEY> or symptom.<SYMPTOM>"), messages::toString);
        assertTrue(messages.contains("no text for advice key FOAM_ROLLING (add advice.FOAM_ROLLING=...)"), messages::toString);
    }

    /** A CDS Hooks card's summary must be shorter than 140 characters: a longer one is refused at its line. */
    @Test
    void shouldRejectASummaryTooLongForACard() {
        String drl = dir.read("vocabulary.en.properties");
        String longer = "summary.EMERGENCY=" + "Post-massage check-in: emergency signs reported; ".repeat(3);
        dir.write("vocabulary.en.properties", drl.replaceFirst("summary\\.EMERGENCY=[^\n]*", longer));
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(1, d.size(), d::toString);
        assertEquals("the text of 'summary.EMERGENCY' has 146 characters: a summary must be shorter than 140"
                + " (CDS Hooks cards show it as one line)", d.get(0).message());
        assertEquals(file("vocabulary.en.properties"), d.get(0).file());
    }

    /**
     * Rule sets stored before summaries existed still compile (replaying their decisions, resuming the
     * last released set): without one, an outcome is summarised by its own text, cut at a word.
     */
    @Test
    void shouldSummariseAnOutcomeWithoutASummaryByItsText() {
        dir.write("vocabulary.en.properties", dir.read("vocabulary.en.properties").replaceAll("(?m)^summary\\.[A-Z_]+=.*\n", ""));
        RuleSetLoader.LoadResult result = dir.load();
        assertEquals(List.of(), result.diagnostics());
        Vocabulary texts = result.ruleSet().vocabularies().get("en");
        assertEquals("Post-massage check-in: Seek medical attention immediately.", texts.summary(Outcome.EMERGENCY));
        String urgent = texts.summary(Outcome.URGENT_ASSESSMENT);
        // 144 characters with the prefix: cut before the last word that would reach 140.
        assertEquals("Post-massage check-in: This may be a sign of an injury or an adverse reaction. Get it assessed by your"
                + " therapist or a healthcare provider\u2026", urgent);
        assertTrue(urgent.length() < 140);
        result.ruleSet().close();
    }

    @Test
    void shouldRejectAFailingScenarioWithExpectedAndActual() {
        // CT-02 alone moves off the shared threshold: severity 7 is then neither severe (CT-02) nor mild (SC-01).
        dir.replace("contact-therapist.drl", "painSeverity >= $severe", "painSeverity > $severe");
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
                && x.message().contains("symptoms=null, ")), d::toString);
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
                    @source("[article] none")
                    @outcome("CONTACT_THERAPIST")
                    agenda-group "classify"
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

    /** A pooled session is reset when returned: the phases must be set again on every evaluation. */
    @Test
    void shouldRunThePhasesInOrderOnEveryPooledSession() {
        RuleSet rules = dir.load().ruleSet();
        try {
            org.massagetriage.facts.Presentation p = org.massagetriage.facts.Presentation.builder().hoursSinceMassage(24)
                    .painCharacter(org.massagetriage.facts.PainCharacter.DULL_ACHE).painSeverity(3)
                    .trend(org.massagetriage.facts.Trend.UNCHANGED).symptoms(java.util.Set.of(
                            org.massagetriage.facts.Symptom.ANXIETY_OR_DISTRESS)).chronicLowBackPain(true).build();
            int poolSize = Runtime.getRuntime().availableProcessors() * 2;
            for (int i = 0; i < poolSize * 3; i++) {
                Evaluation e = rules.evaluate(p);
                assertEquals(List.of("CT-04", "ADV-02", "ADV-05", "ADV-06", "ADV-07"),
                        e.reasons().stream().map(org.massagetriage.facts.RuleConclusion::ruleId).toList(), "evaluation " + i);
            }
        } finally {
            rules.close();
        }
    }

    @Test
    void shouldRejectAThresholdThatIsNotAWholeNumberAtItsLine() {
        dir.replace("thresholds.properties", "severe-pain=7", "severe-pain=seven");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(List.of(Diagnostic.of(Diagnostic.Kind.STRUCTURE, file("thresholds.properties"), 10,
                "threshold 'severe-pain': 'seven' is not a whole number")), d);
    }

    @Test
    void shouldRejectARuleNamingAThresholdTheFileDoesNotSet() {
        dir.replace("thresholds.properties", "severe-pain=7", "severe-pain-score=7");
        List<Diagnostic> d = dir.load().diagnostics();
        assertEquals(List.of(
                new Diagnostic(Diagnostic.Kind.LANGUAGE, file("contact-therapist.drl"), 34, 16,
                        "CT-02 Severe pain -> contact therapist", null, "threshold \"severe-pain\" is not set in "
                        + file("thresholds.properties") + "; it sets [normal-soreness-hours, severe-pain-score]"),
                new Diagnostic(Diagnostic.Kind.LANGUAGE, file("self-care.drl"), 21, 16,
                        "SC-01 Mild dull ache or stiffness, not worsening, no symptoms -> self-care", null,
                        "threshold \"severe-pain\" is not set in " + file("thresholds.properties")
                                + "; it sets [normal-soreness-hours, severe-pain-score]")), d);
    }

    @Test
    void shouldApplyAnEditedThresholdToEveryRuleThatNamesIt() {
        dir.replace("thresholds.properties", "severe-pain=7", "severe-pain=8");
        List<Diagnostic> d = dir.load().diagnostics();
        // Severity 7 is no longer severe (CT-02) and now mild (SC-01): one number moved both rules.
        Diagnostic row = d.stream().filter(x -> "CT-02-severity-7".equals(x.scenario())).findFirst().orElseThrow(() -> new AssertionError(d));
        assertTrue(row.message().startsWith("outcome: expected CONTACT_THERAPIST but was SELF_CARE; "), row::message);
        assertTrue(row.message().endsWith("rules: expected [ADV-02, CT-02] but was [ADV-01, SC-01]"), row::message);
    }

    @Test
    void shouldExpandANamedAdviceSetAndRejectAnUnknownOne() {
        RuleSet rules = dir.load().ruleSet();
        try {
            Scenario baseline = rules.scenarios().stream().filter(s -> s.id().equals("SC-01-baseline")).findFirst().orElseThrow();
            assertEquals(List.of(org.massagetriage.facts.AdviceKey.HYDRATE, org.massagetriage.facts.AdviceKey.APPLY_GENTLE_HEAT,
                    org.massagetriage.facts.AdviceKey.EPSOM_SALT_BATH, org.massagetriage.facts.AdviceKey.GENTLE_STRETCHING,
                    org.massagetriage.facts.AdviceKey.LIGHT_MOVEMENT, org.massagetriage.facts.AdviceKey.AVOID_STRENUOUS_ACTIVITY,
                    org.massagetriage.facts.AdviceKey.FOAM_ROLLING, org.massagetriage.facts.AdviceKey.ANTI_INFLAMMATORY_FOODS,
                    org.massagetriage.facts.AdviceKey.ASK_BEFORE_PAIN_RELIEVERS,
                    org.massagetriage.facts.AdviceKey.EXPECT_RESOLUTION_IN_1_TO_3_DAYS), baseline.advice());
        } finally {
            rules.close();
        }
        dir.replace("scenarios/self-care.csv", "SC-01-baseline,24,DULL_ACHE,3,UNCHANGED,none,LOWER_BACK,none,SELF_CARE,@SELF_CARE,",
                "SC-01-baseline,24,DULL_ACHE,3,UNCHANGED,none,LOWER_BACK,none,SELF_CARE,@SELFCARE,");
        List<Diagnostic> d = dir.load().diagnostics();
        Diagnostic row = d.stream().filter(x -> "SC-01-baseline".equals(x.scenario())).findFirst().orElseThrow(() -> new AssertionError(d));
        assertEquals(file("scenarios/self-care.csv"), row.file());
        assertEquals(3, row.line());
        assertEquals("advice: unknown advice set '@SELFCARE'; " + file("scenarios/advice-sets.properties")
                + " defines [@SELF_CARE, @CONTACT_THERAPIST, @URGENT_ASSESSMENT, @EMERGENCY]", row.message());
    }

    /** The set is written apart from ADV-01, so an unintended edit of the advice still fails the rows. */
    @Test
    void shouldStillFailARowWhenTheAdviceRuleChanges() {
        dir.replace("advice.drl", "FOAM_ROLLING, ANTI_INFLAMMATORY_FOODS", "ANTI_INFLAMMATORY_FOODS");
        List<Diagnostic> d = dir.load().diagnostics();
        assertTrue(d.stream().anyMatch(x -> "SC-01-baseline".equals(x.scenario()) && x.message().startsWith("advice: expected [")),
                d::toString);
    }
}
