package org.massagetriage.ops;

import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.massagetriage.security.TestTokens.asClient;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With {@code on-invalid-at-start=wait}, a service whose rules cannot be loaded at start-up stays
 * up but not ready, answers 503, and becomes ready once a clinician fixes the files.
 */
@QuarkusTest
@TestProfile(NotReadyWithoutRulesTests.BrokenRules.class)
class NotReadyWithoutRulesTests {

    static final RulesDirectory DIR = RulesDirectory.copyOfFixture();
    static final String GOOD = DIR.read("contact-therapist.drl");

    public static class BrokenRules implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            DIR.write("contact-therapist.drl", GOOD.replace("painSeverity >= $severe", "painScore >= $severe"));
            return Map.of("triage.rules.directory", DIR.root().toString(),
                    "triage.rules.on-invalid-at-start", "wait",
                    "triage.rules.debounce", "50ms",
                    "triage.rules.poll-interval", "200ms");
        }
    }

    @Test
    void shouldBeNotReadyAndRefuseDecisionsUntilTheRulesAreFixed() throws InterruptedException {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'rules' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'rules' }.data.lastReload", org.hamcrest.Matchers.startsWith("REJECTED STARTUP"));
        given().get("/q/health/live").then().statusCode(200);
        asClient().contentType(ContentType.JSON).body("{}").post("/api/v1/triage")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5");

        DIR.write("contact-therapist.drl", GOOD);
        await("ready after the fix").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        asClient().contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\"]}").post("/api/v1/triage")
                .then().statusCode(200).body("outcome", equalTo("EMERGENCY"));
    }
}
