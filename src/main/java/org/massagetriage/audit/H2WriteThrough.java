package org.massagetriage.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalPoolInterceptor;

/**
 * Embedded H2 only: whatever a connection committed is written to the database file and forced to the
 * disk before the connection goes back to the pool. The decision writer returns its connection before
 * it completes the requests, so a decision is on disk before it is answered, as on PostgreSQL: it
 * survives a kill of the process and a loss of power.
 *
 * <p>Why not H2's own {@code WRITE_DELAY=0}, which writes at every commit: it does not force the write
 * to the disk, and it stops H2's background thread, and with it the compaction of the file. Measured
 * on this service, the file then grew about 6 KB per recorded decision and never gave the space back
 * (229 MB after 36,000 decisions, idle pauses and a close included).
 *
 * <p>Why a short retention ({@link #withShortRetention}): H2 keeps the space of rewritten pages for
 * {@code RETENTION_TIME} (45 s by default) in case the operating system writes its buffers out of
 * order after a power loss. With a commit per group of decisions that is most of the file: about 7 KB
 * per decision under load. Every write here is forced to the disk at its commit, so that wait guards
 * nothing, and at 1 s the file holds about 1.3 KB per decision (docs/performance.md, "H2 file").
 *
 * <p>{@code CHECKPOINT SYNC} is H2's "write what is committed, then force the file"; with nothing
 * unwritten the write is skipped, so a read costs one statement and a cheap force.
 */
final class H2WriteThrough implements AgroalPoolInterceptor {

    private static final Logger LOG = Logger.getLogger(H2WriteThrough.class);

    static final String RETENTION = "RETENTION_TIME=1000";

    @Override
    public void onConnectionReturn(Connection connection) {
        try (Statement s = connection.createStatement()) {
            s.execute("CHECKPOINT SYNC");
        } catch (SQLException e) {
            // The caller's close() fails with it: a commit that may not be on disk is never reported written.
            throw new IllegalStateException("The embedded store could not write its committed changes to the disk", e);
        }
    }

    /** The URL with {@link #RETENTION} added unless it sets a retention itself; said in the log either way. */
    static String withShortRetention(String jdbcUrl) {
        String settings = jdbcUrl.toUpperCase(Locale.ROOT).replace(" ", "");
        if (settings.contains(";WRITE_DELAY=0;") || settings.endsWith(";WRITE_DELAY=0")) {
            LOG.warn("triage.store.jdbc-url sets WRITE_DELAY=0: H2 then never compacts its file, which grows by about"
                    + " 6 KB per decision without bound. Leave WRITE_DELAY out: every commit is written and forced to"
                    + " the disk before it is answered anyway.");
        }
        if (settings.contains(";RETENTION_TIME=")) {
            LOG.infof("The embedded store keeps the RETENTION_TIME its URL sets (the service's own is %s)", RETENTION);
            return jdbcUrl;
        }
        return jdbcUrl + ";" + RETENTION;
    }
}
