package org.massagetriage.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every endpoint, as every role, with every kind of token: missing, expired, from the wrong issuer,
 * for the wrong audience, unsigned ({@code alg: none}), HMAC-signed with the public key, signed by
 * an untrusted key, not a JWT, without a subject, with a subject that cannot name a caller (empty,
 * blank, a newline, NUL, DEL), and valid. Only a valid token with an allowed
 * role gets through; every refusal is problem+json with nothing internal in it.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityMatrixTests {

    /** A valid token whose groups claim holds none of the service's roles. */
    static final String NO_ROLE = "no-role";
    static final List<String> CALLERS = List.of(Roles.TRIAGE_CLIENT, Roles.RULES_ADMIN, Roles.AUDITOR, NO_ROLE);

    enum Token {
        NONE, EXPIRED, WRONG_ISSUER, WRONG_AUDIENCE, ALG_NONE, HS256_WITH_PUBLIC_KEY, UNTRUSTED_KEY, NOT_A_JWT,
        NO_SUBJECT, EMPTY_SUBJECT, BLANK_SUBJECT, NEWLINE_IN_SUBJECT, NUL_IN_SUBJECT, DEL_IN_SUBJECT, VALID
    }

    /**
     * @param allowed the roles that may call it; null means open to anyone, token or not
     * @param success the status a permitted call gets
     */
    record Endpoint(String method, String path, String body, Set<String> allowed, int success, String contentType) {
        Endpoint(String method, String path, String body, Set<String> allowed, int success) {
            this(method, path, body, allowed, success, method.equals("PUT") ? "text/plain" : "application/json");
        }

        @Override
        public String toString() {
            return method + " " + path + (contentType.equals("application/fhir+json") ? " (FHIR)" : "");
        }
    }

    /** A recorded decision for the by-id endpoint; made on first use (the server is up only then). */
    private String decisionId;

    private String decisionId() {
        if (decisionId == null) {
            decisionId = TestTokens.asClient().contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\"]}")
                    .post("/api/v1/triage").then().statusCode(200).extract().path("decisionId");
        }
        return decisionId;
    }

    /** The serving rule set, once the history has it (written off the rules thread after start-up). */
    private String storedVersion;

    private String storedVersion() {
        if (storedVersion == null) {
            String version = TestTokens.asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().path("version");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> TestTokens.asAuditor().get("/api/v1/rulesets/" + version).statusCode() == 200);
            storedVersion = version;
        }
        return storedVersion;
    }

    /** A FHIR check-in reporting fainting, the twin of the JSON body above. */
    static final String FHIR_CHECK_IN = """
            {"resourceType": "QuestionnaireResponse", "status": "completed",
             "questionnaire": "urn:massage-triage:Questionnaire:post-massage-check-in",
             "item": [{"linkId": "symptoms", "answer": [{"valueCoding":
                 {"system": "urn:massage-triage:CodeSystem:post-massage-check-in", "code": "FAINTING"}}]}]}""";

    Stream<Arguments> matrix() {
        List<Endpoint> endpoints = List.of(
                new Endpoint("POST", "/api/v1/triage", "{\"symptoms\": [\"FAINTING\"]}", Set.of(Roles.TRIAGE_CLIENT), 200),
                new Endpoint("POST", "/api/v1/triage", FHIR_CHECK_IN, Set.of(Roles.TRIAGE_CLIENT), 200, "application/fhir+json"),
                new Endpoint("GET", "/api/v1/vocabulary", null, Set.of(Roles.TRIAGE_CLIENT, Roles.RULES_ADMIN, Roles.AUDITOR), 200),
                new Endpoint("GET", "/fhir/Questionnaire/post-massage-check-in", null,
                        Set.of(Roles.TRIAGE_CLIENT, Roles.RULES_ADMIN, Roles.AUDITOR), 200),
                new Endpoint("GET", "/fhir/CodeSystem/post-massage-check-in", null,
                        Set.of(Roles.TRIAGE_CLIENT, Roles.RULES_ADMIN, Roles.AUDITOR), 200),
                new Endpoint("GET", "/api/v1/rules", null, Set.of(Roles.RULES_ADMIN), 200),
                new Endpoint("POST", "/api/v1/rules/reload", null, Set.of(Roles.RULES_ADMIN), 200),
                new Endpoint("POST", "/api/v1/rules/validate", "{\"files\": {}}", Set.of(Roles.RULES_ADMIN), 200),
                new Endpoint("GET", "/api/v1/decisions/{id}", null, Set.of(Roles.AUDITOR), 200),
                new Endpoint("GET", "/api/v1/decisions", null, Set.of(Roles.AUDITOR), 200),
                new Endpoint("POST", "/api/v1/decisions/{id}/replay", null, Set.of(Roles.AUDITOR, Roles.RULES_ADMIN), 200),
                new Endpoint("GET", "/api/v1/rulesets", null, Set.of(Roles.RULES_ADMIN, Roles.AUDITOR), 200),
                new Endpoint("POST", "/api/v1/rules/simulate", "{\"facts\": {\"symptoms\": [\"FAINTING\"]}}",
                        Set.of(Roles.RULES_ADMIN), 200),
                new Endpoint("GET", "/api/v1/rules/files", null, Set.of(Roles.RULES_ADMIN), 200),
                new Endpoint("GET", "/api/v1/rules/files/thresholds.properties", null, Set.of(Roles.RULES_ADMIN), 200),
                // These rules are the repository's own: the role check comes first, then no such file.
                new Endpoint("PUT", "/api/v1/rules/files/no-such-file.drl", "rule", Set.of(Roles.RULES_ADMIN), 404),
                // Nothing waits for approval in this profile: the role check comes first, then 404.
                new Endpoint("GET", "/api/v1/rules/pending", null, Set.of(Roles.RULES_ADMIN), 404),
                new Endpoint("POST", "/api/v1/rules/pending/sha256:0000000000000000/approve", null, Set.of(Roles.RULES_ADMIN), 404),
                new Endpoint("POST", "/api/v1/rules/pending/sha256:0000000000000000/reject", null, Set.of(Roles.RULES_ADMIN), 404),
                new Endpoint("GET", "/api/v1/rulesets/{version}", null, Set.of(Roles.RULES_ADMIN, Roles.AUDITOR), 200),
                new Endpoint("GET", "/api/v1/rulesets/{version}/diff?against={version}", null,
                        Set.of(Roles.RULES_ADMIN, Roles.AUDITOR), 200),
                // Off in this profile: the role check still comes first, and then there is nothing there.
                new Endpoint("POST", "/api/v1/bench/baseline", "{}", Set.of(Roles.TRIAGE_CLIENT), 404),
                new Endpoint("GET", "/q/health/ready", null, null, 200),
                new Endpoint("GET", "/q/metrics", null, null, 200),
                new Endpoint("GET", "/q/openapi", null, null, 200));
        List<Arguments> cases = new ArrayList<>();
        for (Endpoint e : endpoints) {
            for (String caller : CALLERS) {
                for (Token t : Token.values()) {
                    cases.add(Arguments.of(e, caller, t, expected(e, caller, t)));
                }
            }
        }
        return cases.stream();
    }

    static int expected(Endpoint e, String caller, Token token) {
        if (e.allowed() == null) {
            return e.success();
        }
        if (token != Token.VALID) {
            return 401;
        }
        return e.allowed().contains(caller) ? e.success() : 403;
    }

    @ParameterizedTest(name = "{0} as {1} with {2} token -> {3}")
    @MethodSource("matrix")
    void shouldAnswerExactlyAsTheRoleAndTokenAllow(Endpoint endpoint, String caller, Token token, int expected) {
        RequestSpecification request = given();
        String header = authorization(caller, token);
        if (header != null) {
            request.header("Authorization", header);
        }
        if (endpoint.body() != null) {
            request.contentType(endpoint.contentType()).body(endpoint.body());
        }
        String path = endpoint.path().replace("{id}", decisionId()).replace("{version}", storedVersion());
        Response response = switch (endpoint.method()) {
            case "GET" -> request.get(path);
            case "PUT" -> request.put(path);
            default -> request.post(path);
        };

        assertEquals(expected, response.statusCode(), response.asString());
        if (expected == 401 || expected == 403) {
            assertEquals("application/problem+json", response.contentType());
            assertEquals(expected, response.jsonPath().getInt("status"));
            String body = response.asString();
            for (String internal : List.of("Exception", "\tat ", "jose4j", "smallrye", "quarkus", "Caused by")) {
                assertFalse(body.contains(internal), "error body names internals: " + body);
            }
        }
        if (expected == 401) {
            String challenge = response.header("WWW-Authenticate");
            assertEquals(token == Token.NONE ? "Bearer" : "Bearer error=\"invalid_token\"", challenge);
        }
        if (path.startsWith("/api/")) {
            assertEquals("nosniff", response.header("X-Content-Type-Options"));
            assertEquals("no-store", response.header("Cache-Control"));
            assertEquals("DENY", response.header("X-Frame-Options"));
            assertTrue(response.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        }
    }

    /** Booking systems call server to server; no browser page elsewhere may call with a user's token. */
    @Test
    void shouldNotAllowCrossOriginCalls() {
        Response preflight = given().header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "authorization")
                .options("/api/v1/triage");
        assertNull(preflight.header("Access-Control-Allow-Origin"), preflight.headers().toString());
        Response call = TestTokens.asClient().header("Origin", "https://elsewhere.example").contentType(ContentType.JSON)
                .body("{}").post("/api/v1/triage");
        assertEquals(200, call.statusCode());
        assertNull(call.header("Access-Control-Allow-Origin"), call.headers().toString());
    }

    /** The Authorization header for a caller with the given roles and kind of token; null for none. */
    static String authorization(String caller, Token token) {
        List<String> roles = caller.equals(NO_ROLE) ? List.of() : List.of(caller);
        Instant now = Instant.now();
        String good = TestTokens.claims(TestTokens.ISSUER, TestTokens.AUDIENCE, roles, now, now.plus(Duration.ofMinutes(10)));
        return switch (token) {
            case NONE -> null;
            case VALID -> "Bearer " + TestTokens.signed(good);
            // Beyond the 60 s clock skew the verifier allows.
            case EXPIRED -> "Bearer " + TestTokens.signed(TestTokens.claims(TestTokens.ISSUER, TestTokens.AUDIENCE, roles,
                    now.minus(Duration.ofHours(2)), now.minus(Duration.ofMinutes(10))));
            case WRONG_ISSUER -> "Bearer " + TestTokens.signed(TestTokens.claims("https://issuer.elsewhere.example",
                    TestTokens.AUDIENCE, roles, now, now.plus(Duration.ofMinutes(10))));
            case WRONG_AUDIENCE -> "Bearer " + TestTokens.signed(TestTokens.claims(TestTokens.ISSUER, "another-service",
                    roles, now, now.plus(Duration.ofMinutes(10))));
            case ALG_NONE -> "Bearer " + TestTokens.unsigned(good);
            case HS256_WITH_PUBLIC_KEY -> "Bearer " + TestTokens.hs256WithPublicKey(good);
            case UNTRUSTED_KEY -> "Bearer " + TestTokens.signedByOtherKey(good);
            case NOT_A_JWT -> "Bearer not.a-jwt";
            case NO_SUBJECT -> "Bearer " + TestTokens.signed(good.replace("\"sub\":\"test-hostile\",", ""));
            case EMPTY_SUBJECT -> "Bearer " + TestTokens.signed(TestTokens.withSubject(good, ""));
            case BLANK_SUBJECT -> "Bearer " + TestTokens.signed(TestTokens.withSubject(good, " \t "));
            case NEWLINE_IN_SUBJECT -> "Bearer " + TestTokens.signed(TestTokens.withSubject(good, "client\ndecision forged"));
            case NUL_IN_SUBJECT -> "Bearer " + TestTokens.signed(TestTokens.withSubject(good, "client\u0000"));
            case DEL_IN_SUBJECT -> "Bearer " + TestTokens.signed(TestTokens.withSubject(good, "client\u007f"));
        };
    }
}
