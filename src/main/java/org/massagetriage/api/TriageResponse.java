package org.massagetriage.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The v1 answer. Outcome and advice are the rules' vocabulary by name; {@code reasons} explain
 * every rule that concluded something, with the passage of the clinical source it encodes.
 */
public record TriageResponse(UUID decisionId, Instant evaluatedAt, String outcome, int urgency, List<String> advice,
                             List<Reason> reasons, List<String> missingFacts, Ruleset ruleset) {

    /** @param outcome null when the rule concluded only advice or missing facts */
    public record Reason(String ruleId, String rule, String outcome, List<String> advice, String source) {
    }

    public record Ruleset(String version, Instant loadedAt) {
    }
}
