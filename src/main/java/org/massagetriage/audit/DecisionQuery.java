package org.massagetriage.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A listing request: a half-open time window {@code [from, to)}, an optional outcome, a page size,
 * and where the previous page ended. The cursor is opaque to clients: base64 of the last record's
 * time and id, so that pages stay stable while new decisions arrive.
 */
public record DecisionQuery(Instant from, Instant to, String outcome, int limit, Cursor after) {

    public record Cursor(Instant evaluatedAt, UUID decisionId) {

        public String encode() {
            String raw = evaluatedAt.toString() + "|" + decisionId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IllegalArgumentException when the text is not a cursor this service gave out */
        public static Cursor decode(String text) {
            String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            if (bar < 0) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new Cursor(Instant.parse(raw.substring(0, bar)), UUID.fromString(raw.substring(bar + 1)));
        }
    }
}
