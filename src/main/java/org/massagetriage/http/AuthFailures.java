package org.massagetriage.http;

import java.util.List;

import io.vertx.ext.web.RoutingContext;

/**
 * The 401 and 403 problem texts, one wording wherever they are produced: by {@link ProblemMapper}
 * for REST endpoints, and by {@link BearerAuthMechanism} on the router. They say what to do, never
 * why verification failed (a caller could probe with that).
 */
final class AuthFailures {

    static final String MISSING = "Send a bearer token: Authorization: Bearer <token>.";
    static final String INVALID = "The bearer token is not valid for this service (signature, issuer, audience or expiry).";
    static final String FORBIDDEN = "The token is valid but its roles do not allow this request.";

    private static final String MISSING_BODY = new Problem("about:blank", "Unauthorized", 401, MISSING, List.of()).toJson();

    private AuthFailures() {
    }

    /** The challenge for a request without a token on a router-guarded path. */
    static void sendMissingToken(RoutingContext rc) {
        rc.response().setStatusCode(401).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("WWW-Authenticate", "Bearer").end(MISSING_BODY);
    }
}
