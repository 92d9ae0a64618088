package org.massagetriage.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Requests the HTTP layer refuses before any endpoint sees them (a text request line claiming
 * HTTP/2.0 without a Host, for example) fail their routing context with a 4xx status. The
 * framework's failure handler would log each at ERROR with the exception and answer with its own
 * JSON naming the exception; a malformed request is the client's mistake, so it gets problem+json
 * with its status and a DEBUG line. Failures without a 4xx status (server faults) go on to the
 * framework's handler unchanged.
 */
@ApplicationScoped
public class ClientErrorFailures {

    private static final Logger LOG = Logger.getLogger(ClientErrorFailures.class);

    void install(@Observes Router router) {
        // First among failure handlers, so that it sees every failure before the framework's handler.
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    void handle(RoutingContext rc) {
        if (rc.response().ended() && rc.response().getStatusCode() == 413) {
            // The server's streaming size check has answered; what fails after it (writing a second
            // answer) is a consequence, not a fault.
            LOG.debugf("Failure after a 413 answer: %s", rc.failure() == null ? "no exception" : rc.failure().toString());
            return;
        }
        int status = rc.statusCode();
        if (status < 400 || status > 499 || status == 401 || rc.response().headWritten()) {
            rc.next();
            return;
        }
        LOG.debugf("Request refused with %d before reaching an endpoint: %s", status,
                rc.failure() == null ? "no exception" : rc.failure().getMessage());
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "HTTP " + status : type.getReasonPhrase();
        rc.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .end(new Problem("about:blank", title, status, ProblemMapper.detailFor(status), List.of()).toJson());
    }
}
