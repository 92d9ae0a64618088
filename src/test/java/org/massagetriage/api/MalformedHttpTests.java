package org.massagetriage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;
import org.massagetriage.http.Problem;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Requests malformed at the HTTP level, sent over a plain socket because HTTP client libraries will
 * not send them. Each gets an exact problem+json answer, and none writes an ERROR line: a client's
 * mistake is not an incident for the operator, and an unauthenticated stranger must not be able to
 * fill the error log with stack traces.
 */
@QuarkusTest
class MalformedHttpTests {

    @TestHTTPResource("/")
    URI server;

    static void assertProblem(RawHttp.Answer answer, int status, String title, String detail) {
        assertEquals(status, answer.status(), answer::toString);
        assertEquals(Problem.MEDIA_TYPE, answer.header("Content-Type"), answer::toString);
        JsonPath body = JsonPath.from(answer.body());
        assertEquals("about:blank", body.getString("type"));
        assertEquals(title, body.getString("title"));
        assertEquals(status, body.getInt("status"));
        assertEquals(detail, body.getString("detail"));
        assertEquals(List.of(), body.getList("errors"));
    }

    /** Before, {@code Content-Type:} with an empty value failed media-type parsing: 500 and a stack trace. */
    @Nested
    class UnreadableContentType {

        @ParameterizedTest(name = "Content-Type: \"{0}\"")
        @ValueSource(strings = {"", " ", ";", "/", "application/", "/json"})
        void shouldAnswer415WithoutLoggingAnError(String contentType) throws Exception {
            try (ErrorLogCapture log = ErrorLogCapture.open()) {
                RawHttp.Answer answer = RawHttp.exchange(server, "POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: " + TestTokens.bearer(Roles.TRIAGE_CLIENT) + "\r\n"
                        + "Content-Type:" + contentType + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                assertProblem(answer, 415, "Unsupported Media Type", "Send the request body as application/json.");
                assertEquals(List.of(), log.errors());
            }
        }

        @Test
        void shouldAnswer415AlsoWithoutAToken() throws Exception {
            try (ErrorLogCapture log = ErrorLogCapture.open()) {
                RawHttp.Answer answer = RawHttp.exchange(server, "POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type:\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
                assertProblem(answer, 415, "Unsupported Media Type", "Send the request body as application/json.");
                assertEquals(List.of(), log.errors());
            }
        }
    }

    @Nested
    class RequestLine {

        /**
         * HTTP/2 is never spoken in HTTP/1 text; such a request without a Host has no authority, which
         * the HTTP layer refuses before routing. Before, the framework logged that at ERROR and
         * answered with its own JSON naming the exception.
         */
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"GET /api/v1/vocabulary HTTP/2.0", "GET /q/health/live HTTP/2.0", "POST /api/v1/triage HTTP/2.0"})
        void shouldAnswer400ForAnHttp2RequestLineInTextWithoutLoggingAnError(String requestLine) throws Exception {
            try (ErrorLogCapture log = ErrorLogCapture.open()) {
                RawHttp.Answer answer = RawHttp.exchange(server, requestLine + "\r\n\r\n");
                assertProblem(answer, 400, "Bad Request", "The request cannot be served.");
                assertEquals(List.of(), log.errors());
            }
        }
    }

    @Nested
    class ChunkedBody {

        /** Before, the server's own limit answered a bare 413 and two ERROR stack traces followed. */
        @Test
        void shouldAnswer413ProblemForAChunkedTriageBodyOverTheLimitWithoutToken() throws Exception {
            try (ErrorLogCapture log = ErrorLogCapture.open()) {
                RawHttp.Answer answer = RawHttp.exchange(server, RawHttp.concat("POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", RawHttp.chunked(70 * 1024, false)));
                assertProblem(answer, 413, "Content Too Large", "The request body is larger than 65536 bytes.");
                assertEquals("close", answer.header("Connection"));
                assertEquals(List.of(), log.errors());
            }
        }

        @Test
        void shouldAnswer413ProblemForAChunkedTriageBodyOverTheLimitWithAToken() throws Exception {
            try (ErrorLogCapture log = ErrorLogCapture.open()) {
                RawHttp.Answer answer = RawHttp.exchange(server, RawHttp.concat("POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: " + TestTokens.bearer(Roles.TRIAGE_CLIENT) + "\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", RawHttp.chunked(70 * 1024, false)));
                assertProblem(answer, 413, "Content Too Large", "The request body is larger than 65536 bytes.");
                assertEquals(List.of(), log.errors());
            }
        }
    }
}
