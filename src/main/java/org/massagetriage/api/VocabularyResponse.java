package org.massagetriage.api;

import java.util.List;

/** Every outcome and advice key with the text a booking system can show; texts come from the rule set. */
public record VocabularyResponse(String rulesetVersion, List<OutcomeText> outcomes, List<AdviceText> advice) {

    public record OutcomeText(String outcome, int urgency, String meaning) {
    }

    public record AdviceText(String key, String text) {
    }
}
