package org.massagetriage.audit;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CDS clients' feedback on their cards, in the decision store beside the decisions it is about
 * (tables of migration V4). Items are only ever added; a decision deleted by retention takes its
 * feedback with it. Every method throws {@link StoreUnavailableException} when the store cannot be
 * used (also when recording is off: there are no decisions to give feedback on).
 */
public interface CardFeedbackArchive {

    /**
     * An item to store, with the rules counted against it: the fired rules of its decision when it
     * is overridden, none when accepted.
     */
    record Write(CardFeedbackRecord feedback, Set<String> overriddenRules) {
        public Write {
            overriddenRules = Set.copyOf(overriddenRules);
        }
    }

    /**
     * The fired rules of those of {@code decisionIds} that are decisions recorded for
     * {@code clientSubject}; a decision that does not exist or was recorded for anyone else is
     * absent from the answer, with nothing to tell the two apart. One query.
     */
    Map<UUID, List<String>> firedRulesOfDecisions(String clientSubject, String clientIssuer, Set<UUID> decisionIds);

    /**
     * Stores every item in one transaction: all of them or, on any failure, none. A decision
     * deleted since it was looked up (retention) fails the whole write as unavailable; a retry
     * then finds it unknown.
     */
    void recordAll(List<Write> items);

    /** The feedback on each of {@code decisionIds} that has any, each list in the order received. One query. */
    Map<UUID, List<CardFeedbackRecord>> feedbackOf(Collection<UUID> decisionIds);

    /**
     * Per rule id, how many overridden feedback items name a decision in which that rule fired,
     * over everything stored (rules never overridden are absent). One {@code GROUP BY} over the
     * override rule table (V4's {@code card_feedback_rule}): its cost follows the number of
     * overridden items times the rules fired in each (about five), not the number of decisions,
     * and the answer has one row per rule.
     */
    Map<String, Long> overridesByRule();

    /** False when recording is off: there is no store to keep feedback in. */
    boolean available();
}
