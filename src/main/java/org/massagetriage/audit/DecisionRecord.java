package org.massagetriage.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the audit trail keeps of one answered decision: enough to show what a patient was told,
 * when, why and by which rules. {@code requestFacts} is the validated request as JSON; it holds no
 * patient identifier because the API takes none.
 *
 * @param clientSubject the verified token's subject (null only in records from before authentication)
 */
public record DecisionRecord(UUID decisionId, Instant evaluatedAt, String rulesetVersion, String requestFacts,
                             String outcome, int urgency, List<String> advice, List<String> firedRules,
                             List<String> missingFacts, String clientSubject, String clientIssuer,
                             long latencyMicros) {

    public DecisionRecord {
        advice = List.copyOf(advice);
        firedRules = List.copyOf(firedRules);
        missingFacts = List.copyOf(missingFacts);
    }
}
