package org.massagetriage.audit;

import static io.restassured.RestAssured.given;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** Never a decision without a record: with the store unreachable, clients get 503 and no decision. */
@QuarkusTest
@TestProfile(StoreUnreachableTests.Unreachable.class)
class StoreUnreachableTests {

    /** Nothing listens on port 1: every connection is refused. */
    public static class Unreachable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("triage.store.jdbc-url", "jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=1",
                    "triage.store.retry-interval", "1s");
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterAndNoDecision() {
        asClient().contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\"]}").post("/api/v1/triage")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("status", equalTo(503))
                .body("detail", equalTo("Decisions cannot be recorded right now, so none is given; retry shortly."))
                .body("decisionId", equalTo(null))
                .body("outcome", equalTo(null));
    }

    @Test
    void shouldAnswer503ForAuditReads() {
        asAuditor().get("/api/v1/decisions").then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    void shouldNotBeReady() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'decision-store' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'decision-store' }.data.store", equalTo("PostgreSQL"))
                .body("checks.find { it.name == 'rules' }.status", equalTo("UP"));
    }

    @Test
    void shouldStillRejectABadRequestWith400() {
        asClient().contentType(ContentType.JSON).body("{\"symptom\": []}").post("/api/v1/triage").then().statusCode(400);
    }
}
