package org.massagetriage.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * The recorded decision that already holds a client's idempotency key: its facts, to tell a retry
 * from a different request under the same key, and the answer it was given.
 *
 * @param requestFacts the recorded facts of that decision, as the strict reader wrote them
 * @param response     the answer as it was sent (JSON text)
 */
public record EarlierAnswer(UUID decisionId, Instant evaluatedAt, String requestFacts, String response) {
}
