package org.massagetriage.triage;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.Vocabulary;

/**
 * One recorded decision, as the use case returns it: the evaluation, its id and time, and the rule
 * set that decided it. The HTTP answer is built from it at the edge ({@code api.TriageResponses}).
 */
public record Decision(UUID id, Instant evaluatedAt, Evaluation evaluation, String rulesetVersion, Instant rulesetLoadedAt,
                       Map<String, Vocabulary> texts) {

    /** @param texts the texts of the rule set that decided, by language tag (English first) */
    public Decision {
    }
}
