package org.massagetriage.audit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Recording switched off: no decisions, so no card to give feedback on; every use answers 503 like the decision reads. */
final class NoCardFeedbackArchive implements CardFeedbackArchive {

    @Override
    public Map<UUID, List<String>> firedRulesOfDecisions(String clientSubject, String clientIssuer, Set<UUID> decisionIds) {
        throw off();
    }

    @Override
    public void recordAll(List<Write> items) {
        throw off();
    }

    @Override
    public Map<UUID, List<CardFeedbackRecord>> feedbackOf(Collection<UUID> decisionIds) {
        throw off();
    }

    @Override
    public Map<String, Long> overridesByRule() {
        throw off();
    }

    @Override
    public boolean available() {
        return false;
    }

    private static StoreUnavailableException off() {
        return new StoreUnavailableException("Decision recording is off in this deployment: no card feedback is kept", null);
    }
}
