package org.massagetriage.governance;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.massagetriage.rules.RulesDirectory;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 15, section 3: a candidate's impact on the decisions the service has recorded and on
 * generated boundary cases, counted exactly on constructed edits of the frozen fixture. One test
 * method, in a store of its own: the recorded counts are exactly the decisions made here.
 */
abstract class ImpactContract {

    abstract RulesDirectory dir();

    private static String decide(String body) {
        return asClient().contentType(ContentType.JSON).body(body).post("/api/v1/triage").then().statusCode(200)
                .extract().path("decisionId");
    }

    private static String normal(int hours, int severity) {
        return "{\"hoursSinceMassage\": " + hours + ", \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": " + severity
                + ", \"trend\": \"UNCHANGED\", \"symptoms\": [], \"bodyRegion\": \"LOWER_BACK\"}";
    }

    /** The whole directory as a validate request sends it, with these files replaced. */
    private Map<String, Object> candidate(Map<String, String> edits) {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir().root())) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = dir().root().relativize(p).toString().replace('\\', '/');
                if (rel.endsWith(".drl") || rel.endsWith(".csv") || rel.endsWith(".properties")) {
                    files.put(rel, Files.readString(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.putAll(edits);
        return Map.of("files", files);
    }

    /** Severe pain from 8 instead of 7: severity 7 moves from CONTACT_THERAPIST to SELF_CARE (a down-triage). */
    private Map<String, String> severeFrom8() {
        return Map.of("thresholds.properties", dir().read("thresholds.properties").replace("severe-pain=7", "severe-pain=8"),
                "scenarios/contact-therapist.csv", dir().read("scenarios/contact-therapist.csv")
                        .replace("CT-02-severity-7,24,DULL_ACHE,7,", "CT-02-severity-8,24,DULL_ACHE,8,")
                        .replace("CT-02-severity-7-at-73h,73,DULL_ACHE,7,", "CT-02-severity-8-at-73h,73,DULL_ACHE,8,"));
    }

    /** The README's worked example: 72 hours lowered to 48 (SELF_CARE to CONTACT_THERAPIST from 49 hours, unchanged). */
    private Map<String, String> normalUntil48Hours() {
        return Map.of("thresholds.properties", dir().read("thresholds.properties")
                        .replace("normal-soreness-hours=72", "normal-soreness-hours=48"),
                "scenarios/self-care.csv", dir().read("scenarios/self-care.csv").replace("SC-01-72h-unchanged,72,",
                        "SC-01-48h-unchanged,48,"));
    }

    @Test
    void shouldCountTheImpactOfAnEditOnRecordedAndGeneratedCasesExactly() {
        // 10 distinct cases at severity 7 (CONTACT_THERAPIST now), 5 at 8, 5 at 3 (SELF_CARE), twice each.
        List<String> severity7 = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (int h = 24; h < 34; h++) {
                String id = decide(normal(h, 7));
                if (round == 1) {
                    severity7.add(id); // the newest decision of a fact set is the one counted
                }
            }
            for (int h = 24; h < 29; h++) {
                decide(normal(h, 8));
                decide(normal(h, 3));
            }
        }
        JsonPath validation = asRulesAdmin().contentType(ContentType.JSON).body(candidate(severeFrom8()))
                .post("/api/v1/rules/validate").then().statusCode(200).body("valid", equalTo(true)).extract().jsonPath();
        JsonPath recorded = new JsonPath(validation.prettify()).setRootPath("impact.recorded");
        assertEquals(20, recorded.getInt("cases"));
        assertEquals(10, recorded.getInt("outcomeChanged"));
        assertEquals(10, recorded.getInt("downTriage"));
        assertEquals(10, recorded.getInt("outcomes.CONTACT_THERAPIST.SELF_CARE"));
        assertEquals(5, recorded.getInt("outcomes.CONTACT_THERAPIST.CONTACT_THERAPIST"));
        assertEquals(5, recorded.getInt("outcomes.SELF_CARE.SELF_CARE"));
        assertEquals(10, recorded.getList("examples").size());
        assertEquals(Set.copyOf(severity7), Set.copyOf(recorded.getList("examples.decisionId")));
        assertEquals(List.of("CT-02", "ADV-02"), recorded.getList("examples[0].rulesBefore"));
        assertEquals(List.of("SC-01", "ADV-01"), recorded.getList("examples[0].rulesAfter"));
        assertEquals(10, recorded.getInt("adviceAdded.APPLY_GENTLE_HEAT"));
        assertEquals(10, recorded.getInt("adviceRemoved.CONTACT_THERAPIST_PROMPTLY"));
        assertEquals(List.of(15, 5), recorded.getList("ruleFires.'CT-02'"));
        // Generated: every case that moves is one at severity 7 (the normal cases, and the scenario rows with
        // their severity set to the edge), and each moves from CONTACT_THERAPIST to SELF_CARE.
        JsonPath generated = new JsonPath(validation.prettify()).setRootPath("impact.generated");
        int moved = generated.getInt("downTriage");
        assertTrue(moved >= 2, "at least the normal case unchanged and improving at severity 7: " + moved);
        assertEquals(moved, generated.getInt("outcomeChanged"));
        assertEquals(moved, generated.getInt("outcomes.CONTACT_THERAPIST.SELF_CARE"));
        assertEquals(0, generated.getInt("candidateFailures"));
        for (Object facts : generated.getList("examples.facts")) {
            assertTrue(facts.toString().contains("\"painSeverity\":7"), facts::toString);
        }
        assertTrue(generated.getInt("cases") > 300, "every symptom alone and in pairs, and the boundaries");
        assertNull(generated.get("examples[0].decisionId"));
        assertTrue(validation.getBoolean("impact.downTriage"));

        // 72 -> 48 hours: the 20 recorded cases sit at 24 to 33 hours, none changes; 10 new ones at 49 to 58 do.
        for (int h = 49; h < 59; h++) {
            decide(normal(h, 3));
        }
        JsonPath lower = asRulesAdmin().contentType(ContentType.JSON).body(candidate(normalUntil48Hours()))
                .post("/api/v1/rules/validate").then().statusCode(200).body("valid", equalTo(true)).extract().jsonPath();
        assertEquals(30, lower.getInt("impact.recorded.cases"));
        assertEquals(10, lower.getInt("impact.recorded.outcomeChanged"));
        assertEquals(10, lower.getInt("impact.recorded.outcomes.SELF_CARE.CONTACT_THERAPIST"));
        assertEquals(0, lower.getInt("impact.recorded.downTriage"));
        assertEquals(List.of(), lower.getList("impact.recorded.examples"));
        assertEquals(false, lower.getBoolean("impact.downTriage"));

        // Made live by a reload, the same report is the reload's answer, the last reload's, and stored with the rule set.
        String serving = asRulesAdmin().get("/api/v1/rules").then().extract().path("version");
        normalUntil48Hours().forEach(dir()::write);
        Map<String, String> original = Map.of("thresholds.properties", dir().read("thresholds.properties")
                .replace("normal-soreness-hours=48", "normal-soreness-hours=72"), "scenarios/self-care.csv",
                dir().read("scenarios/self-care.csv").replace("SC-01-48h-unchanged,48,", "SC-01-72h-unchanged,72,"));
        try {
            JsonPath reload = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
            assertEquals("ACCEPTED", reload.getString("result"));
            assertEquals(serving, reload.getString("impact.activeVersion"));
            assertEquals(10, reload.getInt("impact.recorded.outcomes.SELF_CARE.CONTACT_THERAPIST"));
            asRulesAdmin().get("/api/v1/rules").then().body("lastReload.impact.recorded.outcomeChanged", equalTo(10));
            String live = reload.getString("version");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> asAuditor().get("/api/v1/rulesets/" + live).statusCode() == 200);
            asAuditor().get("/api/v1/rulesets/" + live).then().statusCode(200)
                    .body("impact.recorded.outcomeChanged", equalTo(10))
                    .body("impact.activeVersion", equalTo(serving));
        } finally {
            original.forEach(dir()::write);
            asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200);
        }
    }
}
