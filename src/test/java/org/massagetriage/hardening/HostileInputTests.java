package org.massagetriage.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A buggy or hostile client over the real HTTP server: every case must get a 4xx problem+json
 * (never a 5xx) within 1 s, and the server must stay healthy and keep answering correctly.
 */
@QuarkusTest
class HostileInputTests {

    @TestHTTPResource("/api/v1/triage")
    URI triage;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    static final List<String> TIMINGS = new ArrayList<>();
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Stream<Arguments> hostileBodies() {
        String[] fields = {"hoursSinceMassage", "painCharacter", "painSeverity", "trend", "symptoms", "bodyRegion", "history"};
        String[] wrongValues = {"\"text\"", "1.5", "true", "[]", "{}", "-1", "99999999999999999999999", "1e400", "null"};
        List<Arguments> cases = new ArrayList<>();
        for (String f : fields) {
            for (String v : wrongValues) {
                if ((f.equals("symptoms") && v.equals("[]")) || (f.equals("history") && v.equals("{}"))) {
                    continue; // valid
                }
                if ((f.equals("hoursSinceMassage") || f.equals("painSeverity")) && v.equals("-1")) {
                    cases.add(Arguments.of("out of range " + f, "{\"" + f + "\": -1}", "application/json"));
                    continue;
                }
                cases.add(Arguments.of("wrong type " + f + "=" + v, "{\"" + f + "\": " + v + "}", "application/json"));
            }
        }
        for (String h : new String[] {"chronicLowBackPain", "recentSurgery", "preExistingCondition", "takesMedication"}) {
            cases.add(Arguments.of("null history." + h, "{\"history\": {\"" + h + "\": null}}", "application/json"));
            cases.add(Arguments.of("string history." + h, "{\"history\": {\"" + h + "\": \"true\"}}", "application/json"));
        }
        cases.add(Arguments.of("null symptom", "{\"symptoms\": [null]}", "application/json"));
        cases.add(Arguments.of("nested null", "{\"symptoms\": [[null]]}", "application/json"));
        cases.add(Arguments.of("malformed: unclosed", "{\"trend\": \"IMPROVING\"", "application/json"));
        cases.add(Arguments.of("malformed: single quotes", "{'trend': 'IMPROVING'}", "application/json"));
        cases.add(Arguments.of("malformed: trailing comma", "{\"trend\": \"IMPROVING\",}", "application/json"));
        cases.add(Arguments.of("malformed: comment", "{/* x */ \"trend\": \"IMPROVING\"}", "application/json"));
        cases.add(Arguments.of("malformed: NaN", "{\"painSeverity\": NaN}", "application/json"));
        cases.add(Arguments.of("malformed: bare word", "hello", "application/json"));
        cases.add(Arguments.of("10,000-level nesting", "[".repeat(10_000) + "]".repeat(10_000), "application/json"));
        cases.add(Arguments.of("10,000-level object nesting", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), "application/json"));
        cases.add(Arguments.of("5 MB string", "{\"trend\": \"" + "A".repeat(5 * 1024 * 1024) + "\"}", "application/json"));
        cases.add(Arguments.of("60 KB string under the body limit", "{\"trend\": \"" + "A".repeat(60 * 1024) + "\"}", "application/json"));
        cases.add(Arguments.of("200,000-element array", "{\"symptoms\": [" + "\"FAINTING\",".repeat(199_999) + "\"FAINTING\"]}", "application/json"));
        cases.add(Arguments.of("5,000-element array under the body limit", "{\"symptoms\": [" + "1,".repeat(4_999) + "1]}", "application/json"));
        cases.add(Arguments.of("duplicate keys", "{\"trend\": \"IMPROVING\", \"trend\": \"WORSENING\"}", "application/json"));
        cases.add(Arguments.of("unknown field", "{\"symptom\": [\"FAINTING\"]}", "application/json"));
        cases.add(Arguments.of("huge number", "{\"painSeverity\": " + "9".repeat(5_000) + "}", "application/json"));
        cases.add(Arguments.of("empty body", "", "application/json"));
        cases.add(Arguments.of("wrong content type", "{}", "text/plain"));
        cases.add(Arguments.of("form content type", "trend=IMPROVING", "application/x-www-form-urlencoded"));
        cases.add(Arguments.of("xml content type", "<trend>IMPROVING</trend>", "application/xml"));
        cases.add(Arguments.of("missing content type", "{}", null));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void shouldRefuseWithA4xxProblemWithinOneSecond(String name, String body, String contentType) throws Exception {
        assertRefused(name, body.getBytes(StandardCharsets.UTF_8), contentType);
    }

    @Test
    void shouldRefuseInvalidUtf8() throws Exception {
        assertRefused("invalid UTF-8", new byte[] {'{', '"', 't', 'r', 'e', 'n', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
                "application/json");
        assertRefused("lone continuation byte", new byte[] {'{', '"', (byte) 0x80, '"', ':', '1', '}'}, "application/json");
        assertRefused("UTF-16 with BOM", "{\"trend\": \"IMPROVING\", \"x\": 1}".getBytes(StandardCharsets.UTF_16), "application/json");
    }

    private void assertRefused(String name, byte[] body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(triage).header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        long start = System.nanoTime();
        HttpResponse<String> sent;
        try {
            sent = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            // The server may answer 413 and close before a 5 MB upload is complete; the client then
            // sees the reset. Check that the refusal was a 413 by sending only the headers' length.
            sent = CLIENT.send(HttpRequest.newBuilder(triage).header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[70 * 1024])).build(), HttpResponse.BodyHandlers.ofString());
        }
        HttpResponse<String> r = sent;
        long millis = (System.nanoTime() - start) / 1_000_000;
        TIMINGS.add(name + ": " + r.statusCode() + " in " + millis + " ms");
        int status = r.statusCode();
        assertTrue(status >= 400 && status < 500, () -> name + " got " + status + ": " + r.body());
        Optional<String> type = r.headers().firstValue("Content-Type");
        assertEquals(Optional.of("application/problem+json"), type, name);
        assertEquals(status, JsonPath.from(r.body()).getInt("status"), name);
        assertTrue(millis < 1_000, () -> name + " took " + millis + " ms");
    }

    @AfterAll
    static void printTimings() {
        System.out.println("hostile input timings:\n  " + String.join("\n  ", TIMINGS));
    }

    @Test
    void shouldStayHealthyAndCorrectAfterwards() throws Exception {
        // Runs in any order with the cases above; JUnit runs the parameterized cases first by name order.
        HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        HttpResponse<String> ok = CLIENT.send(HttpRequest.newBuilder(triage).header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"symptoms\": [\"FAINTING\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ok.statusCode());
        assertEquals("EMERGENCY", JsonPath.from(ok.body()).getString("outcome"));
    }
}
