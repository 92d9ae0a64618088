package org.massagetriage.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The verified-token cache over the real server: a remembered token keeps exactly its own roles,
 * and stops working at its expiry as it would without the cache. The verifier's clock skew is 1 s
 * here, so that "expired" is observable within the test.
 */
@QuarkusTest
@TestProfile(TokenCacheTests.OneSecondClockSkew.class)
class TokenCacheTests {

    public static class OneSecondClockSkew implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // 0 would mean "the default, 60 s" to SmallRye JWT; 1 s is the least it takes.
            return Map.of("mp.jwt.verify.clock.skew", "1");
        }
    }

    static final String FAINTING = "{\"symptoms\": [\"FAINTING\"]}";

    @Test
    void shouldRefuseARememberedTokenOnceItHasExpired() throws InterruptedException {
        Instant now = Instant.now();
        Instant expires = now.plusSeconds(3);
        String token = TestTokens.signed(TestTokens.claims(TestTokens.ISSUER, TestTokens.AUDIENCE,
                List.of(Roles.TRIAGE_CLIENT), now, expires));
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(FAINTING)
                    .post("/api/v1/triage").then().statusCode(200);
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()) + 2_500);
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON).body(FAINTING)
                .post("/api/v1/triage").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    }

    @Test
    void shouldKeepARememberedTokensRolesExactly() {
        String client = TestTokens.bearer(Roles.TRIAGE_CLIENT);
        for (int i = 0; i < 3; i++) {
            given().header("Authorization", client).post("/api/v1/rules/reload").then().statusCode(403);
            given().header("Authorization", client).get("/api/v1/decisions").then().statusCode(403);
            given().header("Authorization", client).contentType(ContentType.JSON).body(FAINTING)
                    .post("/api/v1/triage").then().statusCode(200);
        }
    }

    /**
     * The record's client columns are bounded: a valid token with a longer subject is refused with
     * 401, and must not fail the shared commit that other clients' decisions are in.
     */
    @Test
    void shouldRefuseASubjectTooLongToRecordWithoutHarmingOtherClients() {
        Instant now = Instant.now();
        String payload = TestTokens.claims(TestTokens.ISSUER, TestTokens.AUDIENCE, List.of(Roles.TRIAGE_CLIENT), now,
                now.plusSeconds(600)).replace("\"sub\":\"test-hostile\"", "\"sub\":\"" + "s".repeat(256) + "\"");
        given().header("Authorization", "Bearer " + TestTokens.signed(payload)).contentType(ContentType.JSON).body(FAINTING)
                .post("/api/v1/triage").then().statusCode(401).contentType("application/problem+json")
                .body("status", equalTo(401));
        TestTokens.asClient().contentType(ContentType.JSON).body(FAINTING).post("/api/v1/triage").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
