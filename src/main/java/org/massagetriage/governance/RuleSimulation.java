package org.massagetriage.governance;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.facts.Presentation;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.Vocabulary;

/**
 * A clinician's "try a case": facts through the active rules, the candidate waiting for approval,
 * or any stored version, without recording anything (it is not a patient decision). Stored
 * versions are compiled from the history and cached with those of replays.
 */
@ApplicationScoped
public class RuleSimulation {

    /** A rule set swapped out or evicted between look-up and evaluation is looked up again this often. */
    private static final int ATTEMPTS = 3;

    private final RuleSetRegistry registry;
    private final DecisionReplay replay;

    public RuleSimulation(RuleSetRegistry registry, DecisionReplay replay) {
        this.registry = registry;
        this.replay = replay;
    }

    /** Which rules answered: the serving ones, the candidate waiting for approval, or a stored version. */
    public enum Rules { ACTIVE, PENDING, STORED }

    /** @param texts the English texts of the rules that answered (a pending edit may have changed them) */
    public record Simulation(String version, Rules rules, Evaluation evaluation, Vocabulary texts) {
    }

    /** The version cannot be evaluated: never stored (404), or stored but not compilable with this release (409). */
    public static class UnknownVersionException extends RuntimeException {
        private final boolean stored;

        UnknownVersionException(String message, boolean stored) {
            super(message);
            this.stored = stored;
        }

        public boolean stored() {
            return stored;
        }
    }

    /**
     * @param version null for the active rules
     * @throws NoActiveRuleSetException when no rules serve and no version is named
     */
    public Simulation simulate(Presentation facts, String version) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            RuleSet rules;
            Rules which;
            RuleSet active = registry.active();
            RuleSetRegistry.Pending pending = registry.pending();
            if (version == null || active != null && active.version().equals(version)) {
                if (active == null) {
                    throw new NoActiveRuleSetException();
                }
                rules = active;
                which = Rules.ACTIVE;
            } else if (pending != null && pending.ruleSet().version().equals(version)) {
                rules = pending.ruleSet();
                which = Rules.PENDING;
            } else {
                DecisionReplay.Lookup stored = replay.ruleSet(version);
                if (stored.ruleSet() == null) {
                    throw new UnknownVersionException(stored.why(), !stored.why().startsWith("rule set "));
                }
                rules = stored.ruleSet();
                which = Rules.STORED;
            }
            try {
                return new Simulation(rules.version(), which, rules.evaluate(facts), rules.vocabulary());
            } catch (RuleSet.RetiredException swappedMeanwhile) {
                // approved, replaced or evicted meanwhile: look it up again
            }
        }
        throw new UnknownVersionException("the rule set " + version + " was replaced " + ATTEMPTS
                + " times while being tried; try again", true);
    }
}
