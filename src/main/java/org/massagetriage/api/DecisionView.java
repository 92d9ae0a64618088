package org.massagetriage.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A recorded decision as the audit API shows it.
 *
 * @param request  the validated request facts as they were received (omitted fields omitted)
 * @param client   who asked, from the verified token (subject, issuer); null only for records from before authentication
 * @param feedback what CDS clients reported their users did with the card of this decision, in the order received
 */
public record DecisionView(UUID decisionId, Instant evaluatedAt, String rulesetVersion, JsonNode request, String outcome,
                           int urgency, List<String> advice, List<String> firedRules, List<String> missingFacts,
                           Client client, long latencyMicros, Links links, List<Feedback> feedback) {

    /**
     * One feedback item of a CDS client on this decision's card (CDS Hooks feedback).
     *
     * @param outcome          accepted or overridden
     * @param overrideReason   the reason the user picked, as the client sent it; null when none (accepted)
     * @param outcomeTimestamp when the user acted, as the client sent it
     * @param receivedAt       when the service received it
     * @param client           the CDS client that sent it
     */
    @Schema(name = "DecisionFeedback")
    public record Feedback(@Schema(enumeration = {"accepted", "overridden"}) String outcome,
                           @Schema(nullable = true) OverrideReason overrideReason,
                           @Schema(nullable = true) String userComment, Instant outcomeTimestamp, Instant receivedAt,
                           String client) {
    }

    @Schema(name = "DecisionFeedbackReason")
    public record OverrideReason(String code, String system, @Schema(nullable = true) String display) {
    }

    /** @param ruleset the rule set that decided, in the rule-set history; replay: re-evaluate it (POST) */
    public record Links(String ruleset, String replay) {
    }

    public record Client(String subject, String issuer) {
    }

    public record Page(List<DecisionView> items, String nextCursor) {
    }
}
