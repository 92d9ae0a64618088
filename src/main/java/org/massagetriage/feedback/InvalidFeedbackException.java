package org.massagetriage.feedback;

import java.util.List;

/**
 * Items that are not valid feedback, every problem of the request named at once: a malformed card
 * uuid, an unknown outcome, a missing or foreign override reason, a reason on an accepted card, a
 * bad timestamp. The resource answers <b>400</b> with one error per violation, as for every
 * malformed request here.
 */
public final class InvalidFeedbackException extends CardFeedbackRefusedException {

    InvalidFeedbackException(List<Violation> violations) {
        super("Invalid card feedback: " + violations, violations);
    }
}
