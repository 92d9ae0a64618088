package org.massagetriage.triage;

/**
 * An {@code Idempotency-Key} arrived while decision recording is off: with no store to hold the key,
 * a retry could not be recognised, and answering as if it could would mislead the client. Mapped to 501.
 */
public class IdempotencyUnavailableException extends RuntimeException {

    public IdempotencyUnavailableException() {
        super("idempotency keys need decision recording", null, false, false);
    }
}
