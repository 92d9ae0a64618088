package org.massagetriage.triage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetRegistry;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The triage use case: facts through the active rules, the decision recorded, then returned. */
@ApplicationScoped
public class TriageService {

    /** One line per decision, for operators: ids, outcome, version, latency; never request facts. */
    private static final Logger DECISIONS = Logger.getLogger("org.massagetriage.decisions");

    private final RuleSetRegistry registry;
    private final AuditTrail audit;
    private final TriageMetrics metrics;

    public TriageService(RuleSetRegistry registry, AuditTrail audit, TriageMetrics metrics) {
        this.registry = registry;
        this.audit = audit;
        this.metrics = metrics;
    }

    /**
     * Decides, records the decision durably, then completes with it; without a record there is no
     * decision (the stage fails with StoreUnavailableException). Never blocks: evaluation is CPU
     * work of microseconds, and the commit is awaited asynchronously.
     */
    /**
     * @param recordedFacts the facts as the audit record keeps them (JSON in the request's shape, as
     *                      the client sent them)
     */
    public CompletionStage<Decision> triage(Presentation presentation, String recordedFacts, ClientIdentity client) {
        long start = System.nanoTime();
        Instant evaluatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Evaluated evaluated = evaluate(presentation);
        Evaluation evaluation = evaluated.evaluation();
        Decision decision = new Decision(UUID.randomUUID(), evaluatedAt, evaluation, evaluated.rules().version(),
                evaluated.rules().loadedAt(), evaluated.rules().vocabularies());
        long latencyMicros = (System.nanoTime() - start) / 1_000;
        CompletableFuture<Void> recorded = audit.record(audit.recording() ? record(decision, recordedFacts, client, latencyMicros) : null);
        // The commit completes on the store's writer thread; the rest must not run there (it would
        // slow every group commit), so it goes back to the request's event loop.
        Context requestContext = Vertx.currentContext();
        Executor back = requestContext == null ? Runnable::run : task -> requestContext.runOnContext(v -> task.run());
        return recorded.thenApplyAsync(done -> {
            metrics.decision(evaluation.outcome().name(), evaluation.firedRuleIds(), evaluated.nanos());
            // Concatenation, not a format string: this runs for every answer.
            DECISIONS.info("decision " + decision.id() + " outcome=" + evaluation.outcome() + " ruleset="
                    + decision.rulesetVersion() + " client=" + client.subject() + " latencyMicros=" + latencyMicros);
            return decision;
        }, recorded.isDone() ? Runnable::run : back);
    }

    private record Evaluated(RuleSet rules, Evaluation evaluation, long nanos) {
    }

    private Evaluated evaluate(Presentation presentation) {
        for (;;) {
            // Taken once per try: the whole decision, version included, comes from the same rule set.
            RuleSet rules = registry.active();
            if (rules == null) {
                throw new NoActiveRuleSetException();
            }
            try {
                long t = System.nanoTime();
                Evaluation e = rules.evaluate(presentation);
                return new Evaluated(rules, e, System.nanoTime() - t);
            } catch (RuleSet.RetiredException replaced) {
                // Swapped and closed between taking it and starting: decide on the new one instead.
            }
        }
    }

    /** The audit record, from the decision and the facts it was made on. */
    private static DecisionRecord record(Decision d, String facts, ClientIdentity client, long latencyMicros) {
        Evaluation e = d.evaluation();
        return new DecisionRecord(d.id(), d.evaluatedAt(), d.rulesetVersion(), facts,
                e.outcome().name(), e.outcome().getUrgency(), e.advice().stream().map(AdviceKey::name).toList(),
                e.reasons().stream().map(RuleConclusion::ruleId).toList(), e.missingFacts(),
                client.subject(), client.issuer(), latencyMicros);
    }
}
