package org.massagetriage.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asAuditor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.postgresql.ds.PGSimpleDataSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The decision table by month on PostgreSQL (issue 19): partitions made ahead, decisions of any
 * month found by id and paged in order across month boundaries, retention dropping whole expired
 * months, and rows of a month without a partition kept in the default one and moved when it comes.
 * Each test works in months of its own, years back, so that none sees another's decisions.
 */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class PostgresPartitionTests {

    @Inject
    AuditTrail audit;

    @Inject
    CardFeedbackArchive feedback;

    private final PGSimpleDataSource db = new PGSimpleDataSource();
    private final DecisionPartitions partitions;

    PostgresPartitionTests() {
        db.setURL(PostgresStoreProfile.URL);
        partitions = new DecisionPartitions(db);
    }

    @Test
    void shouldHaveThisMonthsPartitionAndTheNextThreeAfterStart() throws SQLException {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        Set<YearMonth> months = partitions.months();
        for (int i = 0; i <= 3; i++) {
            assertTrue(months.contains(now.plusMonths(i)), now.plusMonths(i) + " in " + months);
        }
        assertEquals("decision_" + now.toString().replace('-', '_'), partitionOf(decide()));
        assertTrue(exists("decision_default"));
    }

    @Test
    void shouldFindAndPageDecisionsAcrossMonthBoundaries() throws SQLException {
        for (int month = 4; month <= 6; month++) {
            partitions.make(YearMonth.of(2019, month));
        }
        List<DecisionRecord> records = new ArrayList<>();
        for (String at : List.of("2019-04-10T08:00:00Z", "2019-05-31T23:59:59.999Z", "2019-06-01T00:00:00Z", "2019-06-01T00:00:00Z",
                "2019-06-01T00:00:00.001Z", "2019-06-30T23:59:59.999Z", "2019-07-01T00:00:00Z", "2019-08-15T12:00:00Z")) {
            DecisionRecord r = record(Instant.parse(at));
            audit.record(r).join();
            records.add(r);
        }
        assertEquals(List.of("decision_2019_04", "decision_2019_05", "decision_2019_06", "decision_2019_06", "decision_2019_06",
                "decision_2019_06", "decision_default", "decision_default"), records.stream().map(r -> partitionOf(r.decisionId())).toList());
        for (DecisionRecord r : records) {
            assertEquals(r, audit.find(r.decisionId()).orElseThrow());
        }

        // PostgreSQL orders uuids by their bytes, which is the order of their lower-case text.
        List<String> expected = records.stream()
                .sorted(Comparator.comparing(DecisionRecord::evaluatedAt).thenComparing(r -> r.decisionId().toString()))
                .map(r -> r.decisionId().toString()).toList();
        for (int limit : List.of(1, 2, 3)) {
            List<String> paged = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                var request = asAuditor().queryParam("from", "2019-04-01T00:00:00Z").queryParam("to", "2019-09-01T00:00:00Z")
                        .queryParam("limit", limit);
                if (cursor != null) {
                    request = request.queryParam("cursor", cursor);
                }
                JsonPath page = request.get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
                paged.addAll(page.getList("items.decisionId"));
                cursor = page.getString("nextCursor");
                pages++;
            } while (cursor != null);
            assertEquals(expected, paged, "limit " + limit);
            assertEquals((records.size() + limit - 1) / limit, pages, "limit " + limit);
        }
        List<String> juneOnly = asAuditor().queryParam("from", "2019-06-01T00:00:00Z").queryParam("to", "2019-07-01T00:00:00Z")
                .queryParam("limit", 100).get("/api/v1/decisions").then().statusCode(200).extract().jsonPath().getList("items.decisionId");
        assertEquals(expected.subList(2, 6), juneOnly);
    }

    /**
     * Retention is by the day: a month wholly older than the cutoff goes as a table, with its
     * decisions' feedback; the month the cutoff falls in loses only its expired rows, one by one.
     */
    @Test
    void shouldDropWhollyExpiredMonthsAndDeleteOnlyTheExpiredRowsOfTheCutoffsMonth() throws SQLException {
        for (int month = 4; month <= 7; month++) {
            partitions.make(YearMonth.of(2020, month));
        }
        Instant cutoff = Instant.parse("2020-06-15T12:00:00Z");
        Instant now = cutoff.plus(Duration.ofDays(365)); // the profile's retention-days
        DecisionRecord inDefault = record(Instant.parse("2020-03-20T10:00:00Z"));
        DecisionRecord april = record(Instant.parse("2020-04-20T10:00:00Z"));
        DecisionRecord endOfMay = record(Instant.parse("2020-05-31T23:59:59.999Z"));
        DecisionRecord juneExpired = record(cutoff.minusMillis(1));
        DecisionRecord juneKept = record(cutoff);
        DecisionRecord july = record(Instant.parse("2020-07-02T10:00:00Z"));
        for (DecisionRecord r : List.of(inDefault, april, endOfMay, juneExpired, juneKept, july)) {
            audit.record(r).join();
        }
        feedbackOn(april);
        feedbackOn(juneKept);

        assertTrue(audit.deleteExpired(now) >= 4);

        assertFalse(exists("decision_2020_04"));
        assertFalse(exists("decision_2020_05"));
        assertTrue(exists("decision_2020_06"));
        assertTrue(exists("decision_2020_07"));
        assertTrue(partitions.months().containsAll(List.of(YearMonth.of(2020, 6), YearMonth.of(2020, 7))));
        for (DecisionRecord gone : List.of(inDefault, april, endOfMay, juneExpired)) {
            assertFalse(audit.find(gone.decisionId()).isPresent(), gone.evaluatedAt().toString());
        }
        assertEquals(juneKept, audit.find(juneKept.decisionId()).orElseThrow());
        assertEquals(july, audit.find(july.decisionId()).orElseThrow());
        assertEquals(0, count("SELECT count(*) FROM card_feedback WHERE decision_id = ?", april.decisionId()));
        assertEquals(1, count("SELECT count(*) FROM card_feedback WHERE decision_id = ?", juneKept.decisionId()));

        assertEquals(0, audit.deleteExpired(now), "a second run finds nothing");
    }

    /** A decision of a month without a partition is kept in the default one, and moved with its key and feedback when the month's partition is made. */
    @Test
    void shouldMoveDecisionsOfTheDefaultPartitionIntoTheirMonthWithTheirKeysAndFeedback() throws SQLException {
        DecisionRecord early = record(Instant.parse("2021-03-10T09:00:00Z"));
        DecisionRecord other = record(Instant.parse("2021-04-10T09:00:00Z"));
        audit.recordOnce(early, new IdempotencyKey("partition-move-" + early.decisionId(), "{\"early\":true}")).join();
        audit.record(other).join();
        feedbackOn(early);
        assertEquals("decision_default", partitionOf(early.decisionId()));

        assertTrue(partitions.make(YearMonth.of(2021, 3)));
        assertFalse(partitions.make(YearMonth.of(2021, 3)), "made once");

        assertEquals("decision_2021_03", partitionOf(early.decisionId()));
        assertEquals("decision_default", partitionOf(other.decisionId()));
        assertEquals(early, audit.find(early.decisionId()).orElseThrow());
        assertEquals(1, count("SELECT count(*) FROM decision_idempotency WHERE decision_id = ?", early.decisionId()));
        assertEquals(1, count("SELECT count(*) FROM card_feedback WHERE decision_id = ?", early.decisionId()));
    }

    /** Three replicas making the same months at the same moment: each month is made once, and none of them fails. */
    @Test
    void shouldMakeEachMonthOnceWhenThreeReplicasMakeThemAtOnce() throws Exception {
        YearMonth first = YearMonth.of(2031, 1);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<List<YearMonth>>> replicas = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DecisionPartitions replica = new DecisionPartitions(db);
            Callable<List<YearMonth>> job = () -> {
                start.await();
                return replica.makeAhead(first, 5);
            };
            replicas.add(pool.submit(job));
        }
        start.countDown();
        List<YearMonth> made = new ArrayList<>();
        for (Future<List<YearMonth>> f : replicas) {
            made.addAll(f.get());
        }
        pool.shutdown();
        assertEquals(6, made.size(), made.toString());
        assertEquals(6, new HashSet<>(made).size(), made.toString());
        for (int i = 0; i <= 5; i++) {
            assertTrue(exists(DecisionPartitions.name(first.plusMonths(i))));
        }
    }

    @Test
    void shouldRefuseFeedbackOnADecisionThatDoesNotExistAsTheForeignKeyDid() {
        CardFeedbackRecord f = new CardFeedbackRecord(UUID.randomUUID(), "accepted", null, null, null, null, Instant.now(),
                Instant.now(), "nobody");
        StoreUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(StoreUnavailableException.class,
                () -> feedback.recordAll(List.of(new CardFeedbackArchive.Write(f, Set.of()))));
        assertTrue(e.getMessage().contains("a decision was deleted while its feedback was stored"), e.getMessage());
    }

    private UUID decide() {
        DecisionRecord r = record(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        audit.record(r).join();
        return r.decisionId();
    }

    /**
     * Accepted feedback: no overridden rules, so the overrides per rule that the card-feedback
     * contract counts in this same schema never see these decisions come and go.
     */
    private void feedbackOn(DecisionRecord r) {
        feedback.recordAll(List.of(new CardFeedbackArchive.Write(new CardFeedbackRecord(r.decisionId(), "accepted",
                null, null, null, null, r.evaluatedAt(), r.evaluatedAt(), "partition-test"), Set.of())));
    }

    private static DecisionRecord record(Instant at) {
        return new DecisionRecord(UUID.randomUUID(), at, "sha256:test", "{}", "CONTACT_THERAPIST", 1, List.of("HYDRATE"),
                List.of("SN-01"), List.of("symptoms"), "partition-test", null, 42);
    }

    private String partitionOf(UUID id) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT tableoid::regclass::text FROM decision WHERE decision_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A partition of decision by that name, as the catalog lists it. */
    private boolean exists(String table) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid"
                     + " WHERE i.inhparent = 'decision'::regclass AND p.relname = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean listed = rs.getInt(1) == 1;
                try (PreparedStatement t = c.prepareStatement("SELECT to_regclass(?)")) {
                    t.setString(1, table);
                    try (ResultSet r2 = t.executeQuery()) {
                        r2.next();
                        assertEquals(listed, r2.getString(1) != null, table + ": a table that is not a partition, or the reverse");
                    }
                }
                return listed;
            }
        }
    }

    private long count(String sql, UUID id) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
