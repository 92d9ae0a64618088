package org.massagetriage.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Health, metrics and the API description closed by configuration ({@code quarkus.http.auth.permission.management.policy}
 * and {@code ...api-description.policy=authenticated}):
 * they are guarded on the router, not by a REST endpoint, and must still refuse with problem+json
 * and the Bearer challenge, and serve any valid token.
 */
@QuarkusTest
@TestProfile(ClosedManagementTests.Closed.class)
class ClosedManagementTests {

    public static class Closed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.management.policy", "authenticated",
                    "quarkus.http.auth.permission.api-description.policy", "authenticated");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health/ready", "/q/health/live", "/q/metrics", "/q/openapi"})
    void shouldRefuseWithoutATokenAsProblemJson(String path) {
        given().get(path).then().statusCode(401).contentType("application/problem+json")
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("WWW-Authenticate", "Bearer").body("status", equalTo(401))
                .body("detail", equalTo("Send a bearer token: Authorization: Bearer <token>."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/q/health/ready", "/q/metrics"})
    void shouldRefuseAnUnsignedTokenAsProblemJson(String path) {
        given().header("Authorization", "Bearer " + TestTokens.unsigned("{\"sub\":\"x\",\"groups\":[\"auditor\"]}"))
                .get(path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").body("status", equalTo(401));
    }

    /** Any valid token opens them: probes and scrapers get their own client identity, no clinical role. */
    @ParameterizedTest
    @ValueSource(strings = {"/q/health/ready", "/q/metrics", "/q/openapi"})
    void shouldServeAValidTokenOfAnyRole(String path) {
        given().header("Authorization", TestTokens.bearer()).get(path).then().statusCode(200);
    }
}
