package org.massagetriage.governance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.rules.RulesDirectory;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What the rule-set history promises, on each store (H2 and PostgreSQL subclasses): every rule set
 * that became active is kept once with its files and rules, every activation is logged with its
 * trigger and who asked, and every recorded decision replays to exactly its recorded answer under
 * the rules that made it, whatever is active now. On an editable copy of the frozen fixture.
 */
abstract class RuleSetHistoryContract {

    abstract RulesDirectory dir();

    /**
     * In the order a restore writes them, thresholds first: the watcher sees every file written, and
     * from the 48-hour edit each half-restored state fails its scenarios, so none of them serves.
     */
    private final Map<String, String> original = new java.util.LinkedHashMap<>();

    @BeforeEach
    void remember() {
        for (String f : List.of("thresholds.properties", "scenarios/self-care.csv", "scenarios/contact-therapist.csv",
                "contact-therapist.drl")) {
            original.put(f, dir().read(f));
        }
        awaitStored(activeVersion());
    }

    @AfterEach
    void restore() {
        original.forEach(dir()::write);
        String expected = dir().version();
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200);
        awaitActive(expected);
        awaitStored(expected);
    }

    static String activeVersion() {
        return asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().path("version");
    }

    static void awaitActive(String version) {
        await("version " + version + " active").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(RuleSetHistoryContract::activeVersion, equalTo(version));
    }

    /** The history is written off the rules thread: wait until the version is readable. */
    static JsonPath awaitStored(String version) {
        await("rule set " + version + " stored").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> asAuditor().get("/api/v1/rulesets/" + version).statusCode() == 200);
        return asAuditor().get("/api/v1/rulesets/" + version).then().statusCode(200).extract().jsonPath();
    }

    /**
     * The README's worked example on the fixture: 72 hours lowered to 48, with the rows that prove it.
     * The threshold goes last: the watcher may check the files between two writes, and every state
     * before the last write fails the new 60-hour row, so only the whole edit can serve (with the
     * threshold first, threshold and self-care row without the new row passed and served, and the
     * edit's activation named that half-edit as the version it replaced).
     */
    private void lowerThresholdTo48Hours() {
        lowerThresholdTo48Hours(dir());
    }

    private static void lowerThresholdTo48Hours(RulesDirectory rules) {
        rules.write("scenarios/contact-therapist.csv", rules.read("scenarios/contact-therapist.csv")
                + "CT-01-60h-unchanged,60,DULL_ACHE,3,UNCHANGED,none,LOWER_BACK,none,CONTACT_THERAPIST,"
                + "@CONTACT_THERAPIST,CT-01|ADV-02,,\n");
        rules.replace("scenarios/self-care.csv", "SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,");
        rules.replace("thresholds.properties", "normal-soreness-hours=72", "normal-soreness-hours=48");
    }

    @Test
    void shouldKeepTheRuleSetServingWithItsFilesRulesAndActivation() {
        String version = activeVersion();
        JsonPath stored = awaitStored(version);
        assertEquals(version, stored.getString("version"));
        Map<String, String> files = stored.getMap("files");
        assertEquals(new java.util.TreeSet<>(List.of("advice.drl", "contact-therapist.drl", "decision.drl", "emergency.drl",
                "scenarios/advice-sets.properties", "scenarios/advice.csv",
                "scenarios/contact-therapist.csv", "scenarios/emergency.csv", "scenarios/missing-facts.csv",
                "scenarios/self-care.csv", "scenarios/urgent-assessment.csv", "self-care.drl", "sources.csv",
                "thresholds.properties", "urgent-assessment.drl", "vocabulary.en.properties")), files.keySet());
        files.forEach((path, content) -> assertEquals(dir().read(path), content, path));
        assertEquals(29, stored.getList("rules").size());
        assertEquals("[article] When to Contact Your Therapist: 'or is accompanied by severe pain ... contact your massage"
                        + " therapist or a healthcare professional promptly'",
                stored.getString("rules.find { it.id == 'CT-02' }.source"));
        List<Map<String, Object>> activations = stored.getList("activations");
        assertTrue(activations.size() >= 1, activations::toString);
        assertEquals("STARTUP", activations.get(0).get("trigger"));
        assertNotNull(activations.get(0).get("instance"));
    }

    @Test
    void shouldStoreTheImpactOfAFileEditThatServedBeforeItsImpactWasKnown() {
        String first = activeVersion();
        // Without an approval gate a file edit serves at once; its impact is computed afterwards.
        dir().replace("thresholds.properties", "normal-soreness-hours=72", "normal-soreness-hours=56");
        dir().replace("scenarios/self-care.csv", "SC-01-72h-unchanged,72,", "SC-01-56h-unchanged,56,");
        String edited = dir().version();
        awaitActive(edited);
        await("impact of " + edited + " stored").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> first.equals(awaitStored(edited).getString("impact.activeVersion")));
        JsonPath stored = awaitStored(edited);
        assertEquals(edited, stored.getString("impact.candidateVersion"));
        assertEquals("FILE_CHANGE", stored.getList("activations", Map.class).get(0).get("trigger"));
        asRulesAdmin().get("/api/v1/rules").then().body("lastReload.version", equalTo(edited))
                .body("lastReload.impact.activeVersion", equalTo(first));
    }

    @Test
    void shouldLogEveryActivationOnceStoredPerVersion() {
        String first = activeVersion();
        int firstActivations = awaitStored(first).getInt("activationCount");
        // Another test of this class may have activated the same files before: count from here, before the edit.
        String second;
        // The edit's version, worked out on a copy the watcher does not see: an edit and revert here
        // could meet the watcher half-way and leave a stale activation count.
        try (RulesDirectory scratch = dir().copy()) {
            assertEquals(first, scratch.version());
            lowerThresholdTo48Hours(scratch);
            second = scratch.version();
        }
        int secondActivations = asAuditor().get("/api/v1/rulesets/" + second).statusCode() == 404 ? 0
                : awaitStored(second).getInt("activationCount");
        lowerThresholdTo48Hours();
        awaitActive(second);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> awaitStored(second).getInt("activationCount") == secondActivations + 1);
        List<Map<String, Object>> activations = awaitStored(second).getList("activations");
        Map<String, Object> edit = activations.get(activations.size() - 1);
        assertEquals("FILE_CHANGE", edit.get("trigger"));
        assertEquals(first, edit.get("previousVersion"));
        assertEquals(null, edit.get("requestedBy"));

        original.forEach(dir()::write);
        // The watcher sees these writes too: the reload asked for at once normally wins, but a busy
        // machine may let the watcher's 100 ms debounce run out first. Either way exactly one
        // activation brings the first version back, and it names who (or what) asked.
        String result = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200)
                .body("version", equalTo(first)).extract().path("result");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> awaitStored(first).getInt("activationCount") == firstActivations + 1);
        List<Map<String, Object>> again = awaitStored(first).getList("activations");
        Map<String, Object> back = again.get(again.size() - 1);
        assertEquals(second, back.get("previousVersion"));
        if (result.equals("ACCEPTED")) {
            assertEquals("MANUAL", back.get("trigger"));
            assertEquals("test-rules-admin", back.get("requestedBy"));
        } else {
            assertEquals("UNCHANGED", result);
            assertEquals("FILE_CHANGE", back.get("trigger"));
            assertEquals(null, back.get("requestedBy"));
        }

        // By latest activation, each version once: the rollback to the first brings it to the top.
        JsonPath all = asRulesAdmin().queryParam("limit", 100).get("/api/v1/rulesets").then().statusCode(200).extract().jsonPath();
        List<String> versions = all.getList("items.version");
        assertEquals(versions.size(), new java.util.HashSet<>(versions).size(), versions::toString);
        assertEquals(first, versions.get(0));
        assertEquals(List.of(true), all.getList("items.findAll { it.active }.active"));
        assertEquals(first, all.getString("items.find { it.active }.version"));
        List<String> storedAt = all.getList("items.lastActivatedAt");
        List<String> sorted = new ArrayList<>(storedAt);
        sorted.sort(java.util.Comparator.comparing(Instant::parse, java.util.Comparator.reverseOrder()));
        assertEquals(sorted, storedAt);
        JsonPath page1 = asRulesAdmin().queryParam("limit", 1).get("/api/v1/rulesets").then().statusCode(200).extract().jsonPath();
        assertEquals(versions.subList(0, 1), page1.getList("items.version"));
        assertEquals("/api/v1/rulesets/" + versions.get(0), page1.getString("items[0].href"));
        JsonPath page2 = asAuditor().queryParam("limit", 1).queryParam("cursor", page1.getString("nextCursor"))
                .get("/api/v1/rulesets").then().statusCode(200).extract().jsonPath();
        assertEquals(versions.subList(1, 2), page2.getList("items.version"));
    }

    @Test
    void shouldDiffTwoStoredVersionsByFileAndByRule() {
        String first = activeVersion();
        lowerThresholdTo48Hours();
        dir().replace("contact-therapist.drl", "'or is accompanied by severe pain ... contact",
                "'or is accompanied by severe pain ... you should contact");
        String second = dir().version();
        awaitActive(second);
        awaitStored(second);
        JsonPath diff = asAuditor().queryParam("against", first).get("/api/v1/rulesets/" + second + "/diff")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("contact-therapist.drl", "scenarios/contact-therapist.csv", "scenarios/self-care.csv",
                "thresholds.properties"), diff.getList("files.path"));
        assertEquals(List.of("CHANGED", "CHANGED", "CHANGED", "CHANGED"), diff.getList("files.status"));
        assertEquals("--- a/thresholds.properties\n+++ b/thresholds.properties\n", 
                diff.getString("files[3].unifiedDiff").substring(0, "--- a/thresholds.properties\n+++ b/thresholds.properties\n".length()));
        assertTrue(diff.getString("files[3].unifiedDiff").contains("\n-normal-soreness-hours=72\n+normal-soreness-hours=48\n"),
                diff.getString("files[3].unifiedDiff"));
        assertEquals(List.of("CT-01", "CT-02", "SC-01"), diff.getList("rules.id"));
        assertEquals(List.of("CHANGED", "CHANGED", "CHANGED"), diff.getList("rules.change"));
        assertEquals(List.of(List.of("thresholds"), List.of("source"), List.of("thresholds")), diff.getList("rules.changed"));
        assertEquals("48", diff.getString("rules[0].after.thresholds.'normal-soreness-hours'"));
        assertEquals("72", diff.getString("rules[0].before.thresholds.'normal-soreness-hours'"));
        assertTrue(diff.getString("rules[1].after.source").contains("you should contact"));
        asAuditor().get("/api/v1/rulesets/" + second + "/diff").then().statusCode(400).body("errors[0].field", equalTo("against"));
        asAuditor().queryParam("against", "sha256:0000000000000000").get("/api/v1/rulesets/" + second + "/diff")
                .then().statusCode(404);
    }

    @Test
    void shouldRefuseBadParametersAndAnswer404ForAnUnknownVersion() {
        asAuditor().get("/api/v1/rulesets/sha256:0000000000000000").then().statusCode(404).contentType("application/problem+json");
        asAuditor().queryParam("limit", 0).get("/api/v1/rulesets").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
        asAuditor().queryParam("cursor", "not-a-cursor").get("/api/v1/rulesets").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
    }

    /**
     * Decisions made under three successive rule sets replay to exactly their recorded answers, while
     * the answer under the active rules shows what the edits changed. Nothing is recorded by a replay.
     */
    @Test
    void shouldReplayEveryDecisionToItsRecordedAnswerAcrossRuleChanges() {
        Random random = new Random(15);
        List<String> ids = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        versions.add(activeVersion());
        ids.addAll(decide(random, 100));
        lowerThresholdTo48Hours();
        versions.add(dir().version());
        awaitActive(versions.get(1));
        ids.addAll(decide(random, 100));
        dir().replace("thresholds.properties", "severe-pain=7", "severe-pain=8");
        dir().replace("scenarios/contact-therapist.csv", "CT-02-severity-7,24,DULL_ACHE,7,", "CT-02-severity-8,24,DULL_ACHE,8,");
        dir().replace("scenarios/contact-therapist.csv", "CT-02-severity-7-at-73h,73,DULL_ACHE,7,", "CT-02-severity-8-at-73h,73,DULL_ACHE,8,");
        versions.add(dir().version());
        awaitActive(versions.get(2));
        ids.addAll(decide(random, 100));
        original.forEach(dir()::write);
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200);
        awaitActive(versions.get(0));

        Instant before = Instant.now();
        Map<String, Integer> changedUnderActive = new HashMap<>();
        for (String id : ids) {
            JsonPath replay = asAuditor().post("/api/v1/decisions/" + id + "/replay").then().statusCode(200).extract().jsonPath();
            assertTrue(replay.getBoolean("reproduced"), replay::prettify);
            assertEquals(List.of(), replay.getList("differences"));
            assertEquals(replay.getString("recorded.rulesetVersion"), replay.getString("underRecordedRules.rulesetVersion"));
            assertEquals(versions.get(0), replay.getString("underActiveRules.rulesetVersion"));
            changedUnderActive.merge(replay.getString("recorded.rulesetVersion"),
                    replay.getList("changedUnderActive").isEmpty() ? 0 : 1, Integer::sum);
        }
        // Under the first rules nothing changes; decisions of the edited rules include cases that now differ.
        assertEquals(0, changedUnderActive.get(versions.get(0)));
        assertTrue(changedUnderActive.get(versions.get(1)) > 0, changedUnderActive::toString);
        assertTrue(changedUnderActive.get(versions.get(2)) > 0, changedUnderActive::toString);
        // A replay records nothing.
        int recorded = asAuditor().queryParam("from", before.toString()).queryParam("limit", 500).get("/api/v1/decisions")
                .then().statusCode(200).extract().jsonPath().getList("items").size();
        assertEquals(0, recorded);
        asAuditor().get("/api/v1/decisions/" + ids.get(0)).then().statusCode(200)
                .body("links.ruleset", equalTo("/api/v1/rulesets/" + versions.get(0)))
                .body("links.replay", equalTo("/api/v1/decisions/" + ids.get(0) + "/replay"));
    }

    @Inject
    AuditTrail audit;

    /**
     * A decision whose rule set is not in the history (recorded before it was kept), and one whose
     * recorded facts this release no longer accepts: answered with why, never a 500 or a 400.
     */
    @Test
    void shouldSayWhyADecisionCannotBeReplayed() throws Exception {
        UUID unknownRules = UUID.randomUUID();
        UUID unreadable = UUID.randomUUID();
        audit.record(new DecisionRecord(unknownRules, Instant.now(), "sha256:0000000000000000", "{\"symptoms\": [\"FAINTING\"]}",
                "EMERGENCY", 3, List.of("SEEK_MEDICAL_ATTENTION_IMMEDIATELY", "REPORT_ALL_SYMPTOMS"), List.of("RF-02", "ADV-04"),
                List.of(), "test-triage-client", "issuer", 1)).get();
        audit.record(new DecisionRecord(unreadable, Instant.now(), activeVersion(), "{\"painSeverity\": 11}",
                "CONTACT_THERAPIST", 1, List.of(), List.of(), List.of(), "test-triage-client", "issuer", 1)).get();
        asAuditor().post("/api/v1/decisions/" + unknownRules + "/replay").then().statusCode(200)
                .body("reproduced", equalTo(false))
                .body("underRecordedRules", org.hamcrest.Matchers.nullValue())
                .body("why", equalTo("rule set sha256:0000000000000000 is not in the rule-set history (decided before the"
                        + " history was kept, or its history write did not reach the store)"))
                .body("underActiveRules.outcome", equalTo("EMERGENCY"))
                .body("underActiveRules.reasons", equalTo(List.of("RF-02", "ADV-04")))
                .body("changedUnderActive", equalTo(List.of()));
        asRulesAdmin().post("/api/v1/decisions/" + unreadable + "/replay").then().statusCode(200)
                .body("reproduced", equalTo(false))
                .body("underRecordedRules", org.hamcrest.Matchers.nullValue())
                .body("underActiveRules", org.hamcrest.Matchers.nullValue())
                .body("why", org.hamcrest.Matchers.startsWith("the recorded facts are not a valid request for this release:"));
        asAuditor().post("/api/v1/decisions/" + UUID.randomUUID() + "/replay").then().statusCode(404);
        asAuditor().post("/api/v1/decisions/not-a-uuid/replay").then().statusCode(400).body("errors[0].field", equalTo("id"));
    }

    private static List<String> decide(Random r, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(asClient().contentType(ContentType.JSON).body(TriageRequests.random(r)).post("/api/v1/triage").then()
                    .statusCode(200).extract().path("decisionId"));
        }
        return ids;
    }
}
