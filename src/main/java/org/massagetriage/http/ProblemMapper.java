package org.massagetriage.http;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.massagetriage.audit.StoreUnavailableException;
import org.massagetriage.governance.RuleSimulation;
import org.massagetriage.rules.ApprovalRefusedException;
import org.massagetriage.rules.RuleFileException;
import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSetDefectException;
import org.massagetriage.rules.RulesBusyException;
import org.massagetriage.triage.IdempotencyKeyReusedException;
import org.massagetriage.triage.IdempotencyUnavailableException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every error leaves as {@code application/problem+json}. Client errors say what to fix; server
 * errors say nothing internal (the log carries the detail under a reference the body gives).
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    public static final String IDEMPOTENCY_KEY_REUSED_TYPE = "urn:massage-triage:problem:idempotency-key-reused";

    @ServerExceptionMapper
    public Response invalidRequest(InvalidRequestException e) {
        return problem(new Problem(Problem.INVALID_REQUEST_TYPE, "Invalid request", 400,
                "The request cannot be decided on as sent; see errors for each field to fix.", e.errors()));
    }

    /** Named as a field so that clients handle it like any other request error they must fix. */
    @ServerExceptionMapper
    public Response idempotencyKeyReused(IdempotencyKeyReusedException e) {
        return problem(new Problem(IDEMPOTENCY_KEY_REUSED_TYPE, "Unprocessable Content", 422,
                "This Idempotency-Key was used before with other facts; send a new key for a new request.",
                List.of(new Problem.FieldError("Idempotency-Key",
                        "already used by this client with other facts within the retention"))));
    }

    @ServerExceptionMapper
    public Response idempotencyUnavailable(IdempotencyUnavailableException e) {
        return problem(new Problem("about:blank", "Not Implemented", 501,
                "Decision recording is off in this deployment, so an Idempotency-Key cannot be honoured; send the"
                        + " request without it.",
                List.of(new Problem.FieldError("Idempotency-Key", "not supported while decisions are not recorded"))));
    }

    @ServerExceptionMapper
    public Response noRules(NoActiveRuleSetException e) {
        Response r = problem(new Problem("about:blank", "Service Unavailable", 503,
                "No valid rule set is active yet; retry shortly.", List.of()));
        return Response.fromResponse(r).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response storeUnavailable(StoreUnavailableException e) {
        // The cause is logged where it happened (once per outage); the body says only what to do.
        Response r = problem(new Problem("about:blank", "Service Unavailable", 503,
                "Decisions cannot be recorded right now, so none is given; retry shortly.", List.of()));
        return Response.fromResponse(r).header("Retry-After", "5").build();
    }

    @ServerExceptionMapper
    public Response ruleSetDefect(RuleSetDefectException e) {
        LOG.errorf("Decision refused: %s", e.getMessage());
        Response r = problem(new Problem("about:blank", "Service Unavailable", 503,
                "The active rules could not decide this case safely; it has been logged. Retry later or contact the clinic.",
                List.of()));
        return Response.fromResponse(r).header("Retry-After", "30").build();
    }

    @ServerExceptionMapper
    public Response rulesBusy(RulesBusyException e) {
        Response r = problem(new Problem("about:blank", "Too Many Requests", 429,
                "Rule checks are busy: one is running and another is waiting. Retry after the time in Retry-After.",
                List.of()));
        return Response.fromResponse(r).header("Retry-After", String.valueOf(e.retryAfterSeconds())).build();
    }

    @ServerExceptionMapper
    public Response approvalRefused(ApprovalRefusedException e) {
        Response.StatusType type = Response.Status.fromStatusCode(e.status());
        return problem(new Problem("about:blank", type == null ? "HTTP " + e.status() : type.getReasonPhrase(), e.status(),
                e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response ruleFile(RuleFileException e) {
        Response.StatusType type = Response.Status.fromStatusCode(e.status());
        return problem(new Problem("about:blank", type == null ? "HTTP " + e.status() : type.getReasonPhrase(), e.status(),
                e.getMessage(), List.of()));
    }

    @ServerExceptionMapper
    public Response unknownVersion(RuleSimulation.UnknownVersionException e) {
        int status = e.stored() ? 409 : 404;
        return problem(new Problem("about:blank", status == 404 ? "Not Found" : "Conflict", status, e.getMessage(), List.of()));
    }

    /** No token at all: say how to authenticate (RFC 6750), nothing more. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return Response.fromResponse(problem(new Problem("about:blank", "Unauthorized", 401,
                AuthFailures.MISSING, List.of())))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /**
     * A token that failed verification. Why it failed (expiry, issuer, signature...) is not told to
     * the caller, who could use it to probe; it is logged at DEBUG for the operator.
     */
    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e) {
        LOG.debugf("Bearer token rejected: %s", e.getMessage());
        return Response.fromResponse(problem(new Problem("about:blank", "Unauthorized", 401,
                AuthFailures.INVALID, List.of())))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problem(new Problem("about:blank", "Forbidden", 403,
                AuthFailures.FORBIDDEN, List.of()));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        return problem(new Problem("about:blank", title, status, detailFor(status), List.of()));
    }

    /**
     * The server's own streaming size check (an HTTP/2 body without a length, see BodySizeLimit) answers
     * 413 itself and then fails the read; that is the client's doing, not an incident.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, HttpServerRequest request) {
        if (request.response().ended() && request.response().getStatusCode() == 413) {
            LOG.debugf("Body refused by the server's size check: %s", e.getMessage());
            return problem(new Problem("about:blank", "Content Too Large", 413, detailFor(413), List.of()));
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error, reference %s", reference);
        return problem(new Problem("about:blank", "Internal Server Error", 500,
                "The service could not complete the request. Reference: " + reference, List.of()));
    }

    /** What to do about a client error, by status; shared with the answers written outside JAX-RS. */
    static String detailFor(int status) {
        return switch (status) {
            case 404 -> "No resource at this path; see the README's endpoint table.";
            case 405 -> "This method is not allowed on this path.";
            case 406 -> "This endpoint answers application/json only.";
            case 413 -> "The request body is too large.";
            case 415 -> "Send the request body as application/json.";
            default -> "The request cannot be served.";
        };
    }

    static Response problem(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
