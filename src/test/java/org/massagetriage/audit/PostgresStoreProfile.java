package org.massagetriage.audit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The production store: the PostgreSQL on 127.0.0.1:5432 (database {@code test}), in a schema of
 * its own that is dropped and created for each app start. The schema is named after the test JVM,
 * so two builds on one machine (a developer's and a helper's) never drop each other's store; it is
 * dropped again when the JVM ends. Tests on it run whenever it is reachable, and must run (fail, not
 * skip) when {@code -Dtests.require-postgres=true}, as .ci/run sets.
 */
public class PostgresStoreProfile implements QuarkusTestProfile {

    static final String SCHEMA = "triage_test_" + ProcessHandle.current().pid();
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&currentSchema=" + SCHEMA;
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = new org.postgresql.Driver().connect(SERVER, new java.util.Properties());
                 Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            } catch (SQLException | RuntimeException e) {
                // Best effort: a schema left behind is dropped by the next JVM with the same pid, or by hand.
            }
        }, "drop-test-schema"));
    }

    public static boolean shouldRun() {
        return Boolean.getBoolean("tests.require-postgres") || reachable();
    }

    static boolean reachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        try (Connection c = new org.postgresql.Driver().connect(SERVER, new java.util.Properties());
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL on 127.0.0.1:5432 (database test) is required for these tests", e);
        }
        // The hourly retention job would first run a minute after start, with the real clock, and delete
        // what PostgresPartitionTests places years back while those tests run: they apply it themselves.
        return Map.of("triage.store.jdbc-url", URL, "triage.store.retention-days", "365", "triage.store.maintenance-every", "off");
    }
}
