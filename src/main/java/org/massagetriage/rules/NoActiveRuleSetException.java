package org.massagetriage.rules;

/** No valid rule set is serving yet; mapped to 503 so clients retry rather than get a guess. */
public class NoActiveRuleSetException extends RuntimeException {

    public NoActiveRuleSetException() {
        super("No valid rule set is active", null, false, false);
    }
}
