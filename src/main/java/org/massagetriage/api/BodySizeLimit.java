package org.massagetriage.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.config.TriageConfig;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body over the configured size with 413 problem+json before any of it is read, from
 * its Content-Length. A chunked body without a length is cut off by the HTTP server's own limit
 * (quarkus.http.limits.max-body-size, set to the same size), which answers a plain 413.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;
    private final String problem;

    public BodySizeLimit(TriageConfig config) {
        this.maxBytes = config.http().maxBodySize().asLongValue();
        this.problem = new Problem("about:blank", "Content Too Large", 413,
                "The request body is larger than " + maxBytes + " bytes.", List.of()).toJson();
    }

    @RouteFilter(100)
    void limit(RoutingContext rc) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null && tooLarge(length)) {
            rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close").end(problem);
            return;
        }
        rc.next();
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.strip()) > maxBytes;
        } catch (NumberFormatException e) {
            return false; // a malformed length is the HTTP server's to refuse
        }
    }
}
