package org.massagetriage.api;

import java.util.List;

import jakarta.ws.rs.core.HttpHeaders;

import org.massagetriage.http.Problem;

/**
 * Reads the optional {@code Idempotency-Key} request header (IETF httpapi Idempotency-Key draft): 1 to
 * 255 visible ASCII characters (0x21 to 0x7E), compared exactly. The draft writes the key as a quoted
 * structured-field string; a client that sends the quotes simply has a key with quotes in it.
 */
final class IdempotencyKeyHeader {

    static final String NAME = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeyHeader() {
    }

    /** The key; null without the header; otherwise what is wrong with it, added to {@code errors}. */
    static String read(HttpHeaders headers, List<Problem.FieldError> errors) {
        List<String> values = headers.getRequestHeader(NAME);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            errors.add(new Problem.FieldError(NAME, "must be sent once, not " + values.size() + " times"));
            return null;
        }
        String key = values.get(0);
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            errors.add(new Problem.FieldError(NAME, "must be 1 to " + MAX_LENGTH + " characters, not " + key.length()));
            return null;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                errors.add(new Problem.FieldError(NAME, "must be visible ASCII characters (0x21 to 0x7E, no spaces);"
                        + " the character at position " + (i + 1) + " is not"));
                return null;
            }
        }
        return key;
    }
}
