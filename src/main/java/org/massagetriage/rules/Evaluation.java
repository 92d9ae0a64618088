package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.facts.Triage;

/**
 * The result of running one presentation through a rule set.
 *
 * @param advice       unique, in the order the rules concluded them (most important first)
 * @param reasons      every rule that concluded something, in firing order
 * @param missingFacts unique request field names, in the request's field order
 * @param firedRuleIds the reasons' ids plus the rule that decided the outcome
 */
public record Evaluation(Outcome outcome, List<AdviceKey> advice, List<RuleConclusion> reasons,
                         List<String> missingFacts, Set<String> firedRuleIds) {

    static Evaluation of(Triage triage) {
        Set<AdviceKey> advice = new LinkedHashSet<>();
        Set<String> missing = new LinkedHashSet<>();
        Set<String> fired = new LinkedHashSet<>();
        for (RuleConclusion c : triage.reasons()) {
            advice.addAll(c.advice());
            missing.addAll(c.missingFacts());
            fired.add(c.ruleId());
        }
        fired.add(triage.decidedBy());
        // Contract order, not firing order: clients can rely on it.
        List<String> missingInOrder = new ArrayList<>(missing);
        missingInOrder.sort(Comparator.comparingInt(Presentation.FACT_NAMES::indexOf));
        return new Evaluation(triage.outcome(), List.copyOf(advice), List.copyOf(triage.reasons()),
                List.copyOf(missingInOrder), Set.copyOf(fired));
    }
}
