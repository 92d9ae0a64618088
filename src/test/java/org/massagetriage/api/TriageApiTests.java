package org.massagetriage.api;

import static org.massagetriage.security.TestTokens.asClient;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The v1 contract over the real HTTP server and the real rule files: one presentation per outcome,
 * each answer asserted whole (outcome, urgency, exact advice in order, rules, missing facts).
 */
@QuarkusTest
class TriageApiTests {

    static final List<String> SELF_CARE_ADVICE = List.of("HYDRATE", "APPLY_GENTLE_HEAT", "EPSOM_SALT_BATH",
            "GENTLE_STRETCHING", "LIGHT_MOVEMENT", "AVOID_STRENUOUS_ACTIVITY", "FOAM_ROLLING", "ANTI_INFLAMMATORY_FOODS",
            "ASK_BEFORE_PAIN_RELIEVERS", "EXPECT_RESOLUTION_IN_1_TO_3_DAYS");
    static final List<String> CONTACT_ADVICE = List.of("CONTACT_THERAPIST_PROMPTLY", "KEEP_SORENESS_JOURNAL", "HYDRATE",
            "AVOID_STRENUOUS_ACTIVITY");

    static final String NORMAL = """
            {"hoursSinceMassage": 24, "painCharacter": "DULL_ACHE", "painSeverity": 3, "trend": "UNCHANGED",
             "symptoms": [], "bodyRegion": "LOWER_BACK",
             "history": {"chronicLowBackPain": false, "recentSurgery": false, "preExistingCondition": false, "takesMedication": false}}
            """;

    @Test
    void shouldAnswerSelfCareForConfirmedNormalSoreness() {
        asClient().contentType(ContentType.JSON).body(NORMAL)
                .when().post("/api/v1/triage")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("decisionId", matchesPattern("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"))
                .body("evaluatedAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"))
                .body("outcome", equalTo("SELF_CARE"))
                .body("urgency", equalTo(0))
                .body("advice", equalTo(SELF_CARE_ADVICE))
                .body("reasons.ruleId", equalTo(List.of("SC-01", "ADV-01")))
                .body("reasons[0].rule", equalTo("SC-01 Mild dull ache or stiffness, not worsening, no symptoms -> self-care"))
                .body("reasons[0].outcome", equalTo("SELF_CARE"))
                .body("reasons[0].advice", emptyIterable())
                .body("reasons[0].source", matchesPattern("Normal vs Concerning Soreness: .*dull ache or mild stiffness.*"))
                .body("reasons[1].outcome", nullValue())
                .body("reasons[1].advice", equalTo(SELF_CARE_ADVICE))
                .body("missingFacts", emptyIterable())
                .body("ruleset.version", matchesPattern("sha256:[0-9a-f]{16}"))
                .body("ruleset.loadedAt", matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z"));
    }

    @Test
    void shouldAskForEveryConfirmingFactWhenNothingIsKnown() {
        asClient().contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("CONTACT_THERAPIST"))
                .body("urgency", equalTo(1))
                .body("advice", equalTo(CONTACT_ADVICE))
                .body("reasons.ruleId", equalTo(List.of("SN-01", "ADV-02", "MF-01", "MF-02", "MF-03", "MF-04", "MF-05")))
                .body("missingFacts", contains("hoursSinceMassage", "painCharacter", "painSeverity", "trend", "symptoms"));
    }

    @Test
    void shouldAnswerUrgentAssessmentForSharpPainAndAskOnlyAboutSymptoms() {
        asClient().contentType(ContentType.JSON).body("{\"painCharacter\": \"SHARP\"}")
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("URGENT_ASSESSMENT"))
                .body("urgency", equalTo(2))
                .body("advice", equalTo(List.of("SEEK_URGENT_ASSESSMENT", "REPORT_ALL_SYMPTOMS", "AVOID_STRENUOUS_ACTIVITY")))
                .body("reasons.ruleId", equalTo(List.of("UA-01", "ADV-03", "MF-01")))
                .body("missingFacts", equalTo(List.of("symptoms")));
    }

    @Test
    void shouldLetARedFlagWinOverEverythingElse() {
        asClient().contentType(ContentType.JSON)
                .body("{\"painCharacter\": \"SHARP\", \"symptoms\": [\"TINGLING\", \"FAINTING\", \"ANXIETY_OR_DISTRESS\"],"
                        + " \"history\": {\"takesMedication\": true}}")
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("EMERGENCY"))
                .body("urgency", equalTo(3))
                .body("advice", equalTo(List.of("SEEK_MEDICAL_ATTENTION_IMMEDIATELY", "REPORT_ALL_SYMPTOMS",
                        "DISCUSS_FEELINGS_WITH_THERAPIST", "INFORM_THERAPIST_OF_HISTORY")))
                .body("reasons.ruleId", equalTo(List.of("RF-02", "UA-01", "CT-03", "CT-04", "ADV-04", "ADV-05", "ADV-06")))
                .body("reasons.outcome", equalTo(java.util.Arrays.asList("EMERGENCY", "URGENT_ASSESSMENT",
                        "CONTACT_THERAPIST", "CONTACT_THERAPIST", null, null, null)))
                .body("missingFacts", emptyIterable());
    }

    @Test
    void shouldAcceptJsonWithACharset() {
        asClient().contentType("application/json; charset=UTF-8").body(NORMAL)
                .when().post("/api/v1/triage")
                .then().statusCode(200).body("outcome", equalTo("SELF_CARE"));
    }

    @Test
    void shouldGiveEveryDecisionItsOwnId() {
        String first = asClient().contentType(ContentType.JSON).body(NORMAL).post("/api/v1/triage").path("decisionId");
        String second = asClient().contentType(ContentType.JSON).body(NORMAL).post("/api/v1/triage").path("decisionId");
        org.junit.jupiter.api.Assertions.assertNotEquals(first, second);
    }
}
