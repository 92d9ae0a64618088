package org.massagetriage.api;

import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Symptom;
import org.massagetriage.triage.VocabularyService;

/**
 * Every outcome and advice key with the text a booking system can show, and every symptom with the
 * question to ask the patient; texts come from the rule set.
 */
public record VocabularyResponse(String rulesetVersion, List<OutcomeText> outcomes, List<AdviceText> advice,
                                 List<SymptomQuestion> symptoms) {

    public record OutcomeText(String outcome, int urgency, String meaning) {
    }

    public record AdviceText(String key, String text) {
    }

    /** @param question what to ask the patient, saying what exactly counts */
    public record SymptomQuestion(@Schema(implementation = Symptom.class, type = SchemaType.STRING) String symptom,
                                  String question) {
    }

    /** In contract order: outcomes by urgency, advice keys and symptoms as declared. */
    static VocabularyResponse of(VocabularyService.Texts texts) {
        return new VocabularyResponse(texts.rulesetVersion(),
                Arrays.stream(Outcome.values()).map(o -> new OutcomeText(o.name(), o.getUrgency(),
                        texts.vocabulary().outcomes().get(o))).toList(),
                Arrays.stream(AdviceKey.values()).map(a -> new AdviceText(a.name(),
                        texts.vocabulary().advice().get(a))).toList(),
                Arrays.stream(Symptom.values()).map(s -> new SymptomQuestion(s.name(),
                        texts.vocabulary().symptoms().get(s))).toList());
    }
}
