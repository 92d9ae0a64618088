package org.massagetriage.api;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.ext.web.RoutingContext;

/**
 * The 401 and 403 problem bodies, one wording wherever they are produced: by {@link ProblemMapper}
 * for REST endpoints, and by {@link BearerAuthMechanism} on the router. They say what to
 * do, never why verification failed (a caller could probe with that).
 */
final class AuthFailures {

    static final String MISSING = "Send a bearer token: Authorization: Bearer <token>.";
    static final String INVALID = "The bearer token is not valid for this service (signature, issuer, audience or expiry).";
    static final String FORBIDDEN = "The token is valid but its roles do not allow this request.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthFailures() {
    }

    static void send(RoutingContext rc, int status, String title, String detail, String challenge) {
        String body;
        try {
            body = JSON.writeValueAsString(new Problem("about:blank", title, status, detail, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem always serializes", e);
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (challenge != null) {
            rc.response().putHeader("WWW-Authenticate", challenge);
        }
        rc.response().end(body);
    }
}
