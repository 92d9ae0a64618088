package org.massagetriage.rules;

/** Too many candidate checks are waiting already; answered 429 with {@code Retry-After}. */
public class RulesBusyException extends RuntimeException {

    private final long retryAfterSeconds;

    public RulesBusyException(long retryAfterSeconds) {
        super("Rule checks are busy", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
