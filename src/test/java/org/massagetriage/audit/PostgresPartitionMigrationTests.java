package org.massagetriage.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An existing PostgreSQL store (schema V4, the decision table unpartitioned, with rows, keys and
 * feedback) migrated to the table by month keeps every row as it was, in its month's partition.
 * Plain JDBC and Flyway on a schema of its own; no service.
 */
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class PostgresPartitionMigrationTests {

    private static final String SCHEMA = "triage_migration_" + ProcessHandle.current().pid();
    private final PGSimpleDataSource db = new PGSimpleDataSource();

    @BeforeEach
    void freshSchema() throws SQLException {
        db.setURL("jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + SCHEMA);
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA);
    }

    @AfterEach
    void dropSchema() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void shouldKeepEveryRowWhenTheV4TableBecomesPartitioned() throws SQLException {
        DecisionStore.flywayConfig(db, "PostgreSQL").target("4").load().migrate();
        // 3,000 decisions over 26 months back from now, some with a key and feedback; one far ahead.
        execute("""
                INSERT INTO decision SELECT md5(i::text)::uuid, now() - make_interval(days => i % 790, secs => i),
                    'sha256:' || (i % 7), CASE WHEN i % 5 = 0 THEN 'EMERGENCY' ELSE 'SELF_CARE' END, i % 4,
                    '{"painSeverity": ' || (i % 11) || '}', '["HYDRATE"]', '["SC-01","ADV-01"]', '[]',
                    CASE WHEN i % 3 = 0 THEN NULL ELSE 'client-' || (i % 9) END, 'issuer', i
                FROM generate_series(1, 3000) AS i""",
                "INSERT INTO decision SELECT md5('far')::uuid, now() + interval '2 years', 'v', 'SELF_CARE', 0, '{}', '[]', '[]',"
                        + " '[]', NULL, NULL, 1",
                "INSERT INTO decision_idempotency SELECT 'client', '', 'key-' || decision_id, decision_id, evaluated_at, '{}'"
                        + " FROM decision WHERE latency_micros % 50 = 0",
                "INSERT INTO card_feedback (feedback_id, decision_id, outcome, outcome_timestamp, received_at, client_name)"
                        + " SELECT md5('f' || decision_id)::uuid, decision_id, 'overridden', evaluated_at, evaluated_at, 'c'"
                        + " FROM decision WHERE latency_micros % 70 = 0",
                "INSERT INTO card_feedback_rule SELECT feedback_id, 'SC-01' FROM card_feedback");
        List<String> decisions = rows("SELECT * FROM decision ORDER BY decision_id");
        List<String> keys = rows("SELECT * FROM decision_idempotency ORDER BY idempotency_key");
        List<String> feedback = rows("SELECT * FROM card_feedback ORDER BY feedback_id");
        List<String> feedbackRules = rows("SELECT * FROM card_feedback_rule ORDER BY feedback_id");
        TreeSet<YearMonth> monthsWithRows = new TreeSet<>();
        for (String at : rows("SELECT DISTINCT to_char(evaluated_at AT TIME ZONE 'UTC', 'YYYY-MM') FROM decision")) {
            monthsWithRows.add(YearMonth.parse(at.substring(1, at.length() - 1)));
        }
        assertEquals(3001, decisions.size());
        assertTrue(monthsWithRows.size() >= 27, monthsWithRows.toString());

        DecisionStore.flywayConfig(db, "PostgreSQL").load().migrate();

        assertEquals(List.of("r"), rows("SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'decision'::regclass")
                .stream().map(r -> r.substring(1, r.length() - 1)).toList());
        assertEquals(decisions, rows("SELECT * FROM decision ORDER BY decision_id"));
        assertEquals(keys, rows("SELECT * FROM decision_idempotency ORDER BY idempotency_key"));
        assertEquals(feedback, rows("SELECT * FROM card_feedback ORDER BY feedback_id"));
        assertEquals(feedbackRules, rows("SELECT * FROM card_feedback_rule ORDER BY feedback_id"));
        TreeSet<YearMonth> expected = new TreeSet<>(monthsWithRows);
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        for (int i = 0; i <= 3; i++) {
            expected.add(now.plusMonths(i));
        }
        assertEquals(expected, new DecisionPartitions(db).months());
        assertEquals(List.of("[0]"), rows("SELECT count(*) FROM decision_default"), "every row in its month's partition");
        assertEquals(List.of("[decision_pkey]", "[decision_by_outcome_time]", "[decision_by_time]"),
                rows("SELECT relname FROM pg_class WHERE relkind = 'I' AND relnamespace = current_schema()::regnamespace"
                        + " AND relname LIKE 'decision%' ORDER BY relname = 'decision_pkey' DESC, relname"));
        assertEquals(List.of("[0]"), rows("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid IN"
                + " ('card_feedback'::regclass, 'decision_idempotency'::regclass)"), "the foreign keys to decision are triggers now");
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Each row as the text of its columns, so that two reads compare exactly. */
    private List<String> rows(String sql) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row.toString());
            }
            return out;
        }
    }
}
