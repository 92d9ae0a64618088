package org.massagetriage.triage;

/**
 * The answer to a triage request with an idempotency key, as the exact JSON text the client gets.
 *
 * @param replayed true when it is the answer of an earlier request with the same key (nothing new recorded)
 */
public record KeyedAnswer(String json, boolean replayed) {
}
