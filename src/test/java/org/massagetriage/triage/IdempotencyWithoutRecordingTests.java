package org.massagetriage.triage;

import static org.hamcrest.Matchers.equalTo;
import static org.massagetriage.security.TestTokens.asClient;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * With recording off (benchmarks only) there is no store to hold a key, so a retry could not be
 * recognised: a key is refused with 501 rather than silently ignored, and requests without one
 * are answered as before.
 */
@QuarkusTest
@TestProfile(IdempotencyWithoutRecordingTests.RecordingOff.class)
class IdempotencyWithoutRecordingTests {

    public static class RecordingOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("triage.store.recording", "false");
        }
    }

    @Test
    void shouldRefuseAKeyWith501WhenNothingIsRecorded() {
        asClient().header("Idempotency-Key", "k-1").contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\"]}")
                .post("/api/v1/triage").then().statusCode(501).contentType("application/problem+json")
                .body("title", equalTo("Not Implemented"))
                .body("detail", equalTo("Decision recording is off in this deployment, so an Idempotency-Key cannot be"
                        + " honoured; send the request without it."))
                .body("errors", equalTo(List.of(Map.of("field", "Idempotency-Key",
                        "detail", "not supported while decisions are not recorded"))));
        asClient().contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\"]}").post("/api/v1/triage")
                .then().statusCode(200).body("outcome", equalTo("EMERGENCY")).header("Idempotent-Replayed", equalTo(null));
    }
}
