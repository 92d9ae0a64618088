package org.massagetriage.governance;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.massagetriage.security.TestTokens.as;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.massagetriage.audit.RuleSetArchive;
import org.massagetriage.rules.RulesDirectory;
import org.massagetriage.security.Roles;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Several replicas watch one rules directory and write one store; each holds the same edit waiting
 * for approval, and an approval or rejection reaches one of them. Here this app is one replica, and
 * "another replica" is a review written into the store directly, under another instance's name.
 * Each test makes an edit of its own (severe-pain 7 -> 8, a down-triage, with a marker comment), so
 * that no test's review is of another's change. On each store (H2 and PostgreSQL subclasses).
 */
abstract class SharedApprovalContract {

    /** Generous for the follower (every second, on a scheduler that looks once a second) on a loaded machine. */
    private static final Duration FOLLOWED_WITHIN = Duration.ofSeconds(5);
    private static final String OTHER_INSTANCE = "triage-replica-2:4242";
    private static final String OTHER_CLINICIAN = "clinician-on-replica-2";

    @Inject
    RuleSetArchive archive;

    abstract RulesDirectory dir();

    /** Thresholds first when restoring: the half-restored state fails its scenarios and never serves. */
    private final Map<String, String> original = new LinkedHashMap<>();

    @BeforeEach
    void remember() {
        for (String f : List.of("thresholds.properties", "scenarios/contact-therapist.csv")) {
            original.put(f, dir().read(f));
        }
    }

    @AfterEach
    void restore() {
        JsonPath waiting = asRulesAdmin().get("/api/v1/rules/pending").then().extract().jsonPath();
        if (waiting.getString("version") != null) {
            asRulesAdmin().post("/api/v1/rules/pending/" + waiting.getString("version") + "/reject");
        }
        original.forEach(dir()::write);
        JsonPath reload = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
        if ("PENDING_APPROVAL".equals(reload.getString("result"))) {
            as("restoring-clinician", Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + reload.getString("version") + "/approve")
                    .then().statusCode(200);
        }
        String expected = dir().version();
        await().atMost(Duration.ofSeconds(60)).until(() -> expected.equals(active()));
    }

    private static String active() {
        return asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().path("version");
    }

    private static String pendingVersion() {
        return asRulesAdmin().get("/api/v1/rules/pending").then().extract().path("version");
    }

    private static void awaitPending(String version) {
        await("rule set " + version + " waiting").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> version.equals(pendingVersion()));
    }

    /** severe-pain 7 -> 8 (severity 7 goes from CONTACT_THERAPIST to SELF_CARE: a down-triage), marked. */
    private static void downTriagingEdit(RulesDirectory dir, String marker) {
        dir.write("thresholds.properties", dir.read("thresholds.properties").replace("severe-pain=7", "severe-pain=8")
                + "# " + marker + "\n");
        dir.replace("scenarios/contact-therapist.csv", "CT-02-severity-7,24,DULL_ACHE,7,", "CT-02-severity-8,24,DULL_ACHE,8,");
        dir.replace("scenarios/contact-therapist.csv", "CT-02-severity-7-at-73h,73,DULL_ACHE,7,",
                "CT-02-severity-8-at-73h,73,DULL_ACHE,8,");
    }

    /** What another replica writes when a clinician approves or rejects there. */
    private RuleSetArchive.Review reviewElsewhere(String version, String replaces, String decision, String comment) {
        return archive.recordReview(new RuleSetArchive.Review(0, version, replaces, decision, OTHER_CLINICIAN, comment,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), OTHER_INSTANCE));
    }

    /** The history is written off the rules thread: the activations of a version once it has {@code count}. */
    private static List<Map<String, Object>> activations(String version, int count) {
        await("activations of " + version).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> asAuditor().get("/api/v1/rulesets/" + version).statusCode() == 200
                        && asAuditor().get("/api/v1/rulesets/" + version).then().extract().jsonPath()
                        .getList("activations").size() == count);
        return asAuditor().get("/api/v1/rulesets/" + version).then().extract().jsonPath().getList("activations");
    }

    @Test
    void shouldGoLiveWhenAnotherReplicaApprovesTheVersionWaitingHere() {
        String serving = active();
        downTriagingEdit(dir(), "approved on another replica");
        String candidate = dir().version();
        awaitPending(candidate);

        reviewElsewhere(candidate, serving, "APPROVED", "7 is moderate per Palos 2006");
        await().atMost(FOLLOWED_WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> candidate.equals(active()));

        asRulesAdmin().get("/api/v1/rules").then().body("lastReload.result", equalTo("ACCEPTED"))
                .body("lastReload.trigger", equalTo("APPROVAL")).body("lastReload.version", equalTo(candidate));
        asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(404);
        // One row per activation on this replica: the other replica's own activation is its row to write.
        Map<String, Object> activation = activations(candidate, 1).get(0);
        assertEquals("APPROVAL", activation.get("trigger"));
        assertEquals(OTHER_CLINICIAN, activation.get("approvedBy"));
        assertEquals("7 is moderate per Palos 2006", activation.get("approvalComment"));
        assertEquals(RuleSetHistory.instanceName(), activation.get("instance"));
        assertEquals(serving, activation.get("previousVersion"));
        assertNull(activation.get("requestedBy"));
    }

    @Test
    void shouldDropTheVersionWaitingHereWhenAnotherReplicaRejectsIt() {
        String serving = active();
        downTriagingEdit(dir(), "rejected on another replica");
        String candidate = dir().version();
        awaitPending(candidate);

        RuleSetArchive.Review rejection = reviewElsewhere(candidate, serving, "REJECTED", "not moderate");
        await().atMost(FOLLOWED_WITHIN).pollInterval(Duration.ofMillis(50))
                .until(() -> asRulesAdmin().get("/api/v1/rules/pending").statusCode() == 404);

        assertEquals(serving, active());
        asRulesAdmin().get("/api/v1/rules").then().body("lastReload.result", equalTo("REJECTED"))
                .body("lastReload.trigger", equalTo("APPROVAL")).body("lastReload.version", equalTo(candidate));
        // A rejected change stays rejected: the same files checked again do not wait for approval again.
        JsonPath again = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
        assertEquals("REJECTED", again.getString("result"));
        assertEquals(candidate, again.getString("version"));
        assertEquals(List.of("rejected by " + OTHER_CLINICIAN + " on " + OTHER_INSTANCE + " at " + rejection.decidedAt()
                + " (not moderate): these files do not wait for approval again while " + serving + " serves; change them"
                + " to submit another edit"), again.getList("diagnostics.message"));
        asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(404);
        assertEquals(serving, active());
    }

    @Test
    void shouldGoLiveWithoutASecondApprovalWhenItsVersionWasApprovedBeforeThisReplicaSawIt() {
        String serving = active();
        String candidate;
        try (RulesDirectory elsewhere = dir().copy()) {
            downTriagingEdit(elsewhere, "approved before this replica saw it");
            candidate = elsewhere.version();
        }
        reviewElsewhere(candidate, serving, "APPROVED", "seen first on replica 2");

        downTriagingEdit(dir(), "approved before this replica saw it");
        assertEquals(candidate, dir().version());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> candidate.equals(active()));

        asRulesAdmin().get("/api/v1/rules").then().body("lastReload.result", equalTo("ACCEPTED"))
                .body("lastReload.trigger", equalTo("APPROVAL")).body("lastReload.version", equalTo(candidate));
        Map<String, Object> activation = activations(candidate, 1).get(0);
        assertEquals("APPROVAL", activation.get("trigger"));
        assertEquals(OTHER_CLINICIAN, activation.get("approvedBy"));
        assertEquals("seen first on replica 2", activation.get("approvalComment"));
        assertEquals(RuleSetHistory.instanceName(), activation.get("instance"));
    }

    /** An approval is of one change: other files, or the same files replacing other rules, release nothing here. */
    @Test
    void shouldKeepWaitingWhenAnotherChangeIsApproved() {
        String serving = active();
        String otherFiles;
        try (RulesDirectory elsewhere = dir().copy()) {
            downTriagingEdit(elsewhere, "another edit");
            otherFiles = elsewhere.version();
        }
        downTriagingEdit(dir(), "waits on");
        String candidate = dir().version();
        awaitPending(candidate);

        reviewElsewhere(otherFiles, serving, "APPROVED", "another edit");
        reviewElsewhere(candidate, "sha256:0000000000000000", "APPROVED", "against other rules");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> candidate.equals(pendingVersion()) && serving.equals(active()));
    }

    @Test
    void shouldShareAnApprovalMadeHere() {
        String serving = active();
        downTriagingEdit(dir(), "approved here");
        String candidate = dir().version();
        awaitPending(candidate);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        asRulesAdmin().contentType(ContentType.JSON).body("{\"comment\": \"approved here\"}")
                .post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(200)
                .body("result", equalTo("ACCEPTED")).body("trigger", equalTo("APPROVAL"));

        RuleSetArchive.Review shared = archive.findReview(candidate, serving).orElseThrow();
        assertEquals(new RuleSetArchive.Review(shared.id(), candidate, serving, "APPROVED", "test-rules-admin", "approved here",
                shared.decidedAt(), RuleSetHistory.instanceName()), shared);
        assertEquals(false, shared.decidedAt().isBefore(before));
    }

    /**
     * The second pair of eyes holds across replicas: who submitted an edit through the API on one
     * replica may not approve it on another (the balancer picks the replica, not the clinician).
     */
    @Test
    void shouldRefuseTheApprovalOfWhoeverSubmittedTheEditOnAnyReplica() {
        String serving = active();
        downTriagingEdit(dir(), "submitted through the API");
        String candidate = dir().version();
        awaitPending(candidate);
        // Submitted here through the API: recorded for the other replicas.
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).body("result", equalTo("PENDING_APPROVAL"));
        assertEquals(true, archive.submitted(candidate, serving, "test-rules-admin"));
        assertEquals(false, archive.submitted(candidate, serving, OTHER_CLINICIAN));
        // Submitted on another replica by another clinician: refused here for that clinician only.
        archive.recordSubmission(candidate, serving, OTHER_CLINICIAN, Instant.now().truncatedTo(ChronoUnit.MILLIS),
                OTHER_INSTANCE);
        as(OTHER_CLINICIAN, Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(403);
        assertEquals(serving, active());
        assertEquals(candidate, pendingVersion());
        assertEquals(java.util.Optional.empty(), archive.findReview(candidate, serving));
        as("a-third-clinician", Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + candidate + "/approve").then()
                .statusCode(200).body("result", equalTo("ACCEPTED"));
        assertEquals(candidate, active());
    }

    @Test
    void shouldShareARejectionMadeHereAndKeepTheVersionRejected() {
        String serving = active();
        downTriagingEdit(dir(), "rejected here");
        String candidate = dir().version();
        awaitPending(candidate);

        asRulesAdmin().contentType(ContentType.JSON).body("{\"comment\": \"no\"}")
                .post("/api/v1/rules/pending/" + candidate + "/reject").then().statusCode(200)
                .body("result", equalTo("REJECTED"));

        RuleSetArchive.Review shared = archive.findReview(candidate, serving).orElseThrow();
        assertEquals(new RuleSetArchive.Review(shared.id(), candidate, serving, "REJECTED", "test-rules-admin", "no",
                shared.decidedAt(), RuleSetHistory.instanceName()), shared);
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).body("result", equalTo("REJECTED"))
                .body("version", equalTo(candidate));
        asRulesAdmin().get("/api/v1/rules/pending").then().statusCode(404);
    }

    /**
     * A review is of one round of a change: once the replaced rules go live again (the edit was taken
     * back), the same edit made again waits for a new approval, here and on every replica.
     */
    @Test
    void shouldAskAgainForTheSameEditAfterItWasTakenBack() {
        String serving = active();
        downTriagingEdit(dir(), "made twice");
        String candidate = dir().version();
        awaitPending(candidate);
        as("second-clinician", Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + candidate + "/approve").then().statusCode(200)
                .body("result", equalTo("ACCEPTED"));

        original.forEach(dir()::write);
        JsonPath back = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
        if ("PENDING_APPROVAL".equals(back.getString("result"))) {
            as("second-clinician", Roles.RULES_ADMIN).post("/api/v1/rules/pending/" + serving + "/approve").then()
                    .statusCode(200);
        }
        assertEquals(serving, active());

        downTriagingEdit(dir(), "made twice");
        assertEquals(candidate, dir().version());
        awaitPending(candidate);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(() -> candidate.equals(pendingVersion()) && serving.equals(active()));
    }
}
