package org.massagetriage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.massagetriage.security.TestTokens.asClient;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The examples in the OpenAPI document are real: each request is sent to the running service with
 * the real rules, and its answer must equal the documented one in everything but the decision's
 * id, time and rule-set version. A rule edit that changes an answer fails here until the example
 * is updated.
 */
@QuarkusTest
class OpenApiExamplesTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Example(String name, String request, int status, String response) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Example> EXAMPLES = List.of(
            new Example("SELF_CARE", OpenApiExamples.SELF_CARE_REQUEST, 200, OpenApiExamples.SELF_CARE_RESPONSE),
            new Example("CONTACT_THERAPIST", OpenApiExamples.CONTACT_THERAPIST_REQUEST, 200,
                    OpenApiExamples.CONTACT_THERAPIST_RESPONSE),
            new Example("URGENT_ASSESSMENT", OpenApiExamples.URGENT_ASSESSMENT_REQUEST, 200,
                    OpenApiExamples.URGENT_ASSESSMENT_RESPONSE),
            new Example("EMERGENCY", OpenApiExamples.EMERGENCY_REQUEST, 200, OpenApiExamples.EMERGENCY_RESPONSE),
            new Example("safety net", OpenApiExamples.SAFETY_NET_REQUEST, 200, OpenApiExamples.SAFETY_NET_RESPONSE),
            new Example("misspelt field", "{\"symptom\": []}", 400, OpenApiExamples.INVALID));

    @ParameterizedTest(name = "{0}")
    @FieldSource("EXAMPLES")
    void shouldAnswerExactlyAsDocumented(Example example) throws Exception {
        String body = asClient().contentType(ContentType.JSON).body(example.request()).post("/api/v1/triage")
                .then().statusCode(example.status()).extract().asString();
        assertEquals(comparable(JSON.readTree(example.response())), comparable(JSON.readTree(body)));
    }

    /** Without what differs by design between two answers: id, time, and the version of the rule files. */
    private static JsonNode comparable(JsonNode answer) {
        if (answer instanceof ObjectNode o) {
            for (String volatileField : List.of("decisionId", "evaluatedAt", "ruleset")) {
                o.remove(volatileField);
            }
        }
        return answer;
    }
}
