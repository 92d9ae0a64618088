package org.massagetriage.feedback;

import java.util.List;

/**
 * Feedback refused as a whole: nothing of the request was stored. Each violation names the field
 * to fix as the CDS Hooks request has it ({@code feedback[1].outcome}).
 */
public abstract sealed class CardFeedbackRefusedException extends RuntimeException
        permits InvalidFeedbackException, UnknownCardException {

    /** @param field a path in the CDS Hooks feedback request, such as {@code feedback[0].overrideReason.reason.code} */
    public record Violation(String field, String detail) {
    }

    private final List<Violation> violations;

    CardFeedbackRefusedException(String message, List<Violation> violations) {
        super(message, null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
