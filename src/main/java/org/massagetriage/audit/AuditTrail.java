package org.massagetriage.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The decision audit trail: every answered decision is committed before its answer leaves, and can
 * be read back. Which trail serves is chosen once at start-up ({@link AuditTrails}): the durable
 * store ({@link StoreAuditTrail}), or none when recording is switched off ({@link NoAuditTrail}).
 */
public interface AuditTrail {

    /** False only when recording is switched off; then {@link #record} does nothing. */
    boolean recording();

    /**
     * Commits the record; the stage completes when it is durable, or fails with
     * {@link StoreUnavailableException}. An answer is only sent once its record is durable.
     */
    CompletableFuture<Void> record(DecisionRecord record);

    /**
     * Commits the record with the client's idempotency key, unless a decision of the same client
     * (subject and issuer) made less than {@code triage.idempotency.retention} ago holds that key:
     * then nothing is recorded and the stage completes with that decision's answer. The store's
     * unique key is the arbiter, also between instances. Completes empty once the record is durable,
     * or fails with {@link StoreUnavailableException} (also when recording is off).
     */
    CompletableFuture<Optional<EarlierAnswer>> recordOnce(DecisionRecord record, IdempotencyKey key);

    /** @throws StoreUnavailableException when the store cannot be read or recording is off */
    Optional<DecisionRecord> find(UUID id);

    /** @throws StoreUnavailableException when the store cannot be read or recording is off */
    DecisionPage list(DecisionQuery query);

    /** A recorded decision's facts, for evaluating a candidate rule set against real cases. */
    record RecordedCase(UUID decisionId, String requestFacts) {
    }

    /**
     * The newest decisions since {@code since}, at most {@code max}, each distinct fact set once
     * (its newest decision); empty when recording is off.
     *
     * @throws StoreUnavailableException when the store cannot be read
     */
    List<RecordedCase> recentCases(Instant since, int max);

    /** Null when decisions can be recorded; otherwise why not (for readiness). */
    String unavailableReason();

    /** What stores the decisions, for readiness and logs. */
    String kind();

    /** Deletes what the retention setting says is expired at {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
