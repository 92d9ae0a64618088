package org.massagetriage.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * A request with a body whose Content-Type is present but empty or not a media type at all gets 415
 * problem+json here. Left to the REST layer, {@code Content-Type:} with an empty value failed its
 * media-type parsing while it chose the endpoint: a 500 and an ERROR stack trace for a client's mistake.
 * Runs before the body is read or the token checked, as the size limit does: the request cannot be
 * served whoever sends it.
 */
@ApplicationScoped
public class UnreadableContentType {

    private static final String PROBLEM = new Problem("about:blank", "Unsupported Media Type", 415,
            ProblemMapper.detailFor(415), List.of()).toJson();

    @RouteFilter(110)
    void check(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        String type = rc.request().getHeader("Content-Type");
        if (type == null || method == HttpMethod.GET || method == HttpMethod.HEAD || readable(type)) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(415).putHeader("Content-Type", Problem.MEDIA_TYPE).end(PROBLEM);
    }

    /**
     * For endpoints that take their body as bytes: without a Content-Type the framework would accept
     * any body, and the contract asks for JSON (415 through the problem mapper).
     */
    public static void requireDeclared(HttpHeaders headers) {
        if (headers.getMediaType() == null) {
            throw new NotSupportedException("Content-Type is required");
        }
    }

    static boolean readable(String contentType) {
        if (contentType.isBlank()) {
            return false;
        }
        try {
            MediaType.valueOf(contentType);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
