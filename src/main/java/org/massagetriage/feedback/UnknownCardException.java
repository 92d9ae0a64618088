package org.massagetriage.feedback;

import java.util.List;

/**
 * Valid items about cards this client was never given: the uuid is no decision, or a decision
 * recorded for another client. Both are answered alike, in the same words after the same single
 * query, so a client cannot learn whether another client's decision exists. The resource answers
 * <b>422</b>, naming each such card ({@code feedback[i].card}):
 * <ul>
 * <li>not 404: the target of the POST is the feedback endpoint, which exists, and CDS Hooks makes a
 * feedback endpoint optional, so a client may read a 404 there as "this service takes no feedback"
 * and stop sending any;</li>
 * <li>not 403: it would say that the card exists, only not for this client;</li>
 * <li>not 400: the request is well-formed and each item valid; what fails is what it refers to,
 * the case 422 is for here (as for a reused Idempotency-Key).</li>
 * </ul>
 */
public final class UnknownCardException extends CardFeedbackRefusedException {

    UnknownCardException(List<Violation> violations) {
        super("Feedback on cards this client was not given: " + violations, violations);
    }
}
