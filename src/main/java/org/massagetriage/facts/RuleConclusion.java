package org.massagetriage.facts;

import java.util.List;

/**
 * What one rule concludes when it fires, read once from its metadata ({@code @outcome}, {@code @advice},
 * {@code @missing}) when the rule set is loaded, so that firing a rule costs a map look-up, not parsing.
 *
 * @param citations the registered sources its {@code @source} names, in the order named
 * @param outcome null for rules that only advise or only name missing facts
 */
public record RuleConclusion(String ruleId, String ruleName, String source, List<Citation> citations, Outcome outcome,
                             List<AdviceKey> advice, List<String> missingFacts) {

    public RuleConclusion {
        citations = List.copyOf(citations);
        advice = List.copyOf(advice);
        missingFacts = List.copyOf(missingFacts);
    }
}
