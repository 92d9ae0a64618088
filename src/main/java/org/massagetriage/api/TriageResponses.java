package org.massagetriage.api;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.Vocabulary;
import org.massagetriage.triage.Decision;

/** Builds the v1 answer from a decision: the edge where the domain becomes the public contract. */
public final class TriageResponses {

    private TriageResponses() {
    }

    public static TriageResponse of(Decision d) {
        return of(d, null);
    }

    /** @param language the language of the texts to include (one the deciding rule set has), or null for none */
    public static TriageResponse of(Decision d, String language) {
        Evaluation e = d.evaluation();
        Vocabulary texts = language == null ? null : d.texts().get(language);
        return new TriageResponse(d.id(), d.evaluatedAt(), e.outcome().name(), e.outcome().getUrgency(),
                e.advice().stream().map(AdviceKey::name).toList(),
                e.reasons().stream().map(TriageResponses::reason).toList(),
                e.missingFacts(),
                new TriageResponse.Ruleset(d.rulesetVersion(), d.rulesetLoadedAt()),
                texts == null ? null : language,
                texts == null ? null : texts.outcomes().get(e.outcome()),
                texts == null ? null : e.advice().stream()
                        .map(a -> new TriageResponse.AdviceText(a.name(), texts.advice().get(a))).toList());
    }

    /** Its JSON is encoded once per distinct reason, by {@link ReasonSerializer}: the one cache of reasons. */
    static TriageResponse.Reason reason(RuleConclusion c) {
        return new TriageResponse.Reason(c.ruleId(), c.ruleName(), c.outcome() == null ? null : c.outcome().name(),
                c.advice().stream().map(AdviceKey::name).toList(), c.source(), SourceCitation.all(c.citations()));
    }
}
