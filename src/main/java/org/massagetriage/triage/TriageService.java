package org.massagetriage.triage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.api.TriageRequest;
import org.massagetriage.api.TriageResponse;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSetRegistry;

/** The triage use case: request to facts, facts through the active rules, evaluation to answer. */
@ApplicationScoped
public class TriageService {

    private final RuleSetRegistry registry;

    public TriageService(RuleSetRegistry registry) {
        this.registry = registry;
    }

    public TriageResponse triage(TriageRequest request) {
        Presentation presentation = PresentationMapper.toPresentation(request);
        Instant evaluatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (;;) {
            // Taken once per try: the whole answer, version included, comes from the same rule set.
            RuleSet rules = registry.active();
            if (rules == null) {
                throw new NoActiveRuleSetException();
            }
            try {
                return respond(rules, rules.evaluate(presentation), evaluatedAt);
            } catch (RuleSet.RetiredException replaced) {
                // Swapped and closed between taking it and starting: decide on the new one instead.
            }
        }
    }

    private static TriageResponse respond(RuleSet rules, Evaluation e, Instant evaluatedAt) {
        return new TriageResponse(UUID.randomUUID(), evaluatedAt, e.outcome().name(), e.outcome().getUrgency(),
                e.advice().stream().map(AdviceKey::name).toList(),
                e.reasons().stream().map(TriageService::reason).toList(),
                e.missingFacts(),
                new TriageResponse.Ruleset(rules.version(), rules.loadedAt()));
    }

    private static TriageResponse.Reason reason(RuleConclusion c) {
        return new TriageResponse.Reason(c.ruleId(), c.ruleName(), c.outcome() == null ? null : c.outcome().name(),
                c.advice().stream().map(AdviceKey::name).toList(), c.source());
    }
}
