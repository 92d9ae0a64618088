package org.massagetriage.feedback;

import java.util.List;

/**
 * One feedback item as a CDS client reports it (CDS Hooks 2.0 Feedback), in the service's terms:
 * the values as sent, not yet checked; {@link CardFeedbackService#record} checks every one. The
 * field names in its errors are the specification's, so a client can find what to fix.
 *
 * @param card                the card's {@code uuid}, which is the id of the decision it showed
 * @param outcome             {@code accepted} or {@code overridden}
 * @param acceptedSuggestions the ids of accepted suggestions (null for none); this service's cards
 *                            carry no suggestions, so any id is refused
 * @param overrideReason      {@code overrideReason.reason}: the reason the user picked, or null
 * @param userComment         {@code overrideReason.userComment}: the user's free text, or null
 * @param outcomeTimestamp    when the user acted, ISO-8601 with an offset ({@code 2026-11-27T10:15:00Z})
 */
public record CardFeedback(String card, String outcome, List<String> acceptedSuggestions, Coding overrideReason,
                           String userComment, String outcomeTimestamp) {

    public CardFeedback {
        acceptedSuggestions = acceptedSuggestions == null ? List.of() : List.copyOf(acceptedSuggestions);
    }

    public static final String ACCEPTED = "accepted";
    public static final String OVERRIDDEN = "overridden";
}
