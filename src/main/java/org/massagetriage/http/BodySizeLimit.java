package org.massagetriage.http;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.quarkus.vertx.web.RouteFilter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses a body over its path's limit with 413 problem+json: 64 KiB ({@code triage.http.max-body-size})
 * everywhere, except the validate endpoint, which takes a draft of a whole rules directory
 * ({@code triage.rules.max-candidate-size}, 4 MiB).
 *
 * <p>A body with a Content-Length is refused from the header, before any of it is read. A body
 * without one (chunked) is read here, counting bytes as they arrive, and refused as soon as it
 * passes the limit; a body within it is handed on whole, and the REST layer reads it from the
 * routing context instead of the connection. The HTTP server's own limit
 * ({@code quarkus.http.limits.max-body-size}) is global, so it is set to the larger limit and
 * cannot enforce the smaller one; left to it, a chunked body over the limit got a bare 413 and two
 * ERROR stack traces.
 *
 * <p>Runs before authentication, like the server's own limit: a caller without a token can make
 * the service hold at most one body of its path's limit per connection (4 MiB only on the validate path).
 *
 * <p>HTTP/2 (cleartext upgrade) is the exception: the REST layer cannot take a body read before it on
 * an HTTP/2 stream (it pauses the ended stream and fails), so there the path's limit is handed to
 * the server's own streaming check, which counts the same bytes but answers a bare 413, after the
 * token has been checked.
 */
@ApplicationScoped
public class BodySizeLimit {

    static final String VALIDATE_PATH = "/api/v1/rules/validate";
    /** Routing-context key: the path's limit for a body the server's streaming check counts (HTTP/2). */
    private static final String STREAM_LIMIT = BodySizeLimit.class.getName() + ".stream-limit";
    private static final Logger LOG = Logger.getLogger(BodySizeLimit.class);

    private final long maxBytes;
    private final long maxCandidateBytes;
    private final String problem;
    private final String candidateProblem;

    public BodySizeLimit(TriageConfig config,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> serverLimit,
                         @ConfigProperty(name = "quarkus.rest.input-buffer-size") Optional<MemorySize> restBuffer) {
        this.maxBytes = config.http().maxBodySize().asLongValue();
        this.maxCandidateBytes = config.rules().maxCandidateSize().asLongValue();
        this.problem = tooLarge(maxBytes);
        this.candidateProblem = tooLarge(maxCandidateBytes);
        long needed = Math.max(maxBytes, maxCandidateBytes);
        if (serverLimit.isPresent() && serverLimit.get().asLongValue() < needed) {
            LOG.warnf("quarkus.http.limits.max-body-size (%d bytes) is below triage.http.max-body-size or"
                    + " triage.rules.max-candidate-size (%d bytes): larger bodies get the server's bare 413",
                    serverLimit.get().asLongValue(), needed);
        }
        if (restBuffer.isPresent() && restBuffer.get().asLongValue() < maxBytes) {
            // See application.properties: the REST layer mis-reads a handed-over body larger than its buffer.
            LOG.warnf("triage.http.max-body-size (%d bytes) is above quarkus.rest.input-buffer-size (%d bytes, fixed at"
                    + " build time): chunked triage bodies larger than the buffer will be refused as malformed",
                    maxBytes, restBuffer.get().asLongValue());
        }
    }

    private static String tooLarge(long limit) {
        return new Problem("about:blank", "Content Too Large", 413,
                "The request body is larger than " + limit + " bytes.", List.of()).toJson();
    }

    @RouteFilter(100)
    void limit(RoutingContext rc) {
        boolean candidate = VALIDATE_PATH.equals(rc.normalizedPath());
        long limit = candidate ? maxCandidateBytes : maxBytes;
        String body = candidate ? candidateProblem : problem;
        HttpServerRequest request = rc.request();
        String length = request.getHeader("Content-Length");
        if (length != null) {
            if (exceeds(length, limit)) {
                refuse(rc, body);
            } else {
                rc.next();
            }
            return;
        }
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD || request.isEnded()) {
            rc.next();
            return;
        }
        if (request.version() == HttpVersion.HTTP_2) {
            rc.put(STREAM_LIMIT, limit);
            rc.next();
            return;
        }
        readCounting(rc, limit, body);
    }

    /**
     * After the server's own limit handler, which sets its global limit on every request without a
     * Content-Length: an HTTP/2 body is then counted against its path's limit instead.
     */
    void streamingLimit(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(rc -> {
            Long limit = rc.get(STREAM_LIMIT);
            if (limit != null) {
                rc.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, limit);
            }
            rc.next();
        });
    }

    /** Reads a body of unknown length into the routing context, refusing it once it passes {@code limit}. */
    private static void readCounting(RoutingContext rc, long limit, String problem) {
        HttpServerRequest request = rc.request();
        Buffer received = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return; // the answer is out and the connection closes after it; the rest is dropped
            }
            if (received.length() + (long) chunk.length() > limit) {
                refused[0] = true;
                refuse(rc, problem);
                return;
            }
            received.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (!refused[0]) {
                rc.setBody(received);
                rc.next();
            }
        });
        if (request.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // The REST layer answers this when it reads a body itself; here the body is read first.
            rc.response().writeContinue();
        }
        request.resume();
    }

    private static void refuse(RoutingContext rc, String problem) {
        if (rc.response().headWritten()) {
            return;
        }
        rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close").end(problem);
    }

    private static boolean exceeds(String length, long limit) {
        try {
            return Long.parseLong(length.strip()) > limit;
        } catch (NumberFormatException e) {
            return false; // a malformed length is the HTTP server's to refuse
        }
    }
}
