package org.massagetriage.triage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.massagetriage.api.TriageRequest;
import org.massagetriage.api.TriageResponse;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.ops.TriageMetrics;
import org.jboss.logging.Logger;
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

    /** The recorded request facts: omitted fields stay omitted, so "not asked" survives in the record. */
    private static final ObjectMapper FACTS_JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

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

    private record Decided(TriageResponse response, java.util.Set<String> firedRuleIds, long evaluationNanos) {
    }

    /**
     * Decides, records the decision durably, then completes with the answer; without a record there
     * is no answer (the stage fails with StoreUnavailableException). Never blocks: evaluation is
     * CPU work of microseconds, and the commit is awaited asynchronously.
     */
    public CompletionStage<TriageResponse> triage(TriageRequest request, ClientIdentity client) {
        long start = System.nanoTime();
        Presentation presentation = PresentationMapper.toPresentation(request);
        Instant evaluatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Decided decided = decide(presentation, evaluatedAt);
        TriageResponse response = decided.response();
        long latencyMicros = (System.nanoTime() - start) / 1_000;
        CompletableFuture<Void> recorded = audit.recording()
                ? audit.record(new DecisionRecord(response.decisionId(), evaluatedAt, response.ruleset().version(),
                        factsJson(request), response.outcome(), response.urgency(), response.advice(),
                        response.reasons().stream().map(TriageResponse.Reason::ruleId).toList(), response.missingFacts(),
                        client.subject(), client.issuer(), latencyMicros))
                : audit.record(null);
        // The commit completes on the store's writer thread; the rest of the answer must not run
        // there (it would slow every group commit), so it goes back to the request's event loop.
        Context requestContext = Vertx.currentContext();
        Executor back = requestContext == null ? Runnable::run : task -> requestContext.runOnContext(v -> task.run());
        return recorded.thenApplyAsync(done -> {
            metrics.decision(response.outcome(), decided.firedRuleIds(), decided.evaluationNanos());
            // Concatenation, not a format string: this runs for every answer.
            DECISIONS.info("decision " + response.decisionId() + " outcome=" + response.outcome() + " ruleset="
                    + response.ruleset().version() + " client=" + client.subject() + " latencyMicros=" + latencyMicros);
            return response;
        }, recorded.isDone() ? Runnable::run : back);
    }

    private Decided decide(Presentation presentation, Instant evaluatedAt) {
        for (;;) {
            // Taken once per try: the whole answer, version included, comes from the same rule set.
            RuleSet rules = registry.active();
            if (rules == null) {
                throw new NoActiveRuleSetException();
            }
            try {
                long t = System.nanoTime();
                Evaluation e = rules.evaluate(presentation);
                long nanos = System.nanoTime() - t;
                return new Decided(respond(rules, e, evaluatedAt), e.firedRuleIds(), nanos);
            } catch (RuleSet.RetiredException replaced) {
                // Swapped and closed between taking it and starting: decide on the new one instead.
            }
        }
    }

    private static String factsJson(TriageRequest request) {
        try {
            return FACTS_JSON.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A validated request always serializes", e);
        }
    }

    private static TriageResponse respond(RuleSet rules, Evaluation e, Instant evaluatedAt) {
        return new TriageResponse(UUID.randomUUID(), evaluatedAt, e.outcome().name(), e.outcome().getUrgency(),
                e.advice().stream().map(AdviceKey::name).toList(),
                e.reasons().stream().map(TriageService::reason).toList(),
                e.missingFacts(),
                new TriageResponse.Ruleset(rules.version(), rules.loadedAt()));
    }

    /** A rule's reason is the same in every answer: built once per rule conclusion, not per request. */
    private static TriageResponse.Reason reason(RuleConclusion c) {
        TriageResponse.Reason r = REASONS.get(c);
        if (r == null) {
            r = new TriageResponse.Reason(c.ruleId(), c.ruleName(), c.outcome() == null ? null : c.outcome().name(),
                    c.advice().stream().map(AdviceKey::name).toList(), c.source());
            if (REASONS.size() >= 4_096) {
                REASONS.clear(); // bounded: each accepted rule edit adds conclusions
            }
            REASONS.put(c, r);
        }
        return r;
    }

    private static final java.util.Map<RuleConclusion, TriageResponse.Reason> REASONS =
            new java.util.concurrent.ConcurrentHashMap<>();
}
