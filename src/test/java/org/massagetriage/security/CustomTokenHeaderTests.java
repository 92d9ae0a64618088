package org.massagetriage.security;

import static io.restassured.RestAssured.given;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Tokens taken from another header (mp.jwt.token.header), behind a gateway that adds the same
 * Authorization header to every request: that shared header must never become a key to the
 * identity of whichever token was verified beside it.
 */
@QuarkusTest
@TestProfile(CustomTokenHeaderTests.TokenHeader.class)
class CustomTokenHeaderTests {

    public static class TokenHeader implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.jwt.token.header", "X-Access-Token");
        }
    }

    static final String GATEWAY = "Basic Z2F0ZXdheTpnYXRld2F5";

    @Test
    void shouldNotTrustASharedAuthorizationHeaderAfterATokenWasVerifiedBesideIt() {
        given().header("X-Access-Token", TestTokens.valid(Roles.RULES_ADMIN)).header("Authorization", GATEWAY)
                .get("/api/v1/rules").then().statusCode(200);
        given().header("Authorization", GATEWAY).get("/api/v1/rules").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
