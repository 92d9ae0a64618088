package org.massagetriage.triage;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.Vocabulary;

/** The texts of outcomes and advice of the active rule set, for clients to show. */
@ApplicationScoped
public class VocabularyService {

    private final RuleSetRegistry registry;

    public VocabularyService(RuleSetRegistry registry) {
        this.registry = registry;
    }

    /** The active rule set's texts and the version they belong to. */
    public record Texts(String rulesetVersion, Vocabulary vocabulary) {
    }

    public Texts vocabulary() {
        RuleSet rules = registry.active();
        if (rules == null) {
            throw new NoActiveRuleSetException();
        }
        return new Texts(rules.version(), rules.vocabulary());
    }
}
