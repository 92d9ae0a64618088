package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
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
        // Lists of a handful of items: a linear contains() is cheaper here than hashing.
        List<AdviceKey> advice = new ArrayList<>(12);
        List<String> missing = new ArrayList<>(5);
        List<String> fired = new ArrayList<>(triage.reasons().size() + 1);
        for (RuleConclusion c : triage.reasons()) {
            for (AdviceKey a : c.advice()) {
                if (!advice.contains(a)) {
                    advice.add(a);
                }
            }
            for (String m : c.missingFacts()) {
                if (!missing.contains(m)) {
                    missing.add(m);
                }
            }
            fired.add(c.ruleId());
        }
        fired.add(triage.decidedBy());
        // Contract order, not firing order: clients can rely on it.
        if (missing.size() > 1) {
            // A pass over the dozen names, not a sort with a comparator per call (a few % of an evaluation).
            List<String> ordered = new ArrayList<>(missing.size());
            for (String name : Fact.MISSING_NAMES) {
                if (missing.contains(name)) {
                    ordered.add(name);
                }
            }
            missing = ordered;
        }
        return new Evaluation(triage.outcome(), Collections.unmodifiableList(advice),
                Collections.unmodifiableList(triage.reasons()), Collections.unmodifiableList(missing),
                Set.copyOf(fired));
    }
}
