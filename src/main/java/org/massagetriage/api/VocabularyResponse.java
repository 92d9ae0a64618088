package org.massagetriage.api;

import java.util.Arrays;
import java.util.List;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.triage.VocabularyService;

/** Every outcome and advice key with the text a booking system can show; texts come from the rule set. */
public record VocabularyResponse(String rulesetVersion, List<OutcomeText> outcomes, List<AdviceText> advice) {

    public record OutcomeText(String outcome, int urgency, String meaning) {
    }

    public record AdviceText(String key, String text) {
    }

    /** In contract order: outcomes by urgency, advice keys as declared. */
    static VocabularyResponse of(VocabularyService.Texts texts) {
        return new VocabularyResponse(texts.rulesetVersion(),
                Arrays.stream(Outcome.values()).map(o -> new OutcomeText(o.name(), o.getUrgency(),
                        texts.vocabulary().outcomes().get(o))).toList(),
                Arrays.stream(AdviceKey.values()).map(a -> new AdviceText(a.name(),
                        texts.vocabulary().advice().get(a))).toList());
    }
}
