package org.massagetriage.triage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.audit.IdempotencyKey;
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
        return recorded.thenApplyAsync(done -> {
            answered(decision, evaluated, client, latencyMicros);
            return decision;
        }, recorded.isDone() ? Runnable::run : backToRequest());
    }

    /** One client's key, as the store's unique constraint scopes it. */
    private record ClientKey(String subject, String issuer, String key) {
    }

    /** The first request with a key on this instance, while it is decided and recorded. */
    private record InFlight(String facts, CompletableFuture<KeyedAnswer> answer) {
    }

    /**
     * Requests with a key that are being decided on this instance. A second request with the same
     * key waits for the first one's answer instead of deciding again: the common case of a client
     * that retries impatiently. Only in-flight requests are here (removed once answered), so it is
     * bounded by the requests in progress; retries after that, or on another instance, are settled
     * by the store's unique key ({@link AuditTrail#recordOnce}).
     */
    private final ConcurrentHashMap<ClientKey, InFlight> inFlight = new ConcurrentHashMap<>();

    /**
     * Decides once per client and key: the first request is decided and recorded with the key and
     * {@code render}'s JSON of its answer; a retry with the same facts (within
     * {@code triage.idempotency.retention}) gets that JSON again and records nothing; the same key
     * with other facts fails with {@link IdempotencyKeyReusedException}. A retry while the first is
     * still in progress waits for it (bounded by the store's write timeout) and shares its outcome,
     * a 503 included.
     *
     * @param render the answer's JSON text, made once and stored so that every replay is the same bytes
     */
    public CompletionStage<KeyedAnswer> triageOnce(Presentation presentation, String recordedFacts, ClientIdentity client,
                                                   String key, Function<Decision, String> render) {
        if (!audit.recording()) {
            throw new IdempotencyUnavailableException();
        }
        ClientKey scope = new ClientKey(client.subject(), client.issuer() == null ? "" : client.issuer(), key);
        InFlight mine = new InFlight(recordedFacts, new CompletableFuture<>());
        InFlight first = inFlight.putIfAbsent(scope, mine);
        Executor back = backToRequest();
        if (first != null) {
            if (!first.facts().equals(recordedFacts)) {
                throw new IdempotencyKeyReusedException();
            }
            return first.answer().thenApplyAsync(a -> new KeyedAnswer(a.json(), true), back);
        }
        try {
            long start = System.nanoTime();
            Instant evaluatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Evaluated evaluated = evaluate(presentation);
            Decision decision = new Decision(UUID.randomUUID(), evaluatedAt, evaluated.evaluation(),
                    evaluated.rules().version(), evaluated.rules().loadedAt(), evaluated.rules().vocabularies());
            String json = render.apply(decision);
            long latencyMicros = (System.nanoTime() - start) / 1_000;
            CompletableFuture<KeyedAnswer> answered = audit.recordOnce(record(decision, recordedFacts, client, latencyMicros),
                    new IdempotencyKey(key, json)).thenApplyAsync(earlier -> {
                        if (earlier.isEmpty()) {
                            answered(decision, evaluated, client, latencyMicros);
                            return new KeyedAnswer(json, false);
                        }
                        // Decided before: by this client on another instance, or before a restart.
                        if (!earlier.get().requestFacts().equals(recordedFacts)) {
                            throw new IdempotencyKeyReusedException();
                        }
                        return new KeyedAnswer(earlier.get().response(), true);
                    }, back);
            answered.whenComplete((a, e) -> settle(scope, mine, a, e));
            return answered;
        } catch (RuntimeException e) {
            settle(scope, mine, null, e);
            throw e;
        }
    }

    /** Hands the first request's outcome to those waiting on it, then lets the key go to the store alone. */
    private void settle(ClientKey scope, InFlight mine, KeyedAnswer answer, Throwable failure) {
        if (failure == null) {
            mine.answer().complete(answer);
        } else {
            mine.answer().completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure);
        }
        inFlight.remove(scope, mine);
    }

    private void answered(Decision decision, Evaluated evaluated, ClientIdentity client, long latencyMicros) {
        Evaluation evaluation = evaluated.evaluation();
        metrics.decision(evaluation.outcome().name(), evaluation.firedRuleIds(), evaluated.nanos());
        // Concatenation, not a format string: this runs for every answer.
        DECISIONS.info("decision " + decision.id() + " outcome=" + evaluation.outcome() + " ruleset="
                + decision.rulesetVersion() + " client=" + client.subject() + " latencyMicros=" + latencyMicros);
    }

    /**
     * The commit completes on the store's writer thread; the rest must not run there (it would slow
     * every group commit), so it goes back to the request's event loop.
     */
    private static Executor backToRequest() {
        Context requestContext = Vertx.currentContext();
        return requestContext == null ? Runnable::run : task -> requestContext.runOnContext(v -> task.run());
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
