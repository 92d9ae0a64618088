package org.massagetriage.rules;

import java.util.List;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Citation;
import org.massagetriage.facts.Outcome;

/** A loaded rule as clinicians and clients see it: where it is, what it encodes, what it can conclude. */
public record RuleDescription(String id, String name, String source, List<Citation> citations, String file, Integer line, Outcome outcome,
                              List<AdviceKey> advice, List<String> missingFacts) {
}
