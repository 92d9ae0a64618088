package org.massagetriage.audit;

/**
 * A client's {@code Idempotency-Key} for one decision, kept with its record for as long as the key
 * is honoured, and the exact answer the client was given, so that a retry gets the same bytes.
 *
 * @param key      1 to 255 visible ASCII characters, checked at the edge
 * @param response the answer as sent (JSON text)
 */
public record IdempotencyKey(String key, String response) {
}
