package org.massagetriage.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;

/**
 * JDBC access to the decision table, on H2 or PostgreSQL: the JDBC URL decides which, at run time.
 * Plain SQL that both accept; every method either succeeds or throws {@link SQLException}.
 */
public final class DecisionStore implements AutoCloseable {

    private static final int QUERY_TIMEOUT_SECONDS = 10;
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String COLUMNS = "decision_id, evaluated_at, ruleset_version, outcome, urgency, request_facts,"
            + " advice, fired_rules, missing_facts, client_subject, client_issuer, latency_micros";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();
    private final String kind;

    private DecisionStore(AgroalDataSource dataSource, String kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    /** Opens a pool; no connection is made until first use, so an unreachable store does not stop start-up. */
    public static DecisionStore open(String jdbcUrl, Optional<String> username, Optional<String> password, int poolSize)
            throws SQLException {
        String driver;
        String kind;
        String url = jdbcUrl;
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            url = H2WriteThrough.withShortRetention(jdbcUrl);
            driver = "org.h2.Driver";
            kind = "H2";
        } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            driver = "org.postgresql.Driver";
            kind = "PostgreSQL";
        } else {
            throw new IllegalArgumentException("triage.store.jdbc-url must start with jdbc:h2: or jdbc:postgresql:, not "
                    + jdbcUrl.split(":", 3)[0] + ":" + (jdbcUrl.contains(":") ? jdbcUrl.split(":", 3)[1] : ""));
        }
        String connectTo = url;
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(poolSize)
                        .minSize(0)
                        .initialSize(0)
                        .acquisitionTimeout(Duration.ofSeconds(2))
                        .validationTimeout(Duration.ofSeconds(5))
                        .reapTimeout(Duration.ofMinutes(5))
                        // After a database restart every pooled connection is dead: a connection
                        // error (SQLState 08) discards the connection, and each one is checked
                        // before use (one round trip per group commit), so the pool heals itself.
                        // Agroal's fatal sorter discards the connection on every SQLException; a
                        // unique-key refusal (an idempotent retry settled by the store) is an answer,
                        // not a broken connection: discarding it made each replay from the store open a
                        // new connection (H2, 8 clients retrying one key: 21 to 112 answers/s before,
                        // 404 to 837 after; docs/audit.md#idempotency-keys).
                        .exceptionSorter(e -> !isUniqueViolation(e))
                        .connectionValidator(AgroalConnectionPoolConfiguration.ConnectionValidator.defaultValidatorWithTimeout(2))
                        .validateOnBorrow(true)
                        .connectionFactoryConfiguration(cf -> {
                            cf.jdbcUrl(connectTo).connectionProviderClassName(driver).loginTimeout(Duration.ofSeconds(2))
                                    .autoCommit(true);
                            username.ifPresent(u -> cf.principal(new NamePrincipal(u)));
                            password.ifPresent(p -> cf.credential(new SimplePassword(p)));
                            return cf;
                        }));
        AgroalDataSource dataSource = AgroalDataSource.from(config);
        if (kind.equals("H2")) {
            dataSource.setPoolInterceptors(List.of(new H2WriteThrough()));
        }
        return new DecisionStore(dataSource, kind);
    }

    public String kind() {
        return kind;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** Brings the schema up to date; idempotent. */
    public void migrate() {
        flyway(dataSource, kind).migrate();
    }

    /**
     * The migrations of this kind of store: {@code db/migration} for both, then, on PostgreSQL only,
     * {@code db/postgresql} (V5, the decision table by month). Both folders share one version
     * sequence: a number used in one is not used in the other.
     */
    static org.flywaydb.core.api.configuration.FluentConfiguration flywayConfig(DataSource dataSource, String kind) {
        String[] locations = "PostgreSQL".equals(kind)
                ? new String[] {"classpath:db/migration", "classpath:db/postgresql"}
                : new String[] {"classpath:db/migration"};
        return Flyway.configure(DecisionStore.class.getClassLoader()).dataSource(dataSource).locations(locations);
    }

    private static Flyway flyway(DataSource dataSource, String kind) {
        return flywayConfig(dataSource, kind).load();
    }

    /** The decision table's monthly partitions on PostgreSQL; empty on H2, whose table is not partitioned. */
    Optional<DecisionPartitions> partitions() {
        return "PostgreSQL".equals(kind) ? Optional.of(new DecisionPartitions(dataSource)) : Optional.empty();
    }

    /** A record to write, with its client's idempotency key, or none ({@code key} null). */
    record Write(DecisionRecord record, IdempotencyKey key) {
    }

    /**
     * Writes all records in one transaction: one commit (one fsync on PostgreSQL) for the whole
     * group. A record whose key an unexpired decision of the same client already holds (evaluated at
     * or after {@code keysFrom}) is not written; its result is that decision's answer, every other
     * result is empty. The whole group is tried at once first; only when the unique key refuses it
     * (a retry, rare) is it written again record by record, each keyed one under a savepoint, so one
     * retry never costs the others in its group their answer.
     */
    List<Optional<EarlierAnswer>> insertAll(List<Write> writes, Instant keysFrom) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Write> keyed = writes.stream().filter(w -> w.key() != null).toList();
                try {
                    insertDecisions(c, writes.stream().map(Write::record).toList());
                    insertKeys(c, keyed);
                    c.commit();
                    return java.util.Collections.nCopies(writes.size(), Optional.empty());
                } catch (SQLException e) {
                    if (keyed.isEmpty() || !isUniqueViolation(e)) {
                        throw e;
                    }
                    c.rollback();
                }
                insertDecisions(c, writes.stream().filter(w -> w.key() == null).map(Write::record).toList());
                List<Optional<EarlierAnswer>> results = new ArrayList<>(writes.size());
                for (Write w : writes) {
                    results.add(w.key() == null ? Optional.empty() : insertKeyed(c, w, keysFrom));
                }
                c.commit();
                return results;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** Inserts one keyed record unless its key is held; a key held by an expired decision is released first. */
    private Optional<EarlierAnswer> insertKeyed(Connection c, Write w, Instant keysFrom) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            Savepoint before = c.setSavepoint();
            try {
                insertDecisions(c, List.of(w.record()));
                insertKeys(c, List.of(w));
                c.releaseSavepoint(before);
                return Optional.empty();
            } catch (SQLException e) {
                c.rollback(before);
                // Two tries to release an expired key, and one more if the holder vanished meanwhile.
                if (!isUniqueViolation(e) || attempt == 3) {
                    throw e;
                }
            }
            Optional<Held> held = heldKey(c, w);
            if (held.isPresent() && !held.get().createdAt().isBefore(keysFrom)) {
                return Optional.of(held.get().answer());
            }
            // Older than the retention (the hourly purge has not reached it yet): a retry this late
            // is a new request, so the key goes to this decision. The old decision stays recorded.
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM decision_idempotency WHERE client_subject = ?"
                    + " AND client_issuer = ? AND idempotency_key = ? AND created_at < ?")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, w.record().clientSubject());
                ps.setString(2, issuer(w.record()));
                ps.setString(3, w.key().key());
                ps.setObject(4, OffsetDateTime.ofInstant(keysFrom, ZoneOffset.UTC));
                ps.executeUpdate();
            }
        }
    }

    private record Held(Instant createdAt, EarlierAnswer answer) {
    }

    private Optional<Held> heldKey(Connection c, Write w) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT k.created_at, k.response, d.decision_id, d.evaluated_at,"
                + " d.request_facts FROM decision_idempotency k JOIN decision d ON d.decision_id = k.decision_id"
                + " WHERE k.client_subject = ? AND k.client_issuer = ? AND k.idempotency_key = ?")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, w.record().clientSubject());
            ps.setString(2, issuer(w.record()));
            ps.setString(3, w.key().key());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Held(rs.getObject(1, OffsetDateTime.class).toInstant(),
                        new EarlierAnswer(rs.getObject(3, UUID.class), rs.getObject(4, OffsetDateTime.class).toInstant(),
                                rs.getString(5), rs.getString(2))));
            }
        }
    }

    private void insertDecisions(Connection c, List<DecisionRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            // Bounded: a silently dropped network must not hold the single writer for good.
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            for (DecisionRecord r : records) {
                ps.setObject(1, r.decisionId());
                ps.setObject(2, OffsetDateTime.ofInstant(r.evaluatedAt(), ZoneOffset.UTC));
                ps.setString(3, r.rulesetVersion());
                ps.setString(4, r.outcome());
                ps.setShort(5, (short) r.urgency());
                ps.setString(6, r.requestFacts());
                ps.setString(7, toJson(r.advice()));
                ps.setString(8, toJson(r.firedRules()));
                ps.setString(9, toJson(r.missingFacts()));
                ps.setString(10, r.clientSubject());
                ps.setString(11, r.clientIssuer());
                ps.setLong(12, r.latencyMicros());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertKeys(Connection c, List<Write> keyed) throws SQLException {
        if (keyed.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO decision_idempotency (client_subject, client_issuer,"
                + " idempotency_key, decision_id, created_at, response) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            for (Write w : keyed) {
                DecisionRecord r = w.record();
                ps.setString(1, r.clientSubject());
                ps.setString(2, issuer(r));
                ps.setString(3, w.key().key());
                ps.setObject(4, r.decisionId());
                ps.setObject(5, OffsetDateTime.ofInstant(r.evaluatedAt(), ZoneOffset.UTC));
                ps.setString(6, w.key().response());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static String issuer(DecisionRecord r) {
        return r.clientIssuer() == null ? "" : r.clientIssuer();
    }

    /** SQLState 23505 on H2 and PostgreSQL; a batch reports it on the exception's chain. */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s) {
                for (SQLException n = s; n != null; n = n.getNextException()) {
                    if ("23505".equals(n.getSQLState())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Releases keys given before {@code cutoff}; their decisions stay. Returns how many. */
    int deleteKeysOlderThan(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM decision_idempotency WHERE created_at < ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            return ps.executeUpdate();
        }
    }

    public Optional<DecisionRecord> find(UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM decision WHERE decision_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    public DecisionPage list(DecisionQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM decision WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.from() != null) {
            sql.append(" AND evaluated_at >= ?");
            args.add(OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
        }
        if (q.to() != null) {
            sql.append(" AND evaluated_at < ?");
            args.add(OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC));
        }
        if (q.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(q.outcome());
        }
        if (q.after() != null) {
            OffsetDateTime at = OffsetDateTime.ofInstant(q.after().evaluatedAt(), ZoneOffset.UTC);
            sql.append(" AND (evaluated_at > ? OR (evaluated_at = ? AND decision_id > ?))");
            args.add(at);
            args.add(at);
            args.add(q.after().decisionId());
        }
        sql.append(" ORDER BY evaluated_at, decision_id FETCH FIRST ? ROWS ONLY");
        args.add(q.limit() + 1); // one more tells whether there is a next page
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<DecisionRecord> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(read(rs));
                }
            }
            String next = null;
            if (items.size() > q.limit()) {
                items = items.subList(0, q.limit());
                DecisionRecord last = items.get(items.size() - 1);
                next = new DecisionQuery.Cursor(last.evaluatedAt(), last.decisionId()).encode();
            }
            return new DecisionPage(List.copyOf(items), next);
        }
    }

    /** The newest decisions since {@code since}; each distinct fact set once, up to {@code max} of them. */
    public List<AuditTrail.RecordedCase> recentCases(Instant since, int max) throws SQLException {
        java.util.Map<String, UUID> distinct = new java.util.LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT decision_id, request_facts FROM decision WHERE evaluated_at >= ?"
                     + " ORDER BY evaluated_at DESC, decision_id DESC")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS * 3);
            ps.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
            ps.setMaxRows(max);
            ps.setFetchSize(1_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    distinct.putIfAbsent(rs.getString(2), rs.getObject(1, UUID.class));
                }
            }
        }
        List<AuditTrail.RecordedCase> out = new ArrayList<>(distinct.size());
        distinct.forEach((facts, id) -> out.add(new AuditTrail.RecordedCase(id, facts)));
        return out;
    }

    /**
     * Deletes records evaluated before {@code cutoff}, and their idempotency keys and card feedback
     * (by foreign key on H2, by V5's trigger on PostgreSQL); returns how many. On PostgreSQL only the
     * month the cutoff falls in and the default partition hold such rows once the wholly expired
     * months are dropped, and the query reads no other partition.
     */
    public int deleteOlderThan(Instant cutoff) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM decision WHERE evaluated_at < ?")) {
            ps.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            return ps.executeUpdate();
        }
    }

    /** A round trip to the database, for readiness. */
    public void ping() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT 1")) {
            ps.executeQuery().close();
        }
    }

    private DecisionRecord read(ResultSet rs) throws SQLException {
        OffsetDateTime at = rs.getObject("evaluated_at", OffsetDateTime.class);
        return new DecisionRecord(rs.getObject("decision_id", UUID.class), at.toInstant(),
                rs.getString("ruleset_version"), rs.getString("request_facts"), rs.getString("outcome"),
                rs.getShort("urgency"), fromJson(rs.getString("advice")), fromJson(rs.getString("fired_rules")),
                fromJson(rs.getString("missing_facts")), rs.getString("client_subject"), rs.getString("client_issuer"),
                rs.getLong("latency_micros"));
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings always serializes", e);
        }
    }

    private List<String> fromJson(String text) throws SQLException {
        try {
            return json.readValue(text, STRINGS);
        } catch (JsonProcessingException e) {
            throw new SQLException("Corrupt list in the decision table: " + e.getOriginalMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool will discard it
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
