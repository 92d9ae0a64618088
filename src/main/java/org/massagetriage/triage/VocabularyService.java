package org.massagetriage.triage;

import java.util.Arrays;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.api.VocabularyResponse;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSetRegistry;

/** Builds the client vocabulary from the active rule set's texts, in contract order. */
@ApplicationScoped
public class VocabularyService {

    private final RuleSetRegistry registry;

    public VocabularyService(RuleSetRegistry registry) {
        this.registry = registry;
    }

    public VocabularyResponse vocabulary() {
        RuleSet rules = registry.active();
        if (rules == null) {
            throw new NoActiveRuleSetException();
        }
        return new VocabularyResponse(rules.version(),
                Arrays.stream(Outcome.values()).map(o -> new VocabularyResponse.OutcomeText(o.name(), o.getUrgency(),
                        rules.vocabulary().outcomes().get(o))).toList(),
                Arrays.stream(AdviceKey.values()).map(a -> new VocabularyResponse.AdviceText(a.name(),
                        rules.vocabulary().advice().get(a))).toList());
    }
}
