package org.massagetriage.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generated safety invariants added with clinical content 1.1, each shown to refuse a rule set
 * that passes its own scenario rows: a fact that can change the answer must be asked for, no
 * comfort measures with one-sided leg pain and swelling, no physiotherapy plans when the patient
 * must be seen now. On a copy of the frozen fixture, and once on the default rules.
 */
class SafetyChecksTests {

    private static final String HEADER = "id,hoursSinceMassage,painCharacter,painSeverity,trend,symptoms,bodyRegion,history,"
            + "outcome,advice,rules,missingFacts,note\n";

    private final RulesDirectory dir = RulesDirectory.copyOfFixture();

    @AfterEach
    void cleanUp() {
        dir.close();
    }

    private static String rule(String id, String outcomeOrMissing, String when) {
        return """
                rule "%1$s test rule"
                    @id("%1$s")
                    @source("[article] test")
                    %2$s
                    agenda-group "%3$s"
                when
                %4$s
                then
                    triage.conclude(kcontext);
                end
                """.formatted(id, outcomeOrMissing, outcomeOrMissing.startsWith("@missing") ? "ask" : "classify", when);
    }

    private static String file(String... rules) {
        return """
                package triage;
                import org.massagetriage.facts.BodyRegion;
                import org.massagetriage.facts.Decided;
                import org.massagetriage.facts.Outcome;
                import org.massagetriage.facts.Presentation;
                import org.massagetriage.facts.Symptom;
                global org.massagetriage.facts.Triage triage;
                """ + String.join("", rules);
    }

    private static final String NECK_NUMBNESS = rule("RF-99", "@outcome(\"EMERGENCY\")",
            "    Presentation( bodyRegion == BodyRegion.NECK, symptoms contains Symptom.NUMBNESS )");

    @Test
    void shouldRefuseARuleOnAFactThatIsNeverAskedFor() {
        dir.write("neck.drl", file(NECK_NUMBNESS));
        dir.write("scenarios/neck.csv", HEADER
                + "RF-99-neck-numbness,24,DULL_ACHE,3,UNCHANGED,NUMBNESS,NECK,none,EMERGENCY,@EMERGENCY,RF-99|UA-05|ADV-04,,\n");
        List<Diagnostic> d = dir.load().diagnostics();
        assertFalse(d.isEmpty());
        assertTrue(d.stream().allMatch(x -> x.message().startsWith("safety check failed: bodyRegion was not asked, yet NECK"
                + " changes the answer (URGENT_ASSESSMENT [SEEK_URGENT_ASSESSMENT, REPORT_ALL_SYMPTOMS, AVOID_STRENUOUS_ACTIVITY]"
                + " to EMERGENCY [SEEK_MEDICAL_ATTENTION_IMMEDIATELY, REPORT_ALL_SYMPTOMS]), for {")
                && x.message().contains("symptoms=[NUMBNESS], bodyRegion=null")), d::toString);
    }

    @Test
    void shouldAcceptTheSameRuleOnceTheFactIsAskedFor() {
        dir.write("neck.drl", file(NECK_NUMBNESS, rule("MF-99", "@missing(\"bodyRegion\")",
                "    Decided( outcome != Outcome.EMERGENCY )\n"
                        + "    Presentation( bodyRegion == null, symptoms contains Symptom.NUMBNESS )")));
        dir.write("scenarios/neck.csv", HEADER
                + "RF-99-neck-numbness,24,DULL_ACHE,3,UNCHANGED,NUMBNESS,NECK,none,EMERGENCY,@EMERGENCY,RF-99|UA-05|ADV-04,,\n"
                + "MF-99-region-missing,24,DULL_ACHE,3,UNCHANGED,NUMBNESS,,none,URGENT_ASSESSMENT,@URGENT_ASSESSMENT,UA-05|ADV-03|MF-99,bodyRegion,\n");
        RuleSetLoader.LoadResult result = dir.load();
        assertEquals(List.of(), result.diagnostics());
        result.ruleSet().close();
    }

    /**
     * MF-10 asks for the pain's character at URGENT_ASSESSMENT when sharp back pain on a blood
     * thinner is still possible. Random cases meet that combination too rarely to notice it gone;
     * the scenario rows with one fact left out do.
     */
    @Test
    void shouldRefuseTheDefaultRulesWithAnAskRuleRemovedTogetherWithItsRows() {
        try (RulesDirectory live = RulesDirectory.copyOfDefaults()) {
            String decision = live.read("decision.drl");
            int start = decision.indexOf("rule \"MF-10 ");
            int end = decision.indexOf("\nend\n", start) + "\nend\n".length();
            live.write("decision.drl", decision.substring(0, start) + decision.substring(end));
            live.replace("scenarios/missing-facts.csv", "MF-10-character-missing-anticoagulant,", "# MF-10-character-missing-anticoagulant,");
            live.replace("scenarios/urgent-assessment.csv", "UA-03|ADV-03|MF-07|MF-09|MF-10|MF-11,painCharacter|painSeverity|",
                    "UA-03|ADV-03|MF-07|MF-09|MF-11,painSeverity|");
            List<Diagnostic> d = live.load().diagnostics();
            assertFalse(d.isEmpty());
            assertTrue(d.stream().allMatch(x -> x.message().startsWith("safety check failed: painCharacter was not asked, yet SHARP"
                    + " changes the answer (URGENT_ASSESSMENT [")), d::toString);
        }
    }

    @Test
    void shouldRefusePhysiotherapyAdviceAtUrgentAssessment() {
        dir.replace("advice.drl", "    Decided( outcome == Outcome.SELF_CARE || outcome == Outcome.CONTACT_THERAPIST )\n"
                + "    Presentation( chronicLowBackPain == true )", "    Decided()\n    Presentation( chronicLowBackPain == true )");
        List<Diagnostic> d = dir.load().diagnostics();
        assertFalse(d.isEmpty());
        assertTrue(d.stream().allMatch(x -> x.message().startsWith("safety check failed: advice that dilutes the message to get"
                + " seen now ([CONSIDER_PHYSIOTHERAPY, MASSAGE_AS_PART_OF_BROADER_PLAN]) at ")), d::toString);
    }

    @Test
    void shouldRefuseComfortMeasuresWithPainAndSwellingInOneLeg() {
        dir.write("leg.drl", file(rule("X-01", "@outcome(\"SELF_CARE\")",
                "    Presentation( symptoms contains Symptom.ONE_LEG_PAIN_AND_SWELLING, hoursSinceMassage != null,"
                        + " painCharacter != null, painSeverity != null, trend != null )")));
        dir.write("scenarios/leg.csv", HEADER
                + "X-01-one-leg,24,DULL_ACHE,3,UNCHANGED,ONE_LEG_PAIN_AND_SWELLING,LEGS,none,SELF_CARE,@SELF_CARE,X-01|ADV-01,,\n");
        List<Diagnostic> d = dir.load().diagnostics();
        assertTrue(d.stream().anyMatch(x -> x.message().startsWith(
                "safety check failed: comfort advice with ONE_LEG_PAIN_AND_SWELLING for {")), d::toString);
    }
}
