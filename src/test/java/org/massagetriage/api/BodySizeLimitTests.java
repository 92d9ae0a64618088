package org.massagetriage.api;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Body limits per path, with and without Content-Length: 64 KiB for triage and everything else,
 * 4 MiB for a rules draft on the validate path. Chunked bodies are counted as they arrive, so
 * both ways of sending a body meet the same limit and the same 413 problem+json.
 */
@QuarkusTest
class BodySizeLimitTests {

    static final int LIMIT = 64 * 1024;
    static final int CANDIDATE_LIMIT = 4 * 1024 * 1024;
    static final String TOO_LARGE = "The request body is larger than 65536 bytes.";
    static final String DRAFT_TOO_LARGE = "The request body is larger than 4194304 bytes.";

    @TestHTTPResource("/")
    URI server;

    static String header(String requestLine, String role, String framing) {
        return requestLine + "\r\nHost: localhost\r\nAuthorization: " + TestTokens.bearer(role)
                + "\r\nContent-Type: application/json\r\n" + framing + "\r\n";
    }

    /** A triage body of exactly {@code size} bytes: one over-long string, so a body within the limit gets a 400. */
    static byte[] triageBodyOf(int size) {
        String body = "{\"trend\": \"" + "x".repeat(size - 13) + "\"}";
        assertEquals(size, body.length());
        return body.getBytes(StandardCharsets.US_ASCII);
    }

    static void assertTooLarge(RawHttp.Answer answer, String detail) {
        MalformedHttpTests.assertProblem(answer, 413, "Content Too Large", detail);
        assertEquals("close", answer.header("Connection"));
    }

    @Nested
    class Triage {

        @Test
        void shouldRefuseOneByteOverTheLimitFromContentLengthAlone() throws Exception {
            assertTooLarge(RawHttp.exchange(server, header("POST /api/v1/triage HTTP/1.1", Roles.TRIAGE_CLIENT,
                    "Content-Length: " + (LIMIT + 1) + "\r\n")), TOO_LARGE);
        }

        @Test
        void shouldRefuseOneByteOverTheLimitSentChunked() throws Exception {
            assertTooLarge(RawHttp.exchange(server, RawHttp.concat(header("POST /api/v1/triage HTTP/1.1", Roles.TRIAGE_CLIENT,
                    "Transfer-Encoding: chunked\r\n"), RawHttp.chunked(LIMIT + 1, false))), TOO_LARGE);
        }

        @Test
        void shouldReadABodyOfExactlyTheLimitSentChunked() throws Exception {
            RawHttp.Answer answer = RawHttp.exchange(server, RawHttp.concat(header("POST /api/v1/triage HTTP/1.1", Roles.TRIAGE_CLIENT,
                    "Transfer-Encoding: chunked\r\nConnection: close\r\n"), RawHttp.chunked(triageBodyOf(LIMIT), true)));
            assertEquals(400, answer.status(), answer::toString);
            assertEquals(List.of(Map.of("field", "$", "detail", "the request body exceeds a limit: a string is longer than 1000 characters")),
                    JsonPath.from(answer.body()).getList("errors"));
        }

        @Test
        void shouldReadABodyOfExactlyTheLimitWithContentLength() throws Exception {
            RawHttp.Answer answer = RawHttp.exchange(server, RawHttp.concat(header("POST /api/v1/triage HTTP/1.1", Roles.TRIAGE_CLIENT,
                    "Content-Length: " + LIMIT + "\r\nConnection: close\r\n"), triageBodyOf(LIMIT)));
            assertEquals(400, answer.status(), answer::toString);
            assertEquals(List.of(Map.of("field", "$", "detail", "the request body exceeds a limit: a string is longer than 1000 characters")),
                    JsonPath.from(answer.body()).getList("errors"));
        }

        /** A chunked triage body is still decided on: the REST layer reads what the limit has read. */
        @Test
        void shouldDecideOnAChunkedRequest() throws Exception {
            RawHttp.Answer answer = RawHttp.exchange(server, RawHttp.concat(header("POST /api/v1/triage HTTP/1.1", Roles.TRIAGE_CLIENT,
                    "Transfer-Encoding: chunked\r\nConnection: close\r\n"),
                    RawHttp.chunked("{\"symptoms\": [\"FAINTING\"]}".getBytes(StandardCharsets.US_ASCII), true)));
            assertEquals(200, answer.status(), answer::toString);
            assertEquals("EMERGENCY", JsonPath.from(answer.body()).getString("outcome"));
        }
    }

    /** Only the validate path takes more: the rules reload path keeps 64 KiB. */
    @Nested
    class OtherPaths {

        @Test
        void shouldKeepTheSmallLimitOnTheReloadPath() throws Exception {
            assertTooLarge(RawHttp.exchange(server, header("POST /api/v1/rules/reload HTTP/1.1", Roles.RULES_ADMIN,
                    "Content-Length: " + (LIMIT + 1) + "\r\n")), TOO_LARGE);
            assertTooLarge(RawHttp.exchange(server, RawHttp.concat(header("POST /api/v1/rules/reload HTTP/1.1", Roles.RULES_ADMIN,
                    "Transfer-Encoding: chunked\r\n"), RawHttp.chunked(LIMIT + 1, false))), TOO_LARGE);
        }
    }

    /**
     * An HTTP/2 stream (cleartext upgrade) without a length cannot be read ahead of the REST layer,
     * so there the server's own streaming check applies the path's limit, with its bare 413.
     */
    @Nested
    class Http2 {

        HttpResponse<String> postStreamed(HttpClient client, byte[] body) throws Exception {
            return client.send(HttpRequest.newBuilder(server.resolve("/api/v1/triage"))
                    .header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void shouldKeepTheTriageLimitOnAnHttp2StreamWithoutALength() throws Exception {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
            HttpResponse<String> upgrade = client.send(HttpRequest.newBuilder(server.resolve("/q/health/live")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(HttpClient.Version.HTTP_2, upgrade.version());

            HttpResponse<String> small = postStreamed(client, "{\"symptoms\": [\"FAINTING\"]}".getBytes(StandardCharsets.US_ASCII));
            assertEquals(HttpClient.Version.HTTP_2, small.version());
            assertEquals(200, small.statusCode(), small.body());
            assertEquals("EMERGENCY", JsonPath.from(small.body()).getString("outcome"));

            try (ErrorLogCapture log = ErrorLogCapture.open()) {
                HttpResponse<String> large = postStreamed(client, triageBodyOf(LIMIT + 1));
                assertEquals(413, large.statusCode(), large.body());
                assertEquals(List.of(), log.errors());
            }
        }
    }

    @Nested
    class Validate {

        /** The rules directory as a draft, with a 1 MiB comment in one file: a draft far over 64 KiB that is valid. */
        static byte[] oneMebibyteDraft() throws IOException {
            Map<String, String> files = new TreeMap<>();
            Path dir = Path.of("rules");
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".drl") || name.endsWith(".csv") || name.endsWith(".properties")) {
                        files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                    }
                }
            }
            files.put("self-care.drl", files.get("self-care.drl") + "\n// " + "x".repeat(1024 * 1024) + "\n");
            byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("files", files));
            assertTrue(body.length > 1024 * 1024 && body.length < CANDIDATE_LIMIT, () -> "draft of " + body.length + " bytes");
            return body;
        }

        @Test
        void shouldCheckAOneMebibyteDraftInsteadOfRefusingIt() throws Exception {
            asRulesAdmin().contentType(ContentType.JSON).body(oneMebibyteDraft()).post("/api/v1/rules/validate").then()
                    .statusCode(200)
                    .body("valid", equalTo(true))
                    .body("diagnostics", empty());
        }

        @Test
        void shouldCheckAOneMebibyteDraftSentChunked() throws Exception {
            RawHttp.Answer answer = RawHttp.exchange(server, RawHttp.concat(header("POST /api/v1/rules/validate HTTP/1.1", Roles.RULES_ADMIN,
                    "Transfer-Encoding: chunked\r\nConnection: close\r\n"), RawHttp.chunked(oneMebibyteDraft(), true)));
            assertEquals(200, answer.status(), answer::toString);
            assertEquals(true, JsonPath.from(answer.body()).getBoolean("valid"));
            assertEquals(List.of(), JsonPath.from(answer.body()).getList("diagnostics"));
        }

        @Test
        void shouldRefuseADraftOverTheCandidateLimitFromContentLengthAlone() throws Exception {
            assertTooLarge(RawHttp.exchange(server, header("POST /api/v1/rules/validate HTTP/1.1", Roles.RULES_ADMIN,
                    "Content-Length: " + (CANDIDATE_LIMIT + 1) + "\r\n")), DRAFT_TOO_LARGE);
        }

        @Test
        void shouldRefuseADraftOverTheCandidateLimitSentChunked() throws Exception {
            assertTooLarge(RawHttp.exchange(server, RawHttp.concat(header("POST /api/v1/rules/validate HTTP/1.1", Roles.RULES_ADMIN,
                    "Transfer-Encoding: chunked\r\n"), RawHttp.chunked(CANDIDATE_LIMIT + 1, false))), DRAFT_TOO_LARGE);
        }
    }
}
