package org.massagetriage.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

/**
 * The PostgreSQL decision table's partitions (migration {@code db/postgresql/V5}): one per calendar
 * month in UTC, named {@code decision_YYYY_MM}, and {@code decision_default} for a month without
 * one. Made ahead of time by the service, dropped whole by retention. Every replica does both; an
 * advisory lock held for the transaction makes them take turns, and each checks again under it.
 */
final class DecisionPartitions {

    private static final Pattern MONTH = Pattern.compile("decision_(\\d{4})_(\\d{2})");
    /** Second half of the advisory lock's key; the first is the schema's hash, so two schemas never wait on each other. */
    private static final int LOCK_KEY = 0x7472_6961; // "tria"
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext(current_schema()), " + LOCK_KEY + ")";
    /** SQLState of CREATE TABLE on a name that exists. */
    private static final String DUPLICATE_TABLE = "42P07";

    private final DataSource dataSource;

    DecisionPartitions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static String name(YearMonth month) {
        return String.format("decision_%04d_%02d", month.getYear(), month.getMonthValue());
    }

    static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /** The months that have a partition, oldest first. */
    TreeSet<YearMonth> months() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return months(c);
        }
    }

    private static TreeSet<YearMonth> months(Connection c) throws SQLException {
        TreeSet<YearMonth> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid"
                + " WHERE i.inhparent = 'decision'::regclass");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Matcher m = MONTH.matcher(rs.getString(1));
                if (m.matches()) {
                    out.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                }
            }
        }
        return out;
    }

    /**
     * Makes the partitions of {@code first} and the {@code ahead} months after it that are missing;
     * returns the months made here (none when another replica was first). One catalog query when
     * they all exist, which is every hour but the first after a new month comes into view.
     */
    List<YearMonth> makeAhead(YearMonth first, int ahead) throws SQLException {
        TreeSet<YearMonth> existing = months();
        List<YearMonth> made = new ArrayList<>();
        for (int i = 0; i <= ahead; i++) {
            YearMonth month = first.plusMonths(i);
            if (!existing.contains(month) && make(month)) {
                made.add(month);
            }
        }
        return made;
    }

    /**
     * Makes one month's partition, moving into it the rows of that month that landed in the default
     * partition meanwhile; false when it exists already. The table is made apart and then attached,
     * which locks the parent only against other schema changes (SHARE UPDATE EXCLUSIVE), so
     * decisions are written and read throughout; {@code CREATE TABLE ... PARTITION OF} would take
     * an exclusive lock on the whole decision table.
     */
    boolean make(YearMonth month) throws SQLException {
        String name = name(month);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // A long wait for a lock here would queue every writer behind it; the next hour tries again.
                s.execute("SET LOCAL lock_timeout = '2s'");
                s.execute(LOCK);
                if (months(c).contains(month)) {
                    c.rollback();
                    return false;
                }
                s.execute("LOCK TABLE ONLY decision IN SHARE UPDATE EXCLUSIVE MODE");
                // Held to the commit: no row of this month can enter the default partition between the move and the attach.
                s.execute("LOCK TABLE decision_default IN ACCESS EXCLUSIVE MODE");
                s.execute("CREATE TABLE " + name + " (LIKE decision INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                String from = "TIMESTAMPTZ '" + start(month) + "'";
                String to = "TIMESTAMPTZ '" + start(month.plusMonths(1)) + "'";
                // The same decisions, moved: their keys and feedback stay (V5's delete trigger reads this).
                s.execute("SET LOCAL triage.moving_decisions = 'on'");
                s.executeUpdate("WITH moved AS (DELETE FROM decision_default WHERE evaluated_at >= " + from
                        + " AND evaluated_at < " + to + " RETURNING *) INSERT INTO " + name + " SELECT * FROM moved");
                s.execute("SET LOCAL triage.moving_decisions = 'off'");
                s.execute("ALTER TABLE decision ATTACH PARTITION " + name + " FOR VALUES FROM (" + from + ") TO (" + to + ")");
                c.commit();
                return true;
            } catch (SQLException e) {
                rollbackQuietly(c);
                if (DUPLICATE_TABLE.equals(e.getSQLState())) {
                    return false; // made by hand, outside the lock: it is there, which is all that was asked
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Drops each partition whose whole month ended at or before {@code cutoff}, with the idempotency
     * keys and card feedback of its decisions (a dropped table fires no delete trigger); returns how
     * many decisions went with them. The rows of the month the cutoff falls in are left to the row
     * delete that follows (retention's promise is by the day, not by the month).
     */
    long dropBefore(Instant cutoff) throws SQLException {
        long dropped = 0;
        for (YearMonth month : months()) {
            if (start(month.plusMonths(1)).isAfter(cutoff)) {
                break;
            }
            dropped += drop(month).orElse(0L);
        }
        return dropped;
    }

    /** Drops one month's partition; empty when another replica dropped it first. */
    Optional<Long> drop(YearMonth month) throws SQLException {
        String name = name(month);
        try (Connection c = dataSource.getConnection()) {
            long rows;
            // Counted before the lock below: an expired month takes no new decisions, and a count
            // under that lock would hold every writer for the scan of a month that still has rows.
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + name)) {
                rs.next();
                rows = rs.getLong(1);
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) {
                    return Optional.empty(); // undefined table: dropped by another replica meanwhile
                }
                throw e;
            }
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL lock_timeout = '5s'");
                s.execute(LOCK);
                if (!months(c).contains(month)) {
                    c.rollback();
                    return Optional.empty();
                }
                // DROP TABLE of a partition locks the parent exclusively anyway; taken first, so that no
                // reader holding the parent and waiting for the partition can deadlock with it. Writers
                // wait for the two deletes below, which find nothing in the usual case (the month's rows
                // were deleted row by row as they expired) and otherwise follow the few decisions with
                // feedback or a live key.
                s.execute("LOCK TABLE ONLY decision IN ACCESS EXCLUSIVE MODE");
                s.executeUpdate("DELETE FROM decision_idempotency k WHERE EXISTS (SELECT 1 FROM " + name
                        + " d WHERE d.decision_id = k.decision_id)");
                s.executeUpdate("DELETE FROM card_feedback f WHERE EXISTS (SELECT 1 FROM " + name
                        + " d WHERE d.decision_id = f.decision_id)");
                s.execute("DROP TABLE " + name);
                c.commit();
                return Optional.of(rows);
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool will discard it
        }
    }
}
