package org.massagetriage.governance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.massagetriage.security.TestTokens.asClient;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Behind the approval gate, a start whose rule-set history cannot be read serves nothing: the files
 * on disk may be an edit that waits for approval, and only the history knows what was released.
 * (Before, such a start served the files on disk: a down-triaging edit could go live unapproved.)
 */
@QuarkusTest
@TestProfile(ApprovalWithoutHistoryTests.StoreDown.class)
class ApprovalWithoutHistoryTests {

    public static class StoreDown implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(DIR.watchedQuickly());
            config.put("triage.rules.approval", "down-triage");
            config.put("triage.rules.on-invalid-at-start", "wait");
            config.put("triage.store.jdbc-url", "jdbc:postgresql://127.0.0.1:1/test?user=postgres&connectTimeout=1");
            return config;
        }
    }

    @Test
    void shouldServeNothingWhileTheHistoryCannotSayWhatWasReleased() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'rules' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'rules' }.data.lastReload", startsWith("REJECTED STARTUP"))
                .body("checks.find { it.name == 'rules' }.data.lastReloadDiagnostics", equalTo(1));
        asClient().contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\"]}").post("/api/v1/triage")
                .then().statusCode(503).contentType("application/problem+json");
    }
}
