package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;

/**
 * One row of a scenario table: a presentation and exactly what the rules must answer for it.
 *
 * @param file  the real path of the table, for diagnostics
 * @param line  1-based line of the row in its table
 * @param advice the exact advice, in order
 * @param rules  the exact set of rule ids that must conclude something (the answer's reasons)
 */
public record Scenario(String id, String file, int line, Presentation presentation, Outcome outcome,
                       List<AdviceKey> advice, Set<String> rules, Set<String> missingFacts) {

    /** What differs between this row's expectations and an evaluation; empty when the row passes. */
    public List<String> mismatches(Evaluation actual) {
        List<String> out = new ArrayList<>();
        if (actual.outcome() != outcome) {
            out.add("outcome: expected " + outcome + " but was " + actual.outcome());
        }
        if (!actual.advice().equals(advice)) {
            out.add("advice: expected " + advice + " but was " + actual.advice());
        }
        Set<String> actualRules = new TreeSet<>();
        actual.reasons().forEach(r -> actualRules.add(r.ruleId()));
        if (!actualRules.equals(new TreeSet<>(rules))) {
            out.add("rules: expected " + new TreeSet<>(rules) + " but was " + actualRules);
        }
        if (!new TreeSet<>(actual.missingFacts()).equals(new TreeSet<>(missingFacts))) {
            out.add("missingFacts: expected " + new TreeSet<>(missingFacts) + " but was "
                    + new TreeSet<>(actual.missingFacts()));
        }
        return out;
    }

    /** The row's expectations beside the answer, for a page that shows them side by side. */
    public Diagnostic.Comparison compare(Evaluation actual) {
        return new Diagnostic.Comparison(
                new Diagnostic.Answer(outcome.name(), advice.stream().map(AdviceKey::name).toList(),
                        List.copyOf(new TreeSet<>(rules)), List.copyOf(new TreeSet<>(missingFacts))),
                new Diagnostic.Answer(actual.outcome().name(), actual.advice().stream().map(AdviceKey::name).toList(),
                        List.copyOf(new TreeSet<>(actual.reasons().stream().map(r -> r.ruleId()).toList())), List.copyOf(new TreeSet<>(actual.missingFacts()))));
    }

    @Override
    public String toString() {
        return id;
    }
}
