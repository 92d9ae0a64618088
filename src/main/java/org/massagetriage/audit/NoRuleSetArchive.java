package org.massagetriage.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Recording switched off: no store, so no history; reads answer 503 like the decision reads. */
final class NoRuleSetArchive implements RuleSetArchive {

    @Override
    public void recordActivation(ArchivedRuleSet ruleSet, Activation activation) {
        // nothing is kept when recording is off
    }

    @Override
    public void recordImpact(String version, String impactJson) {
        // nothing is kept when recording is off
    }

    @Override
    public Review recordReview(Review review) {
        return review; // nothing is kept when recording is off: a review stays on the instance that made it
    }

    @Override
    public Optional<Review> findReview(String version, String replaces) {
        return Optional.empty();
    }

    @Override
    public void recordSubmission(String version, String replaces, String submittedBy, Instant at, String instance) {
        // nothing is kept when recording is off: the instance that took the submission knows its submitter
    }

    @Override
    public boolean submitted(String version, String replaces, String subject) {
        return false;
    }

    @Override
    public Optional<ArchivedRuleSet> find(String version) {
        throw off();
    }

    @Override
    public List<Activation> activations(String version, int limit) {
        throw off();
    }

    @Override
    public int activationCount(String version) {
        throw off();
    }

    @Override
    public Page list(int limit, String cursor) {
        throw off();
    }

    @Override
    public boolean available() {
        return false;
    }

    private static StoreUnavailableException off() {
        return new StoreUnavailableException("Decision recording is off in this deployment: no rule-set history is kept", null);
    }
}
