package org.massagetriage.governance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.as;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.massagetriage.rules.RulesDirectory;
import org.massagetriage.security.Roles;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 15, section 4: with {@code triage.rules.approval=down-triage}, an edit that would answer
 * some case less urgently waits for a second clinician; the serving rules keep answering meanwhile.
 */
@QuarkusTest
@TestProfile(ApprovalTests.Profile.class)
class ApprovalTests {

    public static class Profile implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new HistoryProfiles.H2().getConfigOverrides());
            config.putAll(DIR.watchedQuickly());
            config.put("triage.rules.approval", "down-triage");
            return config;
        }
    }

    private static final RulesDirectory DIR = Profile.DIR;
    private static final String SEVERITY_7 = "{\"hoursSinceMassage\": 24, \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 7,"
            + " \"trend\": \"UNCHANGED\", \"symptoms\": [], \"bodyRegion\": \"LOWER_BACK\"}";
    private final Map<String, String> original = new HashMap<>();

    @BeforeEach
    void remember() {
        for (String f : List.of("thresholds.properties", "scenarios/contact-therapist.csv", "scenarios/self-care.csv")) {
            original.put(f, DIR.read(f));
        }
    }

    @AfterEach
    void restore() {
        JsonPath waiting = asRulesAdmin().get("/api/v1/rules/pending").then().extract().jsonPath();
        if (waiting.getString("version") != null) {
            asRulesAdmin().post("/api/v1/rules/pending/" + waiting.getString("version") + "/reject").then().statusCode(200);
        }
        original.forEach(DIR::write);
        JsonPath reload = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
        if ("PENDING_APPROVAL".equals(reload.getString("result"))) {
            as("restoring-clinician", Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + reload.getString("version") + "/approve")
                    .then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> DIR.version().equals(active()));
    }

    private static String active() {
        return asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().path("version");
    }

    /** severe-pain raised to {@code value} (7 -> 8: severity 7 goes from CONTACT_THERAPIST to SELF_CARE, a down-triage). */
    private static void severeFrom(int value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("severe-pain=(\\d+)").matcher(DIR.read("thresholds.properties"));
        m.find();
        String now = m.group(1);
        DIR.replace("thresholds.properties", "severe-pain=" + now, "severe-pain=" + value);
        DIR.replace("scenarios/contact-therapist.csv", "CT-02-severity-" + now + ",24,DULL_ACHE," + now + ",",
                "CT-02-severity-" + value + ",24,DULL_ACHE," + value + ",");
        DIR.replace("scenarios/contact-therapist.csv", "CT-02-severity-" + now + "-at-73h,73,DULL_ACHE," + now + ",",
                "CT-02-severity-" + value + "-at-73h,73,DULL_ACHE," + value + ",");
    }

    private static String outcome(String body) {
        return asClient().contentType(ContentType.JSON).body(body).post("/api/v1/triage").then().statusCode(200)
                .extract().path("outcome");
    }

    @Test
    void shouldHoldADownTriagingFileEditUntilASecondClinicianApprovesIt() {
        String serving = active();
        severeFrom(8);
        String candidate = DIR.version();
        await().atMost(Duration.ofSeconds(60)).until(() -> asRulesAdmin().get("/api/v1/rules/pending").statusCode() == 200);
        asRulesAdmin().get("/api/v1/rules").then().body("version", equalTo(serving))
                .body("lastReload.result", equalTo("PENDING_APPROVAL"))
                .body("lastReload.version", equalTo(candidate))
                .body("lastReload.impact.downTriage", equalTo(true));
        assertEquals("CONTACT_THERAPIST", outcome(SEVERITY_7), "the serving rules keep answering");
        asRulesAdmin().get("/q/health/ready").then().statusCode(200);
        assertTrue(asRulesAdmin().get("/q/metrics").asString().contains("triage_rules_pending 1.0"));
        JsonPath pending = asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(200).extract().jsonPath();
        assertEquals(candidate, pending.getString("version"));
        assertEquals(serving, pending.getString("activeVersion"));
        assertEquals("FILE_CHANGE", pending.getString("trigger"));
        assertTrue(pending.getInt("impact.generated.downTriage") >= 2);
        assertEquals(false, pending.getBoolean("impact.recordedUnavailable"));
        assertEquals(List.of("scenarios/contact-therapist.csv", "thresholds.properties"), pending.getList("diff.files.path"));
        assertEquals(List.of("CT-02", "SC-01"), pending.getList("diff.rules.id"));

        asRulesAdmin().contentType(ContentType.JSON).body("{\"comment\": \"7 is moderate per Palos 2006\"}")
                .post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(200)
                .body("result", equalTo("ACCEPTED")).body("trigger", equalTo("APPROVAL")).body("version", equalTo(candidate));
        assertEquals(candidate, active());
        assertEquals("SELF_CARE", outcome(SEVERITY_7));
        asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(404);
        assertTrue(asRulesAdmin().get("/q/metrics").asString().contains("triage_rules_pending 0.0"));
        await().atMost(Duration.ofSeconds(60)).until(() -> asAuditor().get("/api/v1/rulesets/" + candidate).statusCode() == 200);
        JsonPath stored = asAuditor().get("/api/v1/rulesets/" + candidate).then().extract().jsonPath();
        Map<String, Object> activation = stored.getMap("activations[-1]");
        assertEquals("APPROVAL", activation.get("trigger"));
        assertEquals("test-rules-admin", activation.get("approvedBy"));
        assertEquals("7 is moderate per Palos 2006", activation.get("approvalComment"));
        assertEquals(serving, activation.get("previousVersion"));
    }

    @Test
    void shouldNotLetTheSubmitterApproveTheirOwnApiReload() {
        severeFrom(8);
        String candidate = DIR.version();
        JsonPath reload = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
        assertEquals("PENDING_APPROVAL", reload.getString("result"));
        asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(200).body("requestedBy", equalTo("test-rules-admin"));
        asRulesAdmin().post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("Rule set " + candidate + " was submitted by test-rules-admin; a second clinician approves it"));
        as("second-clinician", Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(200)
                .body("result", equalTo("ACCEPTED"));
        await().atMost(Duration.ofSeconds(60)).until(() -> asAuditor().get("/api/v1/rulesets/" + candidate).statusCode() == 200);
        Map<String, Object> activation = asAuditor().get("/api/v1/rulesets/" + candidate).then().extract().jsonPath()
                .getMap("activations[-1]");
        assertEquals("second-clinician", activation.get("approvedBy"));
        assertEquals("test-rules-admin", activation.get("requestedBy"));
        // An auditor may read, never decide.
        asAuditor().post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(403);
    }

    @Test
    void shouldReplaceAWaitingCandidateWithANewerEditAndRejectIt() {
        String serving = active();
        severeFrom(8);
        await().atMost(Duration.ofSeconds(60)).until(() -> asRulesAdmin().get("/api/v1/rules/pending").statusCode() == 200);
        String first = DIR.version();
        DIR.write("thresholds.properties", DIR.read("thresholds.properties") + "# a second thought\n");
        String second = DIR.version();
        await().atMost(Duration.ofSeconds(60)).until(() -> second.equals(
                asRulesAdmin().get("/api/v1/rules/pending").then().extract().path("version")));
        asRulesAdmin().post("/api/v1/rules/pending/" + first + "/approve").then().statusCode(404)
                .body("detail", equalTo("No rule set " + first + " waits for approval; " + second + " does"));
        asRulesAdmin().contentType(ContentType.JSON).body("{\"comment\": \"no\", \"extra\": 1}")
                .post("/api/v1/rules/pending/" + second + "/reject").then().statusCode(400).body("errors[0].field", equalTo("comment"));
        asRulesAdmin().post("/api/v1/rules/pending/" + second + "/reject").then().statusCode(200).body("result", equalTo("REJECTED"));
        asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(404);
        assertEquals(serving, active());
    }

    /** An author who takes the edit back withdraws it: nobody can approve what is no longer on disk. */
    @Test
    void shouldWithdrawAWaitingCandidateWhenTheFilesGoBack() {
        severeFrom(8);
        String candidate = DIR.version();
        await().atMost(Duration.ofSeconds(60)).until(() -> asRulesAdmin().get("/api/v1/rules/pending").statusCode() == 200);
        original.forEach(DIR::write);
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).body("result", equalTo("UNCHANGED"));
        asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(404);
        as("second-clinician", Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(404);
    }

    @Test
    void shouldActivateAnEditThatDownTriagesNothingAtOnce() {
        DIR.write("thresholds.properties", DIR.read("thresholds.properties").replace("normal-soreness-hours=72", "normal-soreness-hours=48"));
        DIR.write("scenarios/self-care.csv", DIR.read("scenarios/self-care.csv").replace("SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,"));
        String candidate = DIR.version();
        await().atMost(Duration.ofSeconds(60)).until(() -> candidate.equals(active()));
        asRulesAdmin().get("/api/v1/rules").then().body("lastReload.result", equalTo("ACCEPTED"))
                .body("lastReload.impact.downTriage", equalTo(false));
    }
}
