package org.massagetriage.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Recording switched off ({@code triage.store.recording=false}): only to benchmark the bare decision path. */
final class NoAuditTrail implements ManagedAuditTrail {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public boolean recording() {
        return false;
    }

    @Override
    public CompletableFuture<Void> record(DecisionRecord record) {
        return DONE;
    }

    /** Never reached: the use case refuses a key first when nothing is recorded (no store to hold it). */
    @Override
    public CompletableFuture<Optional<EarlierAnswer>> recordOnce(DecisionRecord record, IdempotencyKey key) {
        return CompletableFuture.failedFuture(off());
    }

    @Override
    public Optional<DecisionRecord> find(UUID id) {
        throw off();
    }

    @Override
    public DecisionPage list(DecisionQuery query) {
        throw off();
    }

    private static StoreUnavailableException off() {
        return new StoreUnavailableException("Decision recording is off in this deployment", null);
    }

    @Override
    public String unavailableReason() {
        return null; // nothing to wait for: decisions are answered unrecorded
    }

    @Override
    public String kind() {
        return "none (recording off)";
    }

    @Override
    public List<RecordedCase> recentCases(Instant since, int max) {
        return List.of();
    }

    @Override
    public RuleSetArchive ruleSets() {
        return new NoRuleSetArchive();
    }

    @Override
    public CardFeedbackArchive cardFeedback() {
        return new NoCardFeedbackArchive();
    }

    @Override
    public int deleteExpired(Instant now) {
        return 0;
    }
}
