package org.massagetriage.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.massagetriage.rules.RulesDirectory;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import io.restassured.path.json.JsonPath;

/**
 * Several replicas of the packaged jar on this machine, the way a platform runs them: each its own
 * process and port, one PostgreSQL database for all (a fresh one on the local server), one rules
 * directory every replica watches (a copy of the frozen fixture), and HAProxy (Debian's package) in
 * front, routing only to replicas whose {@code /q/health/ready} answers 200. Every answer through
 * HAProxy carries {@code X-Replica}, the name of the replica that gave it.
 */
final class ScaleCluster implements AutoCloseable {

    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    /** HAProxy's health check: every 500 ms, out after 2 failures, back after 2 successes. */
    static final Duration CHECK_INTERVAL = Duration.ofMillis(500);
    static final int FALL = 2;
    /** HTTP/1.1 as booking systems and HAProxy speak it here: the JDK client's default h2c upgrade would only add noise. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final String database;
    final String jdbcUrl;
    final RulesDirectory rules;
    final List<Replica> replicas = new ArrayList<>();
    final int lbPort;
    final int statsPort;
    private final Path work;
    private Process haproxy;

    private ScaleCluster(String database, RulesDirectory rules, Path work, int lbPort, int statsPort) {
        this.database = database;
        this.jdbcUrl = "jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres";
        this.rules = rules;
        this.work = work;
        this.lbPort = lbPort;
        this.statsPort = statsPort;
    }

    /**
     * Starts {@code count} replicas with {@code settings} added to each (system properties) and
     * HAProxy in front, and waits until every replica is ready and HAProxy sees each one up.
     */
    static ScaleCluster start(int count, Map<String, String> settings) throws Exception {
        String database = "triage_scale_" + ProcessHandle.current().pid();
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + database);
        }
        ScaleCluster cluster = new ScaleCluster(database, RulesDirectory.copyOfFixture(),
                Files.createTempDirectory("scale-cluster-"), PackagedApp.freePort(), PackagedApp.freePort());
        try {
            for (int i = 1; i <= count; i++) {
                cluster.replicas.add(new Replica("r" + i, PackagedApp.freePort(), cluster, settings));
            }
            // One at a time: the first migrates the empty store, and three cold compiles at once on two
            // cores would only make each of them slower.
            for (Replica r : cluster.replicas) {
                r.start();
                r.awaitReady(Duration.ofSeconds(180));
            }
            cluster.startHaproxy();
            for (Replica r : cluster.replicas) {
                cluster.awaitStatus(r, "UP", Duration.ofSeconds(20));
            }
            return cluster;
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    private void startHaproxy() throws IOException {
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 2048
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 30s
                    timeout server 30s
                    # A connection refused (a replica just killed, not yet marked down) is tried again, the
                    # last time on another replica. A request already sent is never resent: a triage POST is
                    # not idempotent unless the client gave an Idempotency-Key, and that is the client's call.
                    retries 2
                    option redispatch
                frontend triage
                    bind 127.0.0.1:%d
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /q/health/ready
                    http-check expect status 200
                    default-server inter %dms fall %d rise 2
                    http-response set-header X-Replica %%[srv_name]
                """.formatted(lbPort, CHECK_INTERVAL.toMillis(), FALL));
        for (Replica r : replicas) {
            cfg.append("    server ").append(r.name).append(" 127.0.0.1:").append(r.port).append(" check\n");
        }
        cfg.append("""
                listen stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                """.formatted(statsPort));
        Path file = work.resolve("haproxy.cfg");
        Files.writeString(file, cfg.toString());
        Path log = work.resolve("haproxy.log");
        haproxy = new ProcessBuilder("haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
    }

    /** HAProxy's view of a replica: UP, DOWN, or a transition such as "UP 1/2". */
    String status(Replica r) throws Exception {
        return stats().get(r.name).get("status");
    }

    /** Requests HAProxy has sent to the replica since it started. */
    long sent(Replica r) throws Exception {
        return Long.parseLong(stats().get(r.name).get("stot"));
    }

    /** The backend's rows of HAProxy's CSV statistics, by server name. */
    private Map<String, Map<String, String>> stats() throws Exception {
        HttpResponse<String> csv = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).build(), HttpResponse.BodyHandlers.ofString());
        String[] lines = csv.body().split("\n");
        String[] header = lines[0].replaceFirst("^# ", "").split(",", -1);
        Map<String, Map<String, String>> rows = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",", -1);
            if (cells.length < header.length || !cells[0].equals("replicas")) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < header.length; c++) {
                row.put(header[c], cells[c]);
            }
            rows.put(cells[1], row);
        }
        return rows;
    }

    /** Waits until HAProxy reports the replica in {@code status}; returns how long that took. */
    Duration awaitStatus(Replica r, String status, Duration atMost) {
        long start = System.nanoTime();
        Awaitility.await("HAProxy sees " + r.name + " " + status).atMost(atMost).pollInterval(Duration.ofMillis(20))
                .ignoreExceptions().until(() -> status(r).equals(status));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Waits until every replica serves {@code version}; fails naming the one behind. */
    void awaitVersionOnAll(String version, Duration atMost) {
        for (Replica r : replicas) {
            Awaitility.await(r.name + " serving " + version).atMost(atMost).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions().until(() -> version.equals(r.version()));
        }
    }

    HttpResponse<String> viaBalancer(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI balancer(String path) {
        return URI.create("http://127.0.0.1:" + lbPort + path);
    }

    Connection store() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    @Override
    public void close() {
        for (Replica r : replicas) {
            r.stop();
        }
        if (haproxy != null) {
            haproxy.destroy();
        }
        try (Connection c = DriverManager.getConnection(POSTGRES); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            // best effort: the next run with this pid drops it first
        }
        rules.close();
    }

    /** One replica: the packaged jar, started with {@code java -jar} on its own port, restartable on it. */
    static final class Replica {
        final String name;
        final int port;
        private final ScaleCluster cluster;
        private final Map<String, String> settings;
        private Process process;
        private Path log;

        Replica(String name, int port, ScaleCluster cluster, Map<String, String> settings) {
            this.name = name;
            this.port = port;
            this.cluster = cluster;
            this.settings = settings;
        }

        void start() throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String jar = Path.of(System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath().toString();
            // The container's JVM settings (src/main/docker/Dockerfile.jvm), so three fit beside the build.
            List<String> cmd = new ArrayList<>(List.of(java, "-Xmx200m", "-XX:+UseSerialGC",
                    "-Dquarkus.http.port=" + port,
                    "-Dtriage.store.jdbc-url=" + cluster.jdbcUrl,
                    "-Dtriage.rules.directory=" + cluster.rules.root(),
                    "-Dmp.jwt.verify.publickey.location=" + TestTokens.KEYS.resolve("test-public-key.pem").toAbsolutePath(),
                    "-Dmp.jwt.verify.issuer=" + TestTokens.ISSUER, "-Dmp.jwt.verify.audiences=" + TestTokens.AUDIENCE));
            settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.add("-jar");
            cmd.add(jar);
            // Kept in target/scale-logs (one file per start) for a failure's post-mortem.
            Path logs = Files.createDirectories(Path.of("target", "scale-logs"));
            log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        }

        /** {@code kill -9}: no shutdown hook, no draining, connections cut mid-request. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        /** {@code kill} (SIGTERM), as an orchestrator stops a replica; returns at once. */
        void terminate() {
            process.destroy();
        }

        /** Waits for the process to end; returns how long that took. */
        Duration awaitExit(Duration atMost) throws InterruptedException {
            long start = System.nanoTime();
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + atMost + "\n" + output());
            }
            return Duration.ofNanos(System.nanoTime() - start);
        }

        void stop() {
            if (process == null) {
                return;
            }
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        void awaitReady(Duration atMost) {
            try {
                Awaitility.await(name + " ready").atMost(atMost).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                        .failFast(name + " stopped", () -> !process.isAlive()).until(this::ready);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\n" + output(), e);
            }
        }

        boolean ready() throws Exception {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        }

        /** The rule-set version this replica serves (asked directly, not through HAProxy), or null. */
        String version() throws Exception {
            return rules().getString("version");
        }

        /** GET /api/v1/rules on this replica. */
        JsonPath rules() throws Exception {
            return JsonPath.from(get("/api/v1/rules").body());
        }

        HttpResponse<String> get(String path) throws Exception {
            return HTTP.send(HttpRequest.newBuilder(uri(path))
                    .header("Authorization", TestTokens.bearer(Roles.RULES_ADMIN)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e + ")";
            }
        }
    }
}
