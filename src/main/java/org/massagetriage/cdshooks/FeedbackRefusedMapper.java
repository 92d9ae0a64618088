package org.massagetriage.cdshooks;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.massagetriage.feedback.CardFeedbackRefusedException;
import org.massagetriage.feedback.UnknownCardException;
import org.massagetriage.http.Problem;

/**
 * Refused feedback: 400 for items that are not valid feedback, 422 for cards this client was never
 * given (unknown and another client's alike, so a client learns nothing of other clients' decisions;
 * not 404, which a CDS client may read as "this service takes no feedback"). Nothing was stored.
 */
@Provider
public class FeedbackRefusedMapper implements ExceptionMapper<CardFeedbackRefusedException> {

    static final String UNKNOWN_CARD_TYPE = "urn:massage-triage:problem:unknown-card";

    @Override
    public Response toResponse(CardFeedbackRefusedException e) {
        List<Problem.FieldError> errors = e.violations().stream()
                .map(v -> new Problem.FieldError(v.field(), v.detail())).toList();
        Problem problem = e instanceof UnknownCardException
                ? new Problem(UNKNOWN_CARD_TYPE, "Feedback on cards this client was not given", 422,
                        "Nothing was stored: every card named must be one this service returned to this client.", errors)
                : new Problem(Problem.INVALID_REQUEST_TYPE, "Invalid request", 400,
                        "Nothing was stored: see errors for each field to fix.", errors);
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
