package org.massagetriage.api;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.massagetriage.security.TestTokens.asClient;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The {@code Idempotency-Key} header is checked like a request field: anything but 1 to 255 visible
 * ASCII characters is a 400 that names it, before anything is decided or recorded, and together with
 * the body's own errors. How keys are honoured is the stores' contract ({@code triage.IdempotentRetryContract}).
 */
@QuarkusTest
class IdempotencyKeyHeaderTests {

    static final String KEY_RULE = "must be visible ASCII characters (0x21 to 0x7E, no spaces); the character at position ";

    @TestHTTPResource("/")
    URI server;

    private static void assertKeyRefused(JsonPath problem, List<Map<String, String>> errors) {
        assertEquals("urn:massage-triage:problem:invalid-request", problem.getString("type"));
        assertEquals(400, problem.getInt("status"));
        assertEquals(errors, problem.getList("errors"));
    }

    /** The draft's structured-field form ("...") is a key like any other: quotes are visible ASCII. */
    @ParameterizedTest
    @ValueSource(strings = {"\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "!", "~a{b}[c]<d>|e\\f"})
    void shouldAcceptAnyVisibleAsciiKey(String key) {
        asClient().header("Idempotency-Key", key + "-" + System.nanoTime()).contentType(ContentType.JSON)
                .body("{\"symptoms\": [\"FAINTING\"]}").post("/api/v1/triage")
                .then().statusCode(200).body("outcome", equalTo("EMERGENCY"));
    }

    @Test
    void shouldRefuseASpaceInsideTheKey() {
        assertKeyRefused(asClient().header("Idempotency-Key", "retry 1").contentType(ContentType.JSON).body("{}")
                        .post("/api/v1/triage").then().statusCode(400).contentType("application/problem+json").extract().jsonPath(),
                List.of(Map.of("field", "Idempotency-Key", "detail", KEY_RULE + "6 is not")));
    }

    @Test
    void shouldRefuseAnEmptyKey() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(server, request("Idempotency-Key:\r\n", "{}"));
        assertEquals(400, answer.status(), answer.body());
        assertKeyRefused(JsonPath.from(answer.body()),
                List.of(Map.of("field", "Idempotency-Key", "detail", "must be 1 to 255 characters, not 0")));
    }

    @Test
    void shouldRefuseAKeyLongerThan255Characters() {
        asClient().header("Idempotency-Key", "k".repeat(255)).contentType(ContentType.JSON).body("{}").post("/api/v1/triage")
                .then().statusCode(200);
        assertKeyRefused(asClient().header("Idempotency-Key", "k".repeat(256)).contentType(ContentType.JSON).body("{}")
                        .post("/api/v1/triage").then().statusCode(400).extract().jsonPath(),
                List.of(Map.of("field", "Idempotency-Key", "detail", "must be 1 to 255 characters, not 256")));
    }

    @Test
    void shouldRefuseNonAsciiAndControlCharacters() throws Exception {
        byte[] head = ("POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + TestTokens.bearer(Roles.TRIAGE_CLIENT)
                + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\nIdempotency-Key: ab")
                .getBytes(StandardCharsets.ISO_8859_1);
        // UTF-8 'é' and a tab inside the value; other control characters (DEL, NUL) the HTTP server refuses itself.
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3, (byte) 0xA9}, new byte[] {0x09, 'x'})) {
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.writeBytes(head);
            request.writeBytes(bad);
            request.writeBytes("\r\n\r\n{}".getBytes(StandardCharsets.ISO_8859_1));
            RawHttp.Answer answer = RawHttp.exchange(server, request.toByteArray());
            assertEquals(400, answer.status(), answer.body());
            assertKeyRefused(JsonPath.from(answer.body()),
                    List.of(Map.of("field", "Idempotency-Key", "detail", KEY_RULE + "3 is not")));
        }
    }

    @Test
    void shouldRefuseTheHeaderSentTwice() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(server, request("Idempotency-Key: a\r\nIdempotency-Key: a\r\n", "{}"));
        assertEquals(400, answer.status(), answer.body());
        assertKeyRefused(JsonPath.from(answer.body()),
                List.of(Map.of("field", "Idempotency-Key", "detail", "must be sent once, not 2 times")));
    }

    @Test
    void shouldNameABadKeyTogetherWithTheBodysErrors() {
        assertKeyRefused(asClient().header("Idempotency-Key", "k".repeat(300)).contentType(ContentType.JSON)
                        .body("{\"painSeverity\": 11, \"symtoms\": []}").post("/api/v1/triage").then().statusCode(400).extract().jsonPath(),
                List.of(Map.of("field", "Idempotency-Key", "detail", "must be 1 to 255 characters, not 300"),
                        Map.of("field", "symtoms", "detail", "unknown field; the known fields are "
                                + "[bodyRegion, history, hoursSinceMassage, painCharacter, painSeverity, symptoms, trend]"),
                        Map.of("field", "painSeverity", "detail", "must be from 0 to 10")));
    }

    private static String request(String extraHeaders, String body) {
        return "POST /api/v1/triage HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + TestTokens.bearer(Roles.TRIAGE_CLIENT)
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n"
                + extraHeaders + "\r\n" + body;
    }
}
