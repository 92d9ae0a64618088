package org.massagetriage.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@link CardFeedbackArchive} in the decision store's database (tables of migration V4). */
final class StoreCardFeedbackArchive implements CardFeedbackArchive {

    private static final int QUERY_TIMEOUT_SECONDS = 10;
    /** A referenced row is missing (here: a decision deleted by retention meanwhile), on H2 and PostgreSQL. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final String COLUMNS = "decision_id, outcome, override_code, override_system, override_display,"
            + " user_comment, outcome_timestamp, received_at, client_name";

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    StoreCardFeedbackArchive(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public Map<UUID, List<String>> firedRulesOfDecisions(String clientSubject, String clientIssuer, Set<UUID> decisionIds) {
        if (decisionIds.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = List.copyOf(decisionIds);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT decision_id, fired_rules FROM decision WHERE client_subject = ?"
                     + " AND client_issuer = ? AND decision_id IN (" + placeholders(ids.size()) + ")")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, clientSubject);
            ps.setString(2, clientIssuer);
            for (int i = 0; i < ids.size(); i++) {
                ps.setObject(i + 3, ids.get(i));
            }
            Map<UUID, List<String>> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), json.readValue(rs.getString(2), STRINGS));
                }
            }
            return out;
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreUnavailableException("The decision store cannot be read", e);
        }
    }

    @Override
    public void recordAll(List<Write> items) {
        if (items.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<UUID> ids = new ArrayList<>(items.size());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO card_feedback (feedback_id, " + COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    for (Write w : items) {
                        CardFeedbackRecord f = w.feedback();
                        UUID id = UUID.randomUUID();
                        ids.add(id);
                        ps.setObject(1, id);
                        ps.setObject(2, f.decisionId());
                        ps.setString(3, f.outcome());
                        ps.setString(4, f.overrideCode());
                        ps.setString(5, f.overrideSystem());
                        ps.setString(6, f.overrideDisplay());
                        ps.setString(7, f.userComment());
                        ps.setObject(8, utc(f.outcomeTimestamp()));
                        ps.setObject(9, utc(f.receivedAt()));
                        ps.setString(10, f.client());
                        // One statement per item: each gets the next received_seq, in this order.
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO card_feedback_rule (feedback_id, rule_id)"
                        + " VALUES (?, ?)")) {
                    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    boolean any = false;
                    for (int i = 0; i < items.size(); i++) {
                        for (String rule : new LinkedHashSet<>(items.get(i).overriddenRules())) {
                            ps.setObject(1, ids.get(i));
                            ps.setString(2, rule);
                            ps.addBatch();
                            any = true;
                        }
                    }
                    if (any) {
                        ps.executeBatch();
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            String detail = isForeignKeyViolation(e) ? "a decision was deleted while its feedback was stored"
                    : "the card feedback cannot be written";
            throw new StoreUnavailableException("The decision store refused the feedback: " + detail, e);
        }
    }

    @Override
    public Map<UUID, List<CardFeedbackRecord>> feedbackOf(Collection<UUID> decisionIds) {
        if (decisionIds.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = List.copyOf(new LinkedHashSet<>(decisionIds));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM card_feedback WHERE decision_id IN ("
                     + placeholders(ids.size()) + ") ORDER BY decision_id, received_seq")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            for (int i = 0; i < ids.size(); i++) {
                ps.setObject(i + 1, ids.get(i));
            }
            Map<UUID, List<CardFeedbackRecord>> out = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CardFeedbackRecord f = new CardFeedbackRecord(rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), instant(rs, 7),
                            instant(rs, 8), rs.getString(9));
                    out.computeIfAbsent(f.decisionId(), k -> new ArrayList<>()).add(f);
                }
            }
            out.replaceAll((k, v) -> Collections.unmodifiableList(v));
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("The card feedback cannot be read", e);
        }
    }

    @Override
    public Map<String, Long> overridesByRule() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT rule_id, COUNT(*) FROM card_feedback_rule GROUP BY rule_id")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            Map<String, Long> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("The card feedback cannot be read", e);
        }
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static boolean isForeignKeyViolation(SQLException e) {
        for (SQLException n = e; n != null; n = n.getNextException()) {
            if (FOREIGN_KEY_VIOLATION.equals(n.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool will discard it
        }
    }
}
