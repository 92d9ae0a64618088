package org.massagetriage.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * The CDS Hooks paths behind the one HTTP authentication mechanism: CDS client tokens open the CDS
 * service and its feedback (and nothing of the v1 API), v1 bearer tokens keep the v1 API (and open no
 * CDS path), discovery is open. The endpoints themselves are not here yet: an authenticated request
 * to them gets whatever the router answers for a missing endpoint (404 or 405), which the endpoint
 * tests will pin; here only "not 401 and not 403" matters.
 */
@QuarkusTest
@TestProfile(CdsClientsProfile.class)
class CdsClientAuthenticationTests {

    static final String SERVICE_PATH = "/cds-services/post-massage-soreness-triage";
    static final String FEEDBACK_PATH = SERVICE_PATH + "/feedback";
    static final String MISSING = "Send a bearer token: Authorization: Bearer <token>.";
    static final String INVALID = "The bearer token is not valid for this service (signature, issuer, audience or expiry).";
    static final String FORBIDDEN = "The token is valid but its roles do not allow this request.";

    static final CdsTestClient CLIENT = CdsClientsProfile.CLIENT;

    /** The service's URL as this test calls it: no base URL is configured, so the request's own. */
    static String serviceUrl() {
        return "http://localhost:" + RestAssured.port + SERVICE_PATH;
    }

    static ValidatableResponse postFeedback(String authorization) {
        var request = given().contentType(ContentType.JSON).body("{\"feedback\": []}");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.post(FEEDBACK_PATH).then();
    }

    static void assertUnauthorized(ValidatableResponse response, String detail, String challenge) {
        response.statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", challenge)
                .body("type", equalTo("about:blank")).body("title", equalTo("Unauthorized")).body("status", equalTo(401))
                .body("detail", equalTo(detail));
    }

    @Test
    void shouldRefuseFeedbackWithoutAToken() {
        assertUnauthorized(postFeedback(null), MISSING, "Bearer");
    }

    @Test
    void shouldRefuseTheServiceWithoutAToken() {
        assertUnauthorized(given().contentType(ContentType.JSON).body("{}").post(SERVICE_PATH).then(), MISSING, "Bearer");
    }

    @Test
    void shouldRefuseFeedbackWithABadToken() {
        assertUnauthorized(postFeedback("Bearer not-a-jwt"), INVALID, "Bearer error=\"invalid_token\"");
        var stranger = CdsTestClient.generate("EC");
        assertUnauthorized(postFeedback("Bearer " + CLIENT.token().audience(serviceUrl())
                .signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, stranger.getPrivate(), CdsTestClient.EC_KID)
                .sign()), INVALID, "Bearer error=\"invalid_token\"");
    }

    /**
     * A token made for another service of ours is not for this service; one made for the feedback URL
     * itself is good for the feedback (a client may read "the endpoint being called" literally), and only there.
     */
    @Test
    void shouldRefuseATokenForAnotherUrl() {
        postFeedback("Bearer " + CLIENT.es384(serviceUrl() + "/feedback")).statusCode(400); // through: the empty list is refused
        assertUnauthorized(given().header("Authorization", "Bearer " + CLIENT.es384(serviceUrl() + "/feedback"))
                .contentType(ContentType.JSON).body("{}").post(SERVICE_PATH).then(), INVALID, "Bearer error=\"invalid_token\"");
        assertUnauthorized(given().header("Authorization", "Bearer " + CLIENT.es384(serviceUrl()))
                .contentType(ContentType.JSON).body("{}").post("/cds-services/another-service").then(),
                INVALID, "Bearer error=\"invalid_token\"");
    }

    /**
     * A v1 bearer token is no credential on the CDS paths: 401 like any token of an unknown issuer
     * (the CDS paths trust only the CDS clients' keys).
     */
    @Test
    void shouldRefuseAV1BearerTokenOnTheCdsPaths() {
        assertUnauthorized(postFeedback(TestTokens.bearer(Roles.TRIAGE_CLIENT)), INVALID, "Bearer error=\"invalid_token\"");
        assertUnauthorized(given().header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT, Roles.CDS_CLIENT))
                .contentType(ContentType.JSON).body("{}").post(SERVICE_PATH).then(), INVALID, "Bearer error=\"invalid_token\"");
    }

    @Test
    void shouldLetAValidCdsTokenThroughToFeedbackAndTheService() {
        // The aud of feedback is the service's URL (CDS Hooks 2.0). Through authentication, the bodies are
        // read and refused as what they are: an empty feedback list, a call without its fields.
        postFeedback("Bearer " + CLIENT.es384(serviceUrl())).statusCode(400);
        given().header("Authorization", "Bearer " + CLIENT.token().audience(serviceUrl())
                .signedWith(AlgorithmIdentifiers.RSA_USING_SHA384, CLIENT.rsa.getPrivate(), CdsTestClient.RSA_KID).sign())
                .contentType(ContentType.JSON).body("{}").post(SERVICE_PATH).then().statusCode(400);
    }

    @Test
    void shouldLetTheClientConfiguredByPemKeyThrough() {
        String token = CLIENT.token().audience(serviceUrl()).claims(c -> c.setIssuer(CdsTestClient.PEM_ISSUER))
                .signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, CLIENT.pemClient.getPrivate(), null).sign();
        postFeedback("Bearer " + token).statusCode(400);
    }

    /** One token, one request: the second use is a replay (no verified-token cache on these paths). */
    @Test
    void shouldRefuseAReplayedToken() {
        String token = "Bearer " + CLIENT.es384(serviceUrl());
        postFeedback(token).statusCode(400); // through authentication: the empty list is refused
        assertUnauthorized(postFeedback(token), INVALID, "Bearer error=\"invalid_token\"");
    }

    /** Open without a token, and with any token: a CDS client may send its own along, a stranger a bad one. */
    @Test
    void shouldLeaveDiscoveryOpen() {
        given().get("/cds-services").then().statusCode(200);
        given().header("Authorization", "Bearer " + CLIENT.es384(serviceUrl())).get("/cds-services").then().statusCode(200);
        given().header("Authorization", "Bearer not-a-jwt").get("/cds-services").then().statusCode(200);
    }

    /** A CDS client is known, but the v1 API is not for it: 403, and its token is not spent. */
    @Test
    void shouldRefuseAValidCdsTokenOnTheV1Api() {
        String token = "Bearer " + CLIENT.es384(serviceUrl());
        given().header("Authorization", token).get("/api/v1/vocabulary").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("about:blank")).body("title", equalTo("Forbidden"))
                .body("status", equalTo(403)).body("detail", equalTo(FORBIDDEN));
        given().header("Authorization", token).contentType(ContentType.JSON).body("{}").post("/api/v1/triage").then().statusCode(403);
        postFeedback(token).statusCode(400); // not spent: still good for the CDS path
    }

    /** An invalid CDS token on the v1 API is an invalid token, as before. */
    @Test
    void shouldRefuseAnExpiredCdsTokenOnTheV1ApiAs401() {
        String token = CLIENT.token().audience(serviceUrl()).expiresIn(java.time.Duration.ofMinutes(-5)).sign();
        assertUnauthorized(given().header("Authorization", "Bearer " + token).get("/api/v1/vocabulary").then(),
                INVALID, "Bearer error=\"invalid_token\"");
    }

    @Test
    void shouldServeTheV1ApiToItsBearerTokensUnchanged() {
        TestTokens.asClient().get("/api/v1/vocabulary").then().statusCode(200);
        given().get("/api/v1/vocabulary").then().statusCode(401).body("detail", equalTo(MISSING));
    }
}
