package org.massagetriage.api;

import static org.massagetriage.security.TestTokens.asClient;
import static org.hamcrest.Matchers.emptyIterable;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

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
            "ASK_BEFORE_PAIN_RELIEVERS", "EXPECT_RESOLUTION_IN_1_TO_3_DAYS", "SEEK_HELP_IF_NOT_SETTLING");
    static final List<String> SAFETY_NET_ADVICE = List.of("ANSWER_MISSING_QUESTIONS", "CONTACT_THERAPIST_PROMPTLY",
            "KEEP_SORENESS_JOURNAL", "HYDRATE", "AVOID_STRENUOUS_ACTIVITY");
    static final Map<String, Object> ARTICLE = article();

    private static Map<String, Object> article() {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put("id", "article");
        m.put("title", "One Body LDN (London), article on back soreness after massage: Main Takeaways; Normal vs Concerning"
                + " Soreness; How to Relieve DOMS; When to Contact Your Therapist; FAQ");
        m.put("url", null);
        m.put("strength", "ARTICLE");
        m.put("note", "The only source of the first rules; kept in the workplace as shared/source/000_45661bbd591f141d.txt."
                + " A clinic's marketing article, not guidance.");
        return m;
    }

    static final String NORMAL = """
            {"hoursSinceMassage": 24, "painCharacter": "DULL_ACHE", "painSeverity": 3, "trend": "UNCHANGED",
             "symptoms": [], "bodyRegion": "LOWER_BACK",
             "history": {"chronicLowBackPain": false, "recentSurgery": false, "preExistingCondition": false, "takesMedication": false,
                         "takesAnticoagulant": false}}
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
                .body("reasons.ruleId", equalTo(List.of("SC-01", "ADV-01", "ADV-08", "ADV-09")))
                .body("reasons[0].rule", equalTo("SC-01 Mild dull ache or stiffness within 72 hours, not worsening, no symptoms"
                        + " -> self-care"))
                .body("reasons[0].outcome", equalTo("SELF_CARE"))
                .body("reasons[0].advice", emptyIterable())
                .body("reasons[0].source", matchesPattern("\\[article\\] Normal vs Concerning Soreness: .*dull ache or mild stiffness.*"))
                .body("reasons[0].citations", equalTo(List.of(ARTICLE)))
                .body("reasons[1].outcome", nullValue())
                .body("reasons[1].advice", equalTo(SELF_CARE_ADVICE.subList(0, 9)))
                .body("reasons[2].advice", equalTo(List.of("EXPECT_RESOLUTION_IN_1_TO_3_DAYS")))
                .body("reasons[3].advice", equalTo(List.of("SEEK_HELP_IF_NOT_SETTLING")))
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
                .body("advice", equalTo(SAFETY_NET_ADVICE))
                .body("reasons.ruleId", equalTo(List.of("SN-01", "ADV-11", "ADV-02", "MF-01", "MF-02", "MF-03", "MF-04", "MF-05",
                        "MF-06", "MF-07", "MF-08", "MF-09", "MF-11")))
                .body("missingFacts", equalTo(List.of("hoursSinceMassage", "painCharacter", "painSeverity", "trend", "symptoms",
                        "bodyRegion", "history.takesAnticoagulant")));
    }

    @Test
    void shouldAnswerUrgentAssessmentForSharpPainAndAskWhatCouldStillMakeItAnEmergency() {
        asClient().contentType(ContentType.JSON).body("{\"painCharacter\": \"SHARP\"}")
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("URGENT_ASSESSMENT"))
                .body("urgency", equalTo(2))
                .body("advice", equalTo(List.of("SEEK_URGENT_ASSESSMENT", "REPORT_ALL_SYMPTOMS", "AVOID_STRENUOUS_ACTIVITY")))
                .body("reasons.ruleId", equalTo(List.of("UA-01", "ADV-03", "MF-01", "MF-06", "MF-07", "MF-08", "MF-09", "MF-11")))
                // a red flag, or sharp severe back pain on a blood thinner (RF-17), would make it an emergency
                .body("missingFacts", equalTo(List.of("painSeverity", "symptoms", "bodyRegion", "history.takesAnticoagulant")));
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
                .body("reasons.ruleId", equalTo(List.of("RF-02", "UA-01", "UA-07", "CT-04", "ADV-04", "ADV-05", "ADV-06")))
                .body("reasons.outcome", equalTo(java.util.Arrays.asList("EMERGENCY", "URGENT_ASSESSMENT",
                        "URGENT_ASSESSMENT", "CONTACT_THERAPIST", null, null, null)))
                .body("missingFacts", emptyIterable());
    }

    /** Clinical content 1.1: a rule beyond the article carries its registered sources beside the quote. */
    @Test
    void shouldAnswerEmergencyForNumbnessInTheNeckWithTheCitations() {
        asClient().contentType(ContentType.JSON)
                .body("{\"hoursSinceMassage\": 24, \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 3,"
                        + " \"trend\": \"UNCHANGED\", \"symptoms\": [\"NUMBNESS\"], \"bodyRegion\": \"NECK\"}")
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("EMERGENCY"))
                .body("advice", equalTo(List.of("SEEK_MEDICAL_ATTENTION_IMMEDIATELY", "REPORT_ALL_SYMPTOMS")))
                .body("reasons.ruleId", equalTo(List.of("RF-14", "UA-05", "ADV-04")))
                .body("reasons[0].citations.id", equalTo(List.of("yin-2014", "neck-massage-stroke-2018", "fast-stroke")))
                .body("reasons[0].citations[0].url", equalTo("https://www.hindawi.com/journals/ecam/2014/480956/"))
                .body("reasons[0].citations[0].strength", equalTo("SYSTEMATIC_REVIEW"))
                .body("reasons[0].citations[1].url", nullValue())
                .body("reasons[0].citations[1].strength", equalTo("CASE_REPORT"))
                .body("reasons[0].source", matchesPattern("\\[yin-2014\\] .*vertebral arteries.*"))
                .body("missingFacts", emptyIterable());
    }

    /** A history flag that can change the outcome is asked for by its path; the answer is then used. */
    @Test
    void shouldAskWhetherALargeBruiseComesWithABloodThinner() {
        String bruise = "{\"hoursSinceMassage\": 24, \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 3, \"trend\": \"UNCHANGED\","
                + " \"symptoms\": [\"LARGE_OR_SPREADING_BRUISE\"], \"bodyRegion\": \"UPPER_BACK\"%s}";
        asClient().contentType(ContentType.JSON).body(bruise.formatted(""))
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("URGENT_ASSESSMENT"))
                .body("reasons.ruleId", equalTo(List.of("UA-10", "ADV-03", "MF-08")))
                .body("missingFacts", equalTo(List.of("history.takesAnticoagulant")));
        // A booking system written before the flag existed sends the others only: still asked.
        asClient().contentType(ContentType.JSON).body(bruise.formatted(", \"history\": {\"takesMedication\": true,"
                        + " \"recentSurgery\": false}"))
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("URGENT_ASSESSMENT"))
                .body("advice", equalTo(List.of("SEEK_URGENT_ASSESSMENT", "REPORT_ALL_SYMPTOMS", "AVOID_STRENUOUS_ACTIVITY",
                        "INFORM_THERAPIST_OF_HISTORY")))
                .body("reasons.ruleId", equalTo(List.of("UA-10", "ADV-03", "ADV-06", "MF-08")))
                .body("missingFacts", equalTo(List.of("history.takesAnticoagulant")));
        asClient().contentType(ContentType.JSON).body(bruise.formatted(", \"history\": {\"takesAnticoagulant\": true}"))
                .when().post("/api/v1/triage")
                .then().statusCode(200)
                .body("outcome", equalTo("EMERGENCY"))
                .body("advice", equalTo(List.of("SEEK_MEDICAL_ATTENTION_IMMEDIATELY", "REPORT_ALL_SYMPTOMS",
                        "INFORM_THERAPIST_OF_HISTORY")))
                .body("reasons.ruleId", equalTo(List.of("RF-16", "UA-10", "ADV-04", "ADV-06")))
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
