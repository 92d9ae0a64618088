package org.massagetriage.api;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.massagetriage.security.TestTokens.as;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.RulesDirectory;
import org.massagetriage.security.Roles;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 16's API for the workbench: simulate (never recorded), the rule files read and saved
 * through the gate of an edit, the facts in the vocabulary, fire counts, and failed scenario rows
 * with their expected and actual answers. On an editable copy of the frozen fixture and a fresh store.
 */
@QuarkusTest
@TestProfile(WorkbenchApiTests.Profile.class)
class WorkbenchApiTests {

    public static class Profile implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(DIR.watchedQuickly());
            try {
                String file = Files.createTempDirectory("triage-h2-workbench-api-").resolve("triage").toString();
                config.put("triage.store.jdbc-url", "jdbc:h2:file:" + file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return config;
        }
    }

    private static final String THRESHOLDS = "thresholds.properties";

    @Inject
    AuditTrail audit;

    private final String originalThresholds = Profile.DIR.read(THRESHOLDS);
    private final String originalSelfCare = Profile.DIR.read("scenarios/self-care.csv");

    @AfterEach
    void restore() {
        Profile.DIR.write(THRESHOLDS, originalThresholds);
        Profile.DIR.write("scenarios/self-care.csv", originalSelfCare);
        String expected = Profile.DIR.version();
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).until(() -> expected.equals(activeVersion()));
    }

    private static String activeVersion() {
        return asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().path("version");
    }

    private int recorded() {
        return audit.recentCases(Instant.EPOCH, 100_000).size();
    }

    private static Response simulate(String body) {
        return asRulesAdmin().contentType(ContentType.JSON).body(body).post("/api/v1/rules/simulate");
    }

    @Test
    void shouldSimulateWithTheActiveRulesWithoutRecordingADecision() {
        int before = recorded();
        JsonPath answer = simulate("{\"facts\": {\"symptoms\": [\"FAINTING\"]}}").then().statusCode(200).extract().jsonPath();
        assertEquals(activeVersion(), answer.getString("version"));
        assertEquals("ACTIVE", answer.getString("rules"));
        assertEquals(false, answer.getBoolean("recorded"));
        assertEquals("EMERGENCY", answer.getString("outcome"));
        assertEquals(3, answer.getInt("urgency"));
        assertEquals(List.of("SEEK_MEDICAL_ATTENTION_IMMEDIATELY", "REPORT_ALL_SYMPTOMS"), answer.getList("advice"));
        assertEquals(List.of("RF-02", "ADV-04"), answer.getList("reasons.ruleId"));
        assertEquals(List.of("article"), answer.getList("reasons[0].citations.id"));
        assertEquals(List.of(), answer.getList("missingFacts"));
        assertEquals(before, recorded(), "a simulation is not a patient decision");
    }

    @Test
    void shouldNameEveryBadFieldOfASimulation() {
        Response r = simulate("{\"facts\": {\"painSeverity\": 11, \"colour\": \"red\"}, \"version\": \"latest\", \"extra\": 1}");
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(List.of("extra", "version", "facts.colour", "facts.painSeverity"),
                r.jsonPath().getList("errors.field").stream().sorted((a, b) -> order(a) - order(b)).toList());
        Response noFacts = simulate("{\"version\": null}");
        assertEquals(400, noFacts.statusCode());
        assertEquals(List.of("facts"), noFacts.jsonPath().getList("errors.field"));
    }

    private static int order(Object field) {
        return List.of("extra", "version", "facts.colour", "facts.painSeverity").indexOf(field);
    }

    @Test
    void shouldSimulateWithAStoredVersionAndRefuseAnUnknownOne() {
        String first = activeVersion();
        await().atMost(Duration.ofSeconds(60)).until(() -> asAuditor().get("/api/v1/rulesets/" + first).statusCode() == 200);
        Profile.DIR.replace(THRESHOLDS, "normal-soreness-hours=72", "normal-soreness-hours=48");
        Profile.DIR.replace("scenarios/self-care.csv", "SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,");
        String second = Profile.DIR.version();
        await().atMost(Duration.ofSeconds(60)).until(() -> second.equals(activeVersion()));
        String at60Hours = "{\"hoursSinceMassage\": 60, \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 3,"
                + " \"trend\": \"UNCHANGED\", \"symptoms\": [], \"bodyRegion\": \"LOWER_BACK\"}";
        simulate("{\"facts\": " + at60Hours + "}").then().statusCode(200)
                .body("rules", equalTo("ACTIVE")).body("outcome", equalTo("CONTACT_THERAPIST"));
        simulate("{\"facts\": " + at60Hours + ", \"version\": \"" + first + "\"}").then().statusCode(200)
                .body("rules", equalTo("STORED")).body("version", equalTo(first)).body("outcome", equalTo("SELF_CARE"));
        Response unknown = simulate("{\"facts\": {}, \"version\": \"sha256:0000000000000000\"}");
        assertEquals(404, unknown.statusCode(), unknown.asString());
        assertEquals("application/problem+json", unknown.contentType());
    }

    @Test
    void shouldListAndReadTheRuleFilesWithTheirTags() {
        String tag = RuleSetRegistry.tag(originalThresholds);
        JsonPath files = asRulesAdmin().get("/api/v1/rules/files").then().statusCode(200).extract().jsonPath();
        assertEquals(tag, files.getString("files.find { it.name == 'thresholds.properties' }.tag"));
        assertEquals(List.of(), files.getList("files.name").stream().filter(n -> !(n.toString().endsWith(".drl")
                || n.toString().endsWith(".csv") || n.toString().endsWith(".properties"))).toList(), "rule files only");
        Response file = asRulesAdmin().get("/api/v1/rules/files/thresholds.properties");
        assertEquals(200, file.statusCode());
        assertEquals("\"" + tag + "\"", file.header("ETag"));
        assertEquals(originalThresholds, file.jsonPath().getString("content"));
        assertEquals(404, asRulesAdmin().get("/api/v1/rules/files/README.md").statusCode(), "not a rule file");
    }

    @Test
    void shouldSaveAFileThroughTheGateWithItsAuthorInTheHistory() {
        String before = activeVersion();
        String edited = originalThresholds.replace("normal-soreness-hours=72", "normal-soreness-hours=48");
        // The scenario row first: under 72 hours it is valid either way, and it is its own save.
        JsonPath rows = as("clinician-x", Roles.RULES_ADMIN).contentType(ContentType.TEXT)
                .header("If-Match", "\"" + RuleSetRegistry.tag(originalSelfCare) + "\"")
                .body(originalSelfCare.replace("SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,"))
                .put("/api/v1/rules/files/scenarios/self-care.csv").then().statusCode(200).extract().jsonPath();
        assertEquals("ACCEPTED", rows.getString("result"), rows.prettify());
        assertEquals("FILE_SAVE", rows.getString("trigger"));
        JsonPath saved = as("clinician-x", Roles.RULES_ADMIN).contentType(ContentType.TEXT)
                .header("If-Match", "\"" + RuleSetRegistry.tag(originalThresholds) + "\"").body(edited)
                .put("/api/v1/rules/files/thresholds.properties").then().statusCode(200).extract().jsonPath();
        assertEquals("ACCEPTED", saved.getString("result"), saved.prettify());
        String version = saved.getString("version");
        assertEquals(Profile.DIR.version(), version);
        assertEquals(edited, Profile.DIR.read(THRESHOLDS));
        assertEquals(version, activeVersion());
        assertEquals(rows.getString("version"), saved.getString("impact.activeVersion"));
        await().atMost(Duration.ofSeconds(60)).until(() -> asAuditor().get("/api/v1/rulesets/" + version).statusCode() == 200);
        JsonPath history = asAuditor().get("/api/v1/rulesets/" + version).then().extract().jsonPath();
        assertEquals("FILE_SAVE", history.getString("activations[0].trigger"));
        assertEquals("clinician-x", history.getString("activations[0].requestedBy"));
        assertEquals(false, before.equals(version));
    }

    @Test
    void shouldRefuseAStaleSaveAndNamesOutsideTheDirectory() {
        Response stale = asRulesAdmin().contentType(ContentType.TEXT).header("If-Match", "\"" + "0".repeat(64) + "\"")
                .body("severe-pain=1\n").put("/api/v1/rules/files/thresholds.properties");
        assertEquals(412, stale.statusCode(), stale.asString());
        assertEquals("application/problem+json", stale.contentType());
        assertEquals(originalThresholds, Profile.DIR.read(THRESHOLDS), "nothing written");
        for (String name : List.of("README.md", "new.drl", ".thresholds.properties.swp", "sources.csv.bak", "scenarios")) {
            Response r = asRulesAdmin().contentType(ContentType.TEXT).body("x").put("/api/v1/rules/files/" + name);
            assertEquals(404, r.statusCode(), name + ": " + r.asString());
        }
        assertEquals(originalThresholds, Profile.DIR.read(THRESHOLDS));
    }

    @Test
    void shouldSaveABrokenFileWithoutServingItAndKeepTheSaveAsTheLastReload() {
        String serving = activeVersion();
        JsonPath saved = asRulesAdmin().contentType(ContentType.TEXT)
                .body(originalThresholds.replace("severe-pain=7", "severe-pain=seven"))
                .put("/api/v1/rules/files/thresholds.properties").then().statusCode(200).extract().jsonPath();
        assertEquals("REJECTED", saved.getString("result"));
        assertEquals(serving, saved.getString("activeVersion"));
        assertEquals(Profile.DIR.root() + "/thresholds.properties", saved.getString("diagnostics[0].file"));
        assertEquals(serving, activeVersion());
        // The watcher sees the same write: it neither checks it again nor replaces the save's report.
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(3)).until(() ->
                "FILE_SAVE".equals(asRulesAdmin().get("/api/v1/rules").then().extract().path("lastReload.trigger")));
    }

    @Test
    void shouldShowAFailedScenarioRowsExpectedAndActualAnswers() {
        Map<String, Object> files = new HashMap<>();
        try (var walk = Files.walk(Profile.DIR.root())) {
            for (var p : walk.filter(Files::isRegularFile).toList()) {
                String rel = Profile.DIR.root().relativize(p).toString();
                if (rel.endsWith(".drl") || rel.endsWith(".csv") || rel.endsWith(".properties")) {
                    files.put(rel, Files.readString(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.put(THRESHOLDS, originalThresholds.replace("normal-soreness-hours=72", "normal-soreness-hours=48"));
        JsonPath v = asRulesAdmin().contentType(ContentType.JSON).body(Map.of("files", files)).post("/api/v1/rules/validate")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(false, v.getBoolean("valid"));
        JsonPath row = new JsonPath(v.prettify()).setRootPath("diagnostics.find { it.scenario == 'SC-01-72h-unchanged' }");
        assertEquals("SCENARIO", row.getString("kind"));
        assertEquals("SELF_CARE", row.getString("expected.outcome"));
        assertEquals("CONTACT_THERAPIST", row.getString("actual.outcome"));
        assertEquals(List.of("ADV-01", "SC-01"), row.getList("expected.rules"));
        assertEquals(List.of("ADV-02", "CT-01"), row.getList("actual.rules"));
        assertEquals(List.of("CONTACT_THERAPIST_PROMPTLY", "KEEP_SORENESS_JOURNAL", "HYDRATE", "AVOID_STRENUOUS_ACTIVITY"),
                row.getList("actual.advice"));
        assertEquals(List.of(), row.getList("actual.missingFacts"));
    }

    @Test
    void shouldDescribeEveryFactForAForm() {
        JsonPath facts = asClient().get("/api/v1/vocabulary").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("hoursSinceMassage", "painCharacter", "painSeverity", "trend", "symptoms", "bodyRegion", "history"),
                facts.getList("facts.name"));
        assertEquals(List.of("WHOLE_NUMBER", "ONE_OF", "WHOLE_NUMBER", "ONE_OF", "SET_OF", "ONE_OF", "FLAGS"),
                facts.getList("facts.kind"));
        assertEquals(0, facts.getInt("facts[2].min"));
        assertEquals(10, facts.getInt("facts[2].max"));
        assertEquals(List.of("IMPROVING", "UNCHANGED", "WORSENING"), facts.getList("facts[3].values"));
        assertEquals(List.of("chronicLowBackPain", "recentSurgery", "preExistingCondition", "takesMedication",
                "takesAnticoagulant"), facts.getList("facts[6].flags.name"));
    }

    @Test
    void shouldServeThePageWithoutATokenUnderItsOwnContentPolicy() {
        for (String path : List.of("/workbench/", "/workbench/workbench.js", "/workbench/workbench.css")) {
            Response page = io.restassured.RestAssured.given().get(path);
            assertEquals(200, page.statusCode(), path);
            assertEquals("default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
                    + " frame-ancestors 'none'", page.header("Content-Security-Policy"), path);
            assertEquals("DENY", page.header("X-Frame-Options"), path);
        }
        // The API keeps its own, stricter policy.
        assertEquals("default-src 'none'; frame-ancestors 'none'",
                asRulesAdmin().get("/api/v1/rules").header("Content-Security-Policy"));
    }

    @Test
    void shouldCountRuleFiresSinceStart() {
        long before = ((Number) asRulesAdmin().get("/api/v1/rules").then().extract().path("firedSinceStart.'RF-02'")).longValue();
        asClient().contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\"]}").post("/api/v1/triage")
                .then().statusCode(200);
        simulate("{\"facts\": {\"symptoms\": [\"FAINTING\"]}}").then().statusCode(200); // not counted: not answered
        long after = ((Number) asRulesAdmin().get("/api/v1/rules").then().extract().path("firedSinceStart.'RF-02'")).longValue();
        assertEquals(before + 1, after);
    }
}
