package org.massagetriage.audit;

import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * What the audit trail promises, run against each store (H2 and PostgreSQL subclasses): every
 * answered decision can be read back exactly, listed by time and outcome page by page, and none is
 * lost under concurrency.
 */
abstract class DecisionAuditContract {

    static final String ANXIETY = "{\"painSeverity\": 4, \"symptoms\": [\"ANXIETY_OR_DISTRESS\"], \"bodyRegion\": \"NECK\"}";
    static final String FAINTING = "{\"symptoms\": [\"FAINTING\"]}";

    @Inject
    AuditTrail audit;

    @TestHTTPResource("/api/v1/triage")
    URI triageUri;

    static JsonPath decide(String body) {
        return asClient().contentType(ContentType.JSON).body(body).post("/api/v1/triage").then().statusCode(200)
                .extract().jsonPath();
    }

    @Test
    void shouldReturnTheSameDecisionByIdAsWasAnswered() {
        JsonPath answer = decide(ANXIETY);
        String id = answer.getString("decisionId");
        asAuditor().get("/api/v1/decisions/" + id).then().statusCode(200)
                .body("decisionId", equalTo(id))
                .body("evaluatedAt", equalTo(answer.getString("evaluatedAt")))
                .body("rulesetVersion", equalTo(answer.getString("ruleset.version")))
                .body("request", equalTo(Map.of("painSeverity", 4, "symptoms", List.of("ANXIETY_OR_DISTRESS"), "bodyRegion", "NECK")))
                .body("outcome", equalTo("CONTACT_THERAPIST"))
                .body("urgency", equalTo(1))
                .body("advice", equalTo(answer.getList("advice")))
                .body("firedRules", equalTo(List.of("CT-04", "ADV-02", "ADV-05", "MF-02", "MF-03")))
                .body("missingFacts", equalTo(List.of("painCharacter", "trend")))
                .body("client.subject", equalTo("test-triage-client")).body("client.issuer", equalTo(TestTokens.ISSUER));
    }

    @Test
    void shouldAnswer404ForAnUnknownIdAnd400ForAMalformedOne() {
        asAuditor().get("/api/v1/decisions/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        asAuditor().get("/api/v1/decisions/not-a-uuid").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void shouldListByWindowAndOutcomePageByPage() throws InterruptedException {
        Instant from = Instant.now().minusMillis(1);
        List<String> emergencies = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            emergencies.add(decide(FAINTING).getString("decisionId"));
            decide(ANXIETY);
        }
        Thread.sleep(5);
        Instant to = Instant.now().plusMillis(1);

        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = asAuditor().queryParam("from", from.toString()).queryParam("to", to.toString())
                    .queryParam("outcome", "EMERGENCY").queryParam("limit", 2);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
            List<String> ids = page.getList("items.decisionId");
            assertTrue(ids.size() <= 2);
            assertTrue(page.getList("items.outcome").stream().allMatch("EMERGENCY"::equals));
            paged.addAll(ids);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertEquals(new HashSet<>(emergencies), new HashSet<>(paged));
        assertEquals(5, paged.size(), "no record twice across pages");
        assertEquals(3, pages);

        int all = asAuditor().queryParam("from", from.toString()).queryParam("to", to.toString()).queryParam("limit", 500)
                .get("/api/v1/decisions").then().statusCode(200).extract().jsonPath().getList("items").size();
        assertEquals(10, all);
    }

    @Test
    void shouldRejectBadListParametersNamingEach() {
        asAuditor().queryParam("form", "x").queryParam("to", "yesterday").queryParam("outcome", "SOON")
                .queryParam("limit", 0).queryParam("cursor", "%%%")
                .get("/api/v1/decisions").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("form", "to", "outcome", "limit", "cursor")));
    }

    @Test
    void shouldAnswer400NotA503ForAYearTheStoreCannotHold() {
        asAuditor().queryParam("from", "+100000-01-01T00:00:00Z").get("/api/v1/decisions").then().statusCode(400)
                .body("errors.field", equalTo(List.of("from")));
        String farCursor = new DecisionQuery.Cursor(Instant.parse("+100000-01-01T00:00:00Z"), UUID.randomUUID()).encode();
        asAuditor().queryParam("cursor", farCursor).get("/api/v1/decisions").then().statusCode(400)
                .body("errors.field", equalTo(List.of("cursor")));
    }

    @Test
    void shouldRecordExactly2000DecisionsFrom32ConcurrentClients() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<Integer>> clients = new ArrayList<>();
        for (int c = 0; c < 32; c++) {
            int perClient = c < 16 ? 63 : 62; // 16 x 63 + 16 x 62 = 2,000
            clients.add(pool.submit(() -> {
                int failures = 0;
                for (int i = 0; i < perClient; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(triageUri).header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(i % 2 == 0 ? ANXIETY : FAINTING)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        answered.add(JsonPath.from(r.body()).getString("decisionId"));
                    } else {
                        failures++;
                    }
                }
                return failures;
            }));
        }
        int failures = 0;
        for (Future<Integer> f : clients) {
            failures += f.get();
        }
        pool.shutdown();
        assertEquals(0, failures);
        assertEquals(2000, answered.size());

        Set<String> listed = new HashSet<>();
        String cursor = null;
        do {
            var request = asAuditor().queryParam("from", from.toString()).queryParam("limit", 500);
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
            listed.addAll(page.getList("items.decisionId"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertEquals(answered, listed);
        for (String id : answered) {
            assertTrue(audit.find(UUID.fromString(id)).isPresent(), id);
        }
    }

    @Test
    void shouldDeleteOnlyRecordsOlderThanTheRetention() {
        Instant now = Instant.now();
        DecisionRecord old = record(now.minus(Duration.ofDays(400)));
        DecisionRecord recent = record(now.minus(Duration.ofDays(300)));
        audit.record(old).join();
        audit.record(recent).join();
        assertTrue(audit.deleteExpired(now) >= 1);
        assertFalse(audit.find(old.decisionId()).isPresent());
        DecisionRecord kept = audit.find(recent.decisionId()).orElseThrow();
        assertEquals(recent, kept);
        assertNull(audit.unavailableReason());
        assertNotNull(audit.kind());
    }

    private static DecisionRecord record(Instant at) {
        return new DecisionRecord(UUID.randomUUID(), at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), "sha256:test",
                "{}", "CONTACT_THERAPIST", 1, List.of("HYDRATE"), List.of("SN-01"), List.of("symptoms"), null, null, 42);
    }
}
