package org.massagetriage.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.DecisionQuery;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.audit.EarlierAnswer;
import org.massagetriage.audit.IdempotencyKey;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.path.json.JsonPath;

/**
 * Issue 17: a retry of {@code POST /api/v1/triage} with the same {@code Idempotency-Key}, from the
 * same client, with the same facts, is answered with the first decision again, byte for byte, and
 * records nothing new; run against each store (H2 and PostgreSQL subclasses), whose unique key is
 * the arbiter. Requests go over real HTTP so that the exact bytes and headers are compared.
 */
abstract class IdempotentRetryContract {

    static final String SHARP = "{\"painCharacter\": \"SHARP\", \"symptoms\": [\"SWELLING\"], \"painSeverity\": 6}";
    /** The same facts as {@link #SHARP}, in another order and spacing: the recorded facts are equal. */
    static final String SHARP_REORDERED = "{ \"painSeverity\":6,\n  \"symptoms\":[ \"SWELLING\" ], \"painCharacter\":\"SHARP\" }";
    static final String FAINTING = "{\"symptoms\": [\"FAINTING\"]}";
    static final String CLIENT = TestTokens.bearer(Roles.TRIAGE_CLIENT);
    static final String CLIENT_SUBJECT = "test-triage-client";

    @Inject
    AuditTrail audit;

    @ConfigProperty(name = "triage.store.jdbc-url")
    String jdbcUrl;

    @TestHTTPResource("/api/v1/triage")
    URI triage;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> post(String authorization, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(triage).header("Authorization", authorization)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String newKey() {
        return "retry-" + UUID.randomUUID();
    }

    /** Decisions recorded from {@code from} on. */
    int recordedSince(Instant from) {
        return audit.list(new DecisionQuery(from, null, null, 500, null)).items().size();
    }

    static Optional<String> replayed(HttpResponse<String> r) {
        return r.headers().firstValue("Idempotent-Replayed");
    }

    @Test
    void shouldAnswerARetryWithTheFirstAnswerByteForByteAndRecordNothingNew() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String key = newKey();
        HttpResponse<String> first = post(CLIENT, key, SHARP);
        assertEquals(200, first.statusCode(), first.body());
        assertEquals(Optional.empty(), replayed(first));
        assertEquals("URGENT_ASSESSMENT", JsonPath.from(first.body()).getString("outcome"));

        HttpResponse<String> retry = post(CLIENT, key, SHARP_REORDERED);
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(Optional.of("true"), replayed(retry));
        assertEquals(first.body(), retry.body());
        assertEquals(Optional.of("application/json"), retry.headers().firstValue("Content-Type"));
        assertEquals(Optional.of("no-store"), retry.headers().firstValue("Cache-Control"));
        assertEquals(1, recordedSince(from));

        // The answer is the recorded decision, not only the same outcome.
        JsonPath answer = JsonPath.from(first.body());
        DecisionRecord recorded = audit.find(UUID.fromString(answer.getString("decisionId"))).orElseThrow();
        assertEquals(Instant.parse(answer.getString("evaluatedAt")), recorded.evaluatedAt());
        assertEquals(answer.getList("reasons.ruleId"), recorded.firedRules());
        assertEquals(answer.getString("ruleset.version"), recorded.rulesetVersion());
    }

    @Test
    void shouldAnswer422ForTheSameKeyWithOtherFactsAndRecordNothing() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String key = newKey();
        assertEquals(200, post(CLIENT, key, SHARP).statusCode());
        HttpResponse<String> other = post(CLIENT, key, FAINTING);
        assertEquals(422, other.statusCode(), other.body());
        assertEquals(Optional.of("application/problem+json"), other.headers().firstValue("Content-Type"));
        JsonPath problem = JsonPath.from(other.body());
        assertEquals("urn:massage-triage:problem:idempotency-key-reused", problem.getString("type"));
        assertEquals("Unprocessable Content", problem.getString("title"));
        assertEquals(422, problem.getInt("status"));
        assertEquals("This Idempotency-Key was used before with other facts; send a new key for a new request.",
                problem.getString("detail"));
        assertEquals(List.of(Map.of("field", "Idempotency-Key", "detail",
                "already used by this client with other facts within the retention")), problem.getList("errors"));
        assertEquals(Optional.empty(), replayed(other));
        assertEquals(1, recordedSince(from));
    }

    @Test
    void shouldDecideAgainForTheSameKeyFromAnotherClient() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String key = newKey();
        HttpResponse<String> mine = post(CLIENT, key, SHARP);
        HttpResponse<String> theirs = post("Bearer " + TestTokens.validFor("other-booking-system", Roles.TRIAGE_CLIENT), key, SHARP);
        assertEquals(200, theirs.statusCode(), theirs.body());
        assertEquals(Optional.empty(), replayed(theirs));
        assertNotEquals(JsonPath.from(mine.body()).getString("decisionId"), JsonPath.from(theirs.body()).getString("decisionId"));
        assertEquals(2, recordedSince(from));
        assertEquals("other-booking-system",
                audit.find(UUID.fromString(JsonPath.from(theirs.body()).getString("decisionId"))).orElseThrow().clientSubject());
    }

    /**
     * 32 clients send the same keyed request at once: one decision is made and recorded, and all 32
     * get its answer; the in-flight ones wait for the first (none gets 409), later ones are replayed
     * from the store. Exactly one answer lacks {@code Idempotent-Replayed}.
     */
    @Test
    void shouldRecordOneDecisionFor32ConcurrentRequestsWithOneKey() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String key = newKey();
        post(CLIENT, newKey(), FAINTING); // a warm connection pool and rules, so the 32 really overlap
        Instant after = Instant.now().minusMillis(1);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            answers.add(pool.submit(() -> {
                go.await();
                return post(CLIENT, key, SHARP);
            }));
        }
        go.countDown();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (Future<HttpResponse<String>> f : answers) {
            responses.add(f.get());
        }
        pool.shutdown();
        assertEquals(List.of(200), responses.stream().map(HttpResponse::statusCode).distinct().toList());
        assertEquals(List.of(responses.get(0).body()), responses.stream().map(HttpResponse::body).distinct().toList());
        assertEquals(31, responses.stream().filter(r -> replayed(r).equals(Optional.of("true"))).count());
        assertEquals(1, responses.stream().filter(r -> replayed(r).isEmpty()).count());
        assertEquals(1, recordedSince(after));
        assertEquals(2, recordedSince(from));
    }

    /**
     * The store refuses the first write (its decision table is gone for a moment): 503, nothing
     * recorded. The client's retry with the same key after the store is back is decided and recorded
     * once; a second retry is the replay of that one.
     */
    @Test
    void shouldRecordExactlyOneDecisionWhenARetryFollowsA503() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String key = newKey();
        sql("ALTER TABLE decision RENAME TO decision_away");
        HttpResponse<String> refused;
        try {
            refused = post(CLIENT, key, SHARP);
        } finally {
            sql("ALTER TABLE decision_away RENAME TO decision");
        }
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals(Optional.of("5"), refused.headers().firstValue("Retry-After"));
        assertEquals(0, recordedSince(from));

        HttpResponse<String> retry = post(CLIENT, key, SHARP);
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(Optional.empty(), replayed(retry));
        HttpResponse<String> again = post(CLIENT, key, SHARP);
        assertEquals(Optional.of("true"), replayed(again));
        assertEquals(retry.body(), again.body());
        assertEquals(1, recordedSince(from));
        assertNull(audit.unavailableReason());
    }

    /** A retry later than triage.idempotency.retention (24 h here) is a new request; the old decision stays. */
    @Test
    void shouldDecideAgainWhenTheKeysDecisionIsOlderThanTheRetention() throws Exception {
        String key = newKey();
        DecisionRecord old = record(Instant.now().minus(Duration.ofHours(25)), "{\"symptoms\":[\"FAINTING\"]}");
        assertEquals(Optional.empty(), audit.recordOnce(old, new IdempotencyKey(key, "{\"old\":true}")).join());

        HttpResponse<String> late = post(CLIENT, key, FAINTING);
        assertEquals(200, late.statusCode(), late.body());
        assertEquals(Optional.empty(), replayed(late));
        assertNotEquals(old.decisionId().toString(), JsonPath.from(late.body()).getString("decisionId"));
        assertTrue(audit.find(old.decisionId()).isPresent());
        assertEquals(Optional.of("true"), replayed(post(CLIENT, key, FAINTING)));
    }

    /** The store settles a key held by another instance's decision: no record, that decision's answer. */
    @Test
    void shouldGiveTheHoldersAnswerAndRecordNothingWhenTheKeyIsTaken() {
        String key = newKey();
        DecisionRecord holder = record(Instant.now().minus(Duration.ofMinutes(5)), "{}");
        assertEquals(Optional.empty(), audit.recordOnce(holder, new IdempotencyKey(key, "{\"first\":true}")).join());
        DecisionRecord second = record(Instant.now(), "{}");
        Optional<EarlierAnswer> earlier = audit.recordOnce(second, new IdempotencyKey(key, "{\"second\":true}")).join();
        assertEquals(Optional.of(new EarlierAnswer(holder.decisionId(), holder.evaluatedAt(), "{}", "{\"first\":true}")), earlier);
        assertEquals(Optional.empty(), audit.find(second.decisionId()));
    }

    /** Keys are released hourly once older than the retention; their decisions stay (retention-days is a year here). */
    @Test
    void shouldReleaseExpiredKeysButKeepTheirDecisions() throws Exception {
        String oldKey = newKey();
        String recentKey = newKey();
        DecisionRecord old = record(Instant.now().minus(Duration.ofHours(25)), "{}");
        DecisionRecord recent = record(Instant.now().minus(Duration.ofHours(23)), "{}");
        audit.recordOnce(old, new IdempotencyKey(oldKey, "{}")).join();
        audit.recordOnce(recent, new IdempotencyKey(recentKey, "{}")).join();
        audit.deleteExpired(Instant.now());
        assertEquals(0, keysNamed(oldKey));
        assertEquals(1, keysNamed(recentKey));
        assertTrue(audit.find(old.decisionId()).isPresent());
    }

    static DecisionRecord record(Instant at, String facts) {
        return new DecisionRecord(UUID.randomUUID(), at.truncatedTo(ChronoUnit.MILLIS), "sha256:test", facts, "EMERGENCY", 3,
                List.of("CALL_EMERGENCY_SERVICES"), List.of("RF-01"), List.of(), CLIENT_SUBJECT, TestTokens.ISSUER, 42);
    }

    void sql(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    int keysNamed(String key) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM decision_idempotency WHERE idempotency_key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
