package org.massagetriage.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A recorded decision as the audit API shows it.
 *
 * @param request the validated request facts as they were received (omitted fields omitted)
 * @param client  who asked, from the verified token (subject, issuer); null only for records from before authentication
 */
public record DecisionView(UUID decisionId, Instant evaluatedAt, String rulesetVersion, JsonNode request, String outcome,
                           int urgency, List<String> advice, List<String> firedRules, List<String> missingFacts,
                           Client client, long latencyMicros, Links links) {

    /** @param ruleset the rule set that decided, in the rule-set history; replay: re-evaluate it (POST) */
    public record Links(String ruleset, String replay) {
    }

    public record Client(String subject, String issuer) {
    }

    public record Page(List<DecisionView> items, String nextCursor) {
    }
}
