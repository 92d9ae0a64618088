package org.massagetriage.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * One feedback item of a CDS client on a card it was given (CDS Hooks 2.0 feedback), as the store
 * keeps it: never updated, several per card allowed. The card's uuid is its decision's id.
 *
 * @param outcome          {@code accepted} or {@code overridden}
 * @param overrideCode     the override reason's code, system and display as the client sent them;
 *                         null when none was sent (always for {@code accepted})
 * @param userComment      the user's free text, or null
 * @param outcomeTimestamp when the user acted, as the client sent it (stored to the microsecond)
 * @param receivedAt       when the service received it
 * @param client           the CDS client's name, which is also the decision's client subject
 */
public record CardFeedbackRecord(UUID decisionId, String outcome, String overrideCode, String overrideSystem,
                                 String overrideDisplay, String userComment, Instant outcomeTimestamp, Instant receivedAt,
                                 String client) {
}
