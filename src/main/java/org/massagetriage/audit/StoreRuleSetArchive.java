package org.massagetriage.audit;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@link RuleSetArchive} in the decision store's database (tables of migration V2). */
final class StoreRuleSetArchive implements RuleSetArchive {

    private static final int QUERY_TIMEOUT_SECONDS = 10;
    /** Both H2 and PostgreSQL report a duplicate key with this SQLState. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final TypeReference<TreeMap<String, String>> FILES = new TypeReference<>() {
    };
    private static final String ACTIVATION_COLUMNS = "activation_id, version, previous_version, activated_at,"
            + " activation_trigger, requested_by, approved_by, approval_comment, instance";

    private final DataSource dataSource;
    private final ObjectMapper json = new ObjectMapper();

    StoreRuleSetArchive(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public void recordActivation(ArchivedRuleSet ruleSet, Activation a) {
        try (Connection c = dataSource.getConnection()) {
            if (!exists(c, ruleSet.version())) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ruleset (version, stored_at, files, rules,"
                        + " rule_count, scenario_count, impact_report) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    ps.setString(1, ruleSet.version());
                    ps.setObject(2, utc(ruleSet.storedAt()));
                    ps.setString(3, json.writeValueAsString(ruleSet.files()));
                    ps.setString(4, ruleSet.rulesJson());
                    ps.setInt(5, ruleSet.ruleCount());
                    ps.setInt(6, ruleSet.scenarioCount());
                    ps.setString(7, ruleSet.impactJson());
                    ps.executeUpdate();
                } catch (SQLException e) {
                    // Another instance stored the same version between the check and the insert: same content.
                    if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO ruleset_activation (" + ACTIVATION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setObject(1, a.id());
                ps.setString(2, a.version());
                ps.setString(3, a.previousVersion());
                ps.setObject(4, utc(a.activatedAt()));
                ps.setString(5, a.trigger());
                ps.setString(6, a.requestedBy());
                ps.setString(7, a.approvedBy());
                ps.setString(8, a.approvalComment());
                ps.setString(9, a.instance());
                ps.executeUpdate();
            } catch (SQLException e) {
                // Written by an earlier attempt whose reply was lost: done.
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            String state = e.getSQLState();
            // Data exceptions (22: too long, invalid) and constraint violations (23) do not go away by waiting.
            if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                throw new RejectedRecordException("The store refuses rule set " + ruleSet.version() + " (SQLState " + state + ")", e);
            }
            throw new StoreUnavailableException("The rule-set history cannot be written", e);
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException("The files of rule set " + ruleSet.version() + " cannot be written as JSON", e);
        }
    }

    @Override
    public void recordImpact(String version, String impactJson) {
        try (Connection c = dataSource.getConnection()) {
            fillImpact(c, version, impactJson);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The impact of rule set " + version + " cannot be written", e);
        }
    }

    private static void fillImpact(Connection c, String version, String impactJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE ruleset SET impact_report = ? WHERE version = ? AND impact_report IS NULL")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, impactJson);
            ps.setString(2, version);
            ps.executeUpdate();
        }
    }

    private static boolean exists(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ruleset WHERE version = ?")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Optional<ArchivedRuleSet> find(String version) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT version, stored_at, files, rules, rule_count, scenario_count,"
                     + " impact_report FROM ruleset WHERE version = ?")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SortedMap<String, String> files = json.readValue(rs.getString(3), FILES);
                return Optional.of(new ArchivedRuleSet(rs.getString(1), instant(rs, 2), files, rs.getString(4),
                        rs.getInt(5), rs.getInt(6), rs.getString(7)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new StoreUnavailableException("The rule-set history cannot be read", e);
        }
    }

    @Override
    public List<Activation> activations(String version, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + ACTIVATION_COLUMNS + " FROM ruleset_activation"
                     + " WHERE version = ? ORDER BY activated_at DESC, activation_id DESC")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, version);
            ps.setMaxRows(limit);
            List<Activation> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Activation(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), instant(rs, 4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
            Collections.reverse(out);
            return out;
        } catch (SQLException e) {
            throw new StoreUnavailableException("The rule-set history cannot be read", e);
        }
    }

    @Override
    public int activationCount(String version) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ruleset_activation WHERE version = ?")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("The rule-set history cannot be read", e);
        }
    }

    @Override
    public Page list(int limit, String cursor) {
        // Every stored rule set has its first activation stored with it; COALESCE covers a write cut in between.
        String last = "COALESCE(MAX(a.activated_at), r.stored_at)";
        StringBuilder sql = new StringBuilder("SELECT r.version, r.stored_at, " + last + ", r.rule_count, r.scenario_count"
                + " FROM ruleset r LEFT JOIN ruleset_activation a ON a.version = r.version"
                + " GROUP BY r.version, r.stored_at, r.rule_count, r.scenario_count");
        Instant afterTime = null;
        String afterVersion = null;
        if (cursor != null) {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            afterTime = Instant.parse(parts[0]);
            afterVersion = parts[1];
            sql.append(" HAVING " + last + " < ? OR (" + last + " = ? AND r.version < ?)");
        }
        sql.append(" ORDER BY 3 DESC, 1 DESC");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            if (cursor != null) {
                ps.setObject(1, utc(afterTime));
                ps.setObject(2, utc(afterTime));
                ps.setString(3, afterVersion);
            }
            ps.setMaxRows(limit + 1);
            List<Summary> items = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(new Summary(rs.getString(1), instant(rs, 2), instant(rs, 3), rs.getInt(4), rs.getInt(5)));
                }
            }
            String next = null;
            if (items.size() > limit) {
                items = items.subList(0, limit);
                Summary lastItem = items.get(limit - 1);
                next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                        (lastItem.lastActivatedAt() + "|" + lastItem.version()).getBytes(StandardCharsets.UTF_8));
            }
            return new Page(List.copyOf(items), next);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The rule-set history cannot be read", e);
        }
    }

    /**
     * Reviews that hold: decided after the version they replace last went live other than at a start.
     * A STARTUP activation is a replica (re)starting on what was released, not a release: a replica
     * that restarts while an approval is being followed must not void it. An activation of the
     * replaced version by a file change, an approval or an API reload after the review is a revert,
     * and the same change made again is reviewed again.
     */
    private static final String HOLDING_REVIEW = "SELECT r.review_id, r.version, r.replaces_version, r.decision,"
            + " r.decided_by, r.decision_comment, r.decided_at, r.instance FROM ruleset_review r"
            + " WHERE r.version = ? AND r.replaces_version = ? AND NOT EXISTS (SELECT 1 FROM ruleset_activation a"
            + " WHERE a.version = r.replaces_version AND a.activation_trigger <> 'STARTUP'"
            + " AND a.activated_at >= r.decided_at) ORDER BY r.review_id";

    @Override
    public Review recordReview(Review review) {
        try (Connection c = dataSource.getConnection()) {
            // The change's lock row, once; a second replica inserting it at the same moment gets a
            // duplicate key, which is the row being there. Autocommitted, so no transaction is aborted.
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO ruleset_review_lock (version, replaces_version) VALUES (?, ?)")) {
                ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                ps.setString(1, review.version());
                ps.setString(2, review.replaces());
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
            c.setAutoCommit(false);
            try {
                // Deciders of one change queue here: the second reads the first's committed review and follows it.
                try (PreparedStatement ps = c.prepareStatement("SELECT version FROM ruleset_review_lock"
                        + " WHERE version = ? AND replaces_version = ? FOR UPDATE")) {
                    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    ps.setString(1, review.version());
                    ps.setString(2, review.replaces());
                    ps.executeQuery().close();
                }
                Optional<Review> held = holdingReview(c, review.version(), review.replaces());
                if (held.isPresent()) {
                    c.commit();
                    return held.get();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ruleset_review (version, replaces_version, decision,"
                        + " decided_by, decision_comment, decided_at, instance) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                    ps.setString(1, review.version());
                    ps.setString(2, review.replaces());
                    ps.setString(3, review.decision());
                    ps.setString(4, review.decidedBy());
                    ps.setString(5, review.comment());
                    ps.setObject(6, utc(review.decidedAt()));
                    ps.setString(7, review.instance());
                    ps.executeUpdate();
                }
                Review recorded = holdingReview(c, review.version(), review.replaces())
                        .orElseThrow(() -> new SQLException("The review just recorded cannot be read back", "08000"));
                c.commit();
                return recorded;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("The review of rule set " + review.version() + " cannot be recorded", e);
        }
    }

    @Override
    public void recordSubmission(String version, String replaces, String submittedBy, Instant at, String instance) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("INSERT INTO ruleset_submission (version, replaces_version,"
                     + " submitted_by, submitted_at, instance) VALUES (?, ?, ?, ?, ?)")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, version);
            ps.setString(2, replaces);
            ps.setString(3, submittedBy);
            ps.setObject(4, utc(at));
            ps.setString(5, instance);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailableException("The submitter of rule set " + version + " cannot be recorded", e);
        }
    }

    @Override
    public boolean submitted(String version, String replaces, String subject) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ruleset_submission"
                     + " WHERE version = ? AND replaces_version = ? AND submitted_by = ?")) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, version);
            ps.setString(2, replaces);
            ps.setString(3, subject);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new StoreUnavailableException("The submitters of rule set " + version + " cannot be read", e);
        }
    }

    @Override
    public Optional<Review> findReview(String version, String replaces) {
        try (Connection c = dataSource.getConnection()) {
            return holdingReview(c, version, replaces);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The reviews of rule set " + version + " cannot be read", e);
        }
    }

    private static Optional<Review> holdingReview(Connection c, String version, String replaces) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HOLDING_REVIEW)) {
            ps.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            ps.setString(1, version);
            ps.setString(2, replaces);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Review(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), instant(rs, 7), rs.getString(8)));
            }
        }
    }

    private static OffsetDateTime utc(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }
}
