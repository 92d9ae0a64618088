package org.massagetriage.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.massagetriage.http.Problem;

/**
 * Every way a client can get a request wrong, over the real HTTP server. Each must be a 4xx
 * problem+json naming the offending field: a strict contract is what keeps a typo from becoming
 * "not asked", and "not asked" from becoming an answer.
 */
@QuarkusTest
class TriageRequestErrorsTests {

    private static final String INVALID = Problem.INVALID_REQUEST_TYPE;

    static ValidatableResponse post(String body) {
        return asClient().contentType(ContentType.JSON).body(body).when().post("/api/v1/triage").then();
    }

    static void assertInvalid(String body, List<Map<String, String>> errors) {
        post(body).statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(INVALID))
                .body("title", equalTo("Invalid request"))
                .body("status", equalTo(400))
                .body("errors", equalTo(errors));
    }

    static Map<String, String> error(String field, String detail) {
        return Map.of("field", field, "detail", detail);
    }

    /** Fields the contract does not know are refused, never ignored. */
    @Nested
    class UnknownFields {

        @Test
        void shouldRejectAMisspeltSymptomsFieldInsteadOfAnsweringSelfCare() {
            assertInvalid("{\"hoursSinceMassage\": 24, \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 2,"
                            + " \"trend\": \"IMPROVING\", \"symptom\": [\"FAINTING\"]}",
                    List.of(error("symptom", "unknown field; the known fields are [bodyRegion, history, hoursSinceMassage,"
                            + " painCharacter, painSeverity, symptoms, trend]")));
        }

        @Test
        void shouldRejectAnUnknownHistoryFlag() {
            assertInvalid("{\"history\": {\"recentSurgery\": true, \"smoker\": true}}",
                    List.of(error("history.smoker", "unknown field; the known fields are [chronicLowBackPain,"
                            + " preExistingCondition, recentSurgery, takesAnticoagulant, takesMedication]")));
        }
    }

    @Nested
    class DuplicateKeys {

        @Test
        void shouldRejectADuplicateTopLevelKey() {
            assertInvalid("{\"trend\": \"IMPROVING\", \"trend\": \"WORSENING\"}",
                    List.of(error("trend", "the field appears more than once; send each field once")));
        }

        @Test
        void shouldRejectADuplicateHistoryKey() {
            assertInvalid("{\"history\": {\"recentSurgery\": true, \"recentSurgery\": false}}",
                    List.of(error("history.recentSurgery", "the field appears more than once; send each field once")));
        }

        @Test
        void shouldRejectASymptomListedTwice() {
            assertInvalid("{\"symptoms\": [\"TINGLING\", \"TINGLING\"]}",
                    List.of(error("symptoms[1]", "TINGLING is listed more than once")));
        }
    }

    @Nested
    class OutOfRange {

        @ParameterizedTest
        @CsvSource({"hoursSinceMassage,-1,8760", "hoursSinceMassage,8761,8760", "painSeverity,-1,10",
                "painSeverity,11,10", "painSeverity,99999999999999999999,10"})
        void shouldRejectNumbersOutsideTheirRange(String field, String value, int max) {
            assertInvalid("{\"" + field + "\": " + value + "}", List.of(error(field, "must be from 0 to " + max)));
        }

        @ParameterizedTest
        @CsvSource({"painSeverity,7.5", "painSeverity,7.0", "painSeverity,1e400", "hoursSinceMassage,2.4e1"})
        void shouldRejectNumbersThatAreNotWhole(String field, String value) {
            String max = field.equals("painSeverity") ? "10" : "8760";
            assertInvalid("{\"" + field + "\": " + value + "}",
                    List.of(error(field, "must be a whole number from 0 to " + max)));
        }
    }

    @Nested
    class WrongTypesAndValues {

        @Test
        void shouldNotCoerceAStringToANumber() {
            assertInvalid("{\"painSeverity\": \"7\"}",
                    List.of(error("painSeverity", "must be a whole number from 0 to 10, not a string")));
        }

        @Test
        void shouldRejectAnUnknownEnumValueIncludingWrongCase() {
            assertInvalid("{\"trend\": \"improving\", \"painCharacter\": \"BURNING\", \"bodyRegion\": 3}", List.of(
                    error("painCharacter", "must be one of [DULL_ACHE, STIFFNESS, SHARP]"),
                    error("trend", "must be one of [IMPROVING, UNCHANGED, WORSENING]"),
                    error("bodyRegion", "must be one of [LOWER_BACK, UPPER_BACK, NECK, SHOULDERS, ARMS, LEGS, OTHER], not a number")));
        }

        @Test
        void shouldRejectSymptomsThatAreNotAnArray() {
            assertInvalid("{\"symptoms\": \"FAINTING\"}",
                    List.of(error("symptoms", "must be an array of symptoms ([] for none), not a string")));
        }

        @Test
        void shouldNameEveryBadSymptomByIndex() {
            String all = "[SWELLING, BRUISING, NUMBNESS, TINGLING, WEAKNESS, DIZZINESS, FAINTING, DIFFICULTY_MOVING,"
                    + " BOWEL_OR_BLADDER_CHANGE, ANXIETY_OR_DISTRESS, CHEST_PAIN_OR_BREATHLESSNESS, COUGHING_BLOOD,"
                    + " ONE_LEG_PAIN_AND_SWELLING, SADDLE_NUMBNESS, DIFFICULTY_PASSING_URINE_OR_INCONTINENCE, LOSS_OF_BOWEL_CONTROL,"
                    + " SYMPTOMS_IN_BOTH_LEGS, SUDDEN_SEVERE_HEADACHE, VISION_OR_SPEECH_PROBLEM, ONE_SIDED_WEAKNESS_OR_NUMBNESS,"
                    + " DARK_URINE, FEVER, LARGE_OR_SPREADING_BRUISE]";
            assertInvalid("{\"symptoms\": [\"FAINTING\", \"HEADACHE\", 4]}", List.of(
                    error("symptoms[1]", "must be one of " + all),
                    error("symptoms[2]", "must be one of " + all + ", not a number")));
        }

        @Test
        void shouldRejectHistoryThatIsNotAnObjectOfBooleans() {
            assertInvalid("{\"history\": {\"recentSurgery\": \"yes\", \"takesMedication\": 1}}", List.of(
                    error("history.recentSurgery", "must be true or false, not a string"),
                    error("history.takesMedication", "must be true or false, not a number")));
            assertInvalid("{\"history\": true}", List.of(error("history", "must be an object of booleans"
                    + " [chronicLowBackPain, preExistingCondition, recentSurgery, takesAnticoagulant, takesMedication], not a boolean")));
        }

        @Test
        void shouldRejectExplicitNullsAnywhere() {
            String mustNotBeNull = "must not be null; omit the field if it was not asked";
            assertInvalid("{\"trend\": null, \"symptoms\": [null], \"history\": {\"recentSurgery\": null}}", List.of(
                    error("trend", mustNotBeNull), error("symptoms[0]", mustNotBeNull),
                    error("history.recentSurgery", mustNotBeNull)));
        }

        @Test
        void shouldReportEveryErrorAtOnce() {
            assertInvalid("{\"hoursSinceMassage\": -5, \"painSeverity\": 12, \"extra\": 1}", List.of(
                    error("extra", "unknown field; the known fields are [bodyRegion, history, hoursSinceMassage,"
                            + " painCharacter, painSeverity, symptoms, trend]"),
                    error("hoursSinceMassage", "must be from 0 to 8760"),
                    error("painSeverity", "must be from 0 to 10")));
        }
    }

    /** Bodies that are not a single JSON object. */
    @Nested
    class Bodies {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"[]|an array", "\"text\"|a string", "42|a number", "null|null", "true|a boolean"})
        void shouldRejectABodyThatIsNotAnObject(String body, String what) {
            assertInvalid(body, List.of(error("$", "the request body must be a JSON object, not " + what)));
        }

        @Test
        void shouldRejectAnEmptyBody() {
            assertInvalid("", List.of(error("$", "the request body is empty; send a JSON object")));
            assertInvalid("  \n ", List.of(error("$", "the request body is empty; send a JSON object")));
        }

        @Test
        void shouldRejectMalformedJsonWithItsPosition() {
            assertInvalid("{\"trend\": ", List.of(error("$",
                    "malformed JSON at line 1, column 11: the body ends before the JSON is complete (an unclosed string, object or array)")));
        }

        @Test
        void shouldRejectContentAfterTheObject() {
            assertInvalid("{} {}", List.of(error("$", "malformed JSON at line 1, column 4: unexpected content after the JSON object")));
        }

        @Test
        void shouldRejectDeepNesting() {
            assertInvalid("[".repeat(100) + "]".repeat(100),
                    List.of(error("$", "the request body exceeds a limit: nested more than 16 levels deep")));
        }

        @Test
        void shouldRejectInvalidUtf8() {
            asClient().contentType(ContentType.JSON).body(new byte[] {'{', '"', 't', 'r', 'e', 'n', 'd', '"', ':', '"', (byte) 0xff, '"', '}'})
                    .when().post("/api/v1/triage")
                    .then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors", equalTo(List.of(error("$", "malformed JSON at line 1, column 12: the body is not valid UTF-8"))));
        }
    }

    /**
     * JSON the parser refuses: the body says what is wrong in plain words and where, never the
     * parser's own text, which names its classes and suggests switching on leniency
     * ({@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}). StrictJsonTests holds every kind; these
     * are the ones a client is most likely to send, over HTTP on both endpoints that read JSON.
     */
    @Nested
    class MalformedJson {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "{\"painSeverity\": 07}|malformed JSON at line 1, column 19: a number must not start with 0 (write 7, not 07)",
                "{\"painSeverity\": NaN}|malformed JSON at line 1, column 21: NaN and Infinity are not JSON numbers; send a number",
                "{'trend': 'IMPROVING'}|malformed JSON at line 1, column 2: strings and field names must be in double quotes, not single quotes",
                "{/* x */ \"trend\": \"IMPROVING\"}|malformed JSON at line 1, column 2: comments are not allowed in JSON",
                "{\"trend\": \"IMPRO\u0001VING\"}|malformed JSON at line 1, column 17: a control character (such as a line break or tab)"
                        + " inside a string must be escaped, for example \\n",
                "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]|the request body exceeds a limit: nested more than 16 levels deep"})
        void shouldDescribeTheProblemInPlainWordsWithoutParserInternals(String body, String detail) {
            String answer = post(body).statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(INVALID))
                    .body("title", equalTo("Invalid request"))
                    .body("status", equalTo(400))
                    .body("detail", equalTo("The request cannot be decided on as sent; see errors for each field to fix."))
                    .body("errors", equalTo(List.of(error("$", detail))))
                    .extract().asString();
            assertNoInternals(answer);
        }

        @Test
        void shouldDescribeAnUnescapedNewlineInAString() {
            assertInvalid("{\"trend\": \"IMPRO\nVING\"}", List.of(error("$", "malformed JSON at line 1, column 17: a control character"
                    + " (such as a line break or tab) inside a string must be escaped, for example \\n")));
        }

        /** The rules draft reader is the same parser with a larger string bound. */
        @Test
        void shouldDescribeMalformedRuleDraftsInPlainWords() {
            String answer = asRulesAdmin().contentType(ContentType.JSON).body("{\"files\": {\"a.drl\": NaN}}")
                    .post("/api/v1/rules/validate").then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo(INVALID))
                    .body("title", equalTo("Invalid request"))
                    .body("status", equalTo(400))
                    .body("errors", equalTo(List.of(error("$",
                            "malformed JSON at line 1, column 24: NaN and Infinity are not JSON numbers; send a number"))))
                    .extract().asString();
            assertNoInternals(answer);
        }

        private static void assertNoInternals(String answer) {
            for (String internal : StrictJsonTests.INTERNALS) {
                assertFalse(answer.contains(internal), () -> "names " + internal + ": " + answer);
            }
        }
    }

    @Nested
    class Http {

        @Test
        void shouldAnswer415ForAnotherContentType() {
            asClient().contentType(ContentType.TEXT).body("{}").when().post("/api/v1/triage")
                    .then().statusCode(415).contentType(Problem.MEDIA_TYPE)
                    .body("type", equalTo("about:blank"))
                    .body("title", equalTo("Unsupported Media Type"))
                    .body("status", equalTo(415));
        }

        @Test
        void shouldAnswer4xxProblemForAMalformedContentType() {
            asClient().header("Content-Type", "invalid/@@##").body("{}".getBytes()).when().post("/api/v1/triage")
                    .then().statusCode(org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.greaterThanOrEqualTo(400),
                            org.hamcrest.Matchers.lessThan(500)))
                    .contentType(Problem.MEDIA_TYPE);
        }

        @Test
        void shouldAnswer415WithoutAContentType() {
            asClient().body("{}".getBytes()).when().post("/api/v1/triage")
                    .then().statusCode(415).contentType(Problem.MEDIA_TYPE).body("status", equalTo(415));
        }

        @Test
        void shouldAnswer406WhenTheClientWillNotAcceptJson() {
            asClient().contentType(ContentType.JSON).accept(ContentType.XML).body("{}").when().post("/api/v1/triage")
                    .then().statusCode(406).contentType(Problem.MEDIA_TYPE).body("status", equalTo(406));
        }

        @Test
        void shouldAnswer405ForGet() {
            asClient().when().get("/api/v1/triage")
                    .then().statusCode(405).contentType(Problem.MEDIA_TYPE).body("title", equalTo("Method Not Allowed"));
        }

        @Test
        void shouldAnswer404AsProblem() {
            asClient().when().get("/api/v1/nothing-here")
                    .then().statusCode(404).contentType(Problem.MEDIA_TYPE).body("title", equalTo("Not Found"));
        }
    }
}
