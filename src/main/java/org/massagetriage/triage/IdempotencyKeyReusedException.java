package org.massagetriage.triage;

/**
 * The client used an {@code Idempotency-Key} again with other facts than the decision that holds
 * it: not a retry, so neither that answer nor a new decision is given. Mapped to 422.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

    public IdempotencyKeyReusedException() {
        super("idempotency key reused with other facts", null, false, false);
    }
}
