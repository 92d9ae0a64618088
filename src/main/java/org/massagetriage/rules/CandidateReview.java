package org.massagetriage.rules;

/**
 * Evaluates a candidate that passed every check against the active rule set, on the rules thread,
 * never on a request's path (implemented above the rules: it reads recorded decisions).
 */
public interface CandidateReview {

    /** The impact of replacing {@code active} with {@code candidate}; both are open while it runs. */
    ImpactReport review(RuleSet candidate, RuleSet active);
}
