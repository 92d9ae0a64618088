package org.massagetriage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;
import org.yaml.snakeyaml.Yaml;

import io.restassured.path.json.JsonPath;

/**
 * Issue 21: {@code docker-compose.yml} exercised on every build, on a machine where no container
 * engine runs. The compose file and {@code src/main/docker/Dockerfile.jvm} are read and the service
 * is run as they configure it, with processes instead of containers:
 * <ul>
 * <li>the {@code triage} service's {@code environment} exactly as written, interpolated from a
 * {@code .env} this test writes ({@link ComposeInterpolation}); every variable in it must be one the
 * service reads ({@link ServiceSettings});</li>
 * <li>the {@code postgres} service mapped onto the machine's PostgreSQL (below);</li>
 * <li>the {@code ./rules} bind mount resolved as compose resolves it, then copied, since the test
 * edits rule files and saves them through the API;</li>
 * <li>the packaged jar laid out as the Dockerfile's COPY lines lay out {@code /deployments}, started
 * with its ENTRYPOINT (this JVM's {@code java} for the image's), ENV, WORKDIR and, when the test runs
 * as root, USER;</li>
 * <li>compose's health check command, run with {@code sh -c} on compose's schedule.</li>
 * </ul>
 * Container paths ({@code /deployments/...}) are mapped to a temporary directory laid out like the
 * image, in the command line and in environment values; the one other deviation is the HTTP port
 * (below). What this cannot show: the image build, the container runtime (cgroup memory limit,
 * namespaces, the base image's own tools), compose's network and its name resolution.
 */
class ComposeIT {

    static final Path REPO = Path.of("").toAbsolutePath();
    static final Path COMPOSE = REPO.resolve("docker-compose.yml");
    static final Path DOCKERFILE = REPO.resolve("src/main/docker/Dockerfile.jvm");
    static final Path QUARKUS_APP = Path.of(System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar"))
            .toAbsolutePath().getParent();
    static final String SERVICE = "triage";
    static final String DATABASE_SERVICE = "postgres";
    static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    /** docker-compose 1.x, the validator Debian packages; reads a compose file without an engine. */
    static final String VALIDATOR = "docker-compose";
    /** Longest wait for a passing health check: twice compose's own budget (start period + retries x interval). */
    static final Duration HEALTHY_CAP = Duration.ofSeconds(140);
    /** How a rule check rejected for its deadline is named (RuleSetRegistry), and how often an edit is made again after one. */
    static final String DEADLINE_MESSAGE = "(triage.rules.check-timeout), so they are rejected";
    static final int DEADLINE_RETRIES = 2;

    static final String CLIENT = TestTokens.valid(Roles.TRIAGE_CLIENT);
    static final String ADMIN = TestTokens.valid(Roles.RULES_ADMIN);

    @TempDir
    Path temp;

    /**
     * The {@code .env} a deployment would write: the store password and the three token settings,
     * here the test key pair's public key, issuer and audience. The test JVM's own environment is
     * deliberately not a source (compose would read the shell's variables too): a developer's
     * shell must not change what is tested.
     */
    Path writeEnv(Map<String, String> variables) throws IOException {
        StringBuilder env = new StringBuilder("# written by ComposeIT\n");
        variables.forEach((k, v) -> env.append(k).append('=').append(v).append('\n'));
        Path file = temp.resolve("compose-it.env");
        Files.writeString(file, env, StandardCharsets.UTF_8);
        return file;
    }

    static Map<String, String> deploymentVariables() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("TRIAGE_DB_PASSWORD", "compose-it-password");
        v.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", TestTokens.KEYS.resolve("test-public-key.pem").toAbsolutePath().toString());
        v.put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        v.put("MP_JWT_VERIFY_AUDIENCES", TestTokens.AUDIENCE);
        return v;
    }

    static ComposeFile readCompose(String yaml, Path envFile) throws IOException {
        return ComposeFile.read(yaml, COMPOSE.getParent(), ComposeInterpolation.readEnvFile(envFile));
    }

    @Test
    void shouldRunTheServiceAsComposeConfiguresIt() throws Exception {
        long start = System.nanoTime();
        ComposeFile compose = readCompose(Files.readString(COMPOSE), writeEnv(deploymentVariables()));
        ComposeFile.Service triage = compose.service(SERVICE);
        Map<String, String> environment = triage.environment();
        assertEquals(List.of(), ServiceSettings.unread(environment.keySet()),
                "docker-compose.yml sets variables the service never reads (a typo?)");

        // The database service. compose would start postgres:16, whose entrypoint creates the role
        // POSTGRES_USER (a superuser there) with POSTGRES_PASSWORD and the database POSTGRES_DB owned by
        // it, reachable from the service as host "postgres" (the service name) on 5432. Here: the
        // machine's PostgreSQL on 127.0.0.1:5432; the role created if absent with that password and
        // not a superuser (the service needs only to own its database); the database named
        // POSTGRES_DB plus a unique suffix, since other builds on this machine may run this test at
        // the same time, dropped at the end. The role is shared and kept: dropping it could pull it
        // from under another run. The machine trusts local connections, so the password is set but
        // not checked.
        Map<String, String> db = compose.service(DATABASE_SERVICE).environment();
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)").matcher(environment.get("TRIAGE_STORE_JDBC_URL"));
        assertTrue(url.matches(), environment.get("TRIAGE_STORE_JDBC_URL"));
        assertEquals(DATABASE_SERVICE, url.group(1), "the store's host is the database service's name");
        assertEquals("5432", url.group(2), "the port PostgreSQL listens on in its container");
        assertEquals(db.get("POSTGRES_DB"), url.group(3), "the service's database is the one postgres creates");
        assertEquals(db.get("POSTGRES_USER"), environment.get("TRIAGE_STORE_USERNAME"));
        assertEquals(db.get("POSTGRES_PASSWORD"), environment.get("TRIAGE_STORE_PASSWORD"));
        assertEquals("compose-it-password", db.get("POSTGRES_PASSWORD"), "TRIAGE_DB_PASSWORD from the .env");
        String database = db.get("POSTGRES_DB") + "_it_" + ProcessHandle.current().pid() + "_" + Long.toString(System.nanoTime(), 36);
        String jdbcUrl = "jdbc:postgresql://127.0.0.1:" + url.group(2) + "/" + database; // only host and database name changed

        // The rules mount, resolved against the compose file's directory as compose resolves it.
        DockerfileJvm image = DockerfileJvm.read(DOCKERFILE);
        Map<String, Path> mounts = triage.bindMounts();
        assertEquals(Map.of("/deployments/rules", REPO.resolve("rules")), mounts);
        assertEquals("/deployments/rules", environment.get("TRIAGE_RULES_DIRECTORY"), "the service reads the mounted directory");
        assertEquals("/deployments/rules", image.env.get("TRIAGE_RULES_DIRECTORY"), "and so does the image on its own");

        // The container's filesystem: /deployments as the COPY lines lay it out, the mount a copy of ./rules.
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x")); // the service's user must get in
        Path root = temp.resolve("container");
        Path rules = root.resolve("deployments/rules");
        copyTree(REPO.resolve("rules"), rules);
        image.layOut(REPO, root, List.copyOf(mounts.keySet()));
        assertTrue(Files.exists(root.resolve("deployments/quarkus-run.jar")), "./mvnw package first");

        // The one deviation: compose publishes container port 8080, which may be taken on this machine.
        assertEquals(List.of(8080), triage.containerPorts());
        int port = PackagedApp.freePort();
        Map<String, String> processEnv = new LinkedHashMap<>();
        processEnv.put("PATH", System.getenv("PATH"));
        image.env.forEach((k, v) -> processEnv.put(k, hostPath(root, v)));
        environment.forEach((k, v) -> processEnv.put(k, hostPath(root, v)));
        processEnv.put("TRIAGE_STORE_JDBC_URL", jdbcUrl);
        processEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));

        List<String> command = new ArrayList<>(image.command());
        assertEquals("java", command.get(0));
        command.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.replaceAll(arg -> hostPath(root, arg));
        Optional<Integer> uid = runAs(image, rules);
        uid.ifPresent(u -> command.addAll(0, List.of("setpriv", "--reuid=" + u, "--regid=" + u, "--clear-groups", "--")));

        createDatabase(database, db.get("POSTGRES_USER"), db.get("POSTGRES_PASSWORD"));
        try (PackagedApp app = PackagedApp.launch(command, Path.of(hostPath(root, image.workdir)), processEnv, port)) {
            Duration healthy = awaitHealthy(app, triage.healthcheck());

            HttpResponse<String> decision = app.post("/api/v1/triage", "{\"painCharacter\": \"SHARP\"}", CLIENT);
            assertEquals(200, decision.statusCode(), decision.body());
            String id = JsonPath.from(decision.body()).getString("decisionId");
            try (Connection c = DriverManager.getConnection(jdbcUrl, environment.get("TRIAGE_STORE_USERNAME"),
                    environment.get("TRIAGE_STORE_PASSWORD"));
                 PreparedStatement q = c.prepareStatement("SELECT outcome FROM decision WHERE decision_id = ?::uuid")) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    assertTrue(r.next(), "decision " + id + " is not in database " + database);
                    assertEquals("URGENT_ASSESSMENT", r.getString(1));
                }
            }

            // An edit on the host goes live (polling covers mounts without file events).
            String first = version(app);
            Path advice = rules.resolve("advice.drl");
            String edited = awaitNewVersion(app, first,
                    () -> Files.writeString(advice, Files.readString(advice) + "\n// edited on the host by ComposeIT\n"));

            // A file saved through the API lands in the mounted directory, as the image's user.
            String saved = null;
            HttpResponse<String> put = null;
            for (int attempt = 1; attempt <= DEADLINE_RETRIES + 1; attempt++) {
                HttpResponse<String> file = app.get("/api/v1/rules/files/advice.drl", ADMIN);
                assertEquals(200, file.statusCode(), file.body());
                saved = JsonPath.from(file.body()).getString("content") + "// saved through the API by ComposeIT\n";
                put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/rules/files/advice.drl"))
                        .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "text/plain; charset=UTF-8")
                        .header("If-Match", "\"" + JsonPath.from(file.body()).getString("tag") + "\"")
                        .PUT(HttpRequest.BodyPublishers.ofString(saved)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, put.statusCode(), put.body());
                if (!put.body().contains(DEADLINE_MESSAGE)) {
                    break;
                }
                System.out.printf("compose IT: the save's check passed its deadline on this busy machine; saving again (%d)%n", attempt);
            }
            assertEquals("ACCEPTED", JsonPath.from(put.body()).getString("result"), put.body());
            assertEquals(saved, Files.readString(advice));
            if (uid.isPresent()) {
                assertEquals(uid.get(), Files.getAttribute(advice, "unix:uid"), "saved files belong to the service's uid");
            }
            assertNotEquals(edited, version(app));

            // A short load, then the resident set against compose's memory limit.
            long limit = triage.memoryLimitBytes().orElseThrow(() -> new AssertionError("no memory limit in docker-compose.yml"));
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/triage"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + CLIENT)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"hoursSinceMassage\": 24, \"painCharacter\": \"DULL_ACHE\","
                            + " \"painSeverity\": 3, \"trend\": \"IMPROVING\", \"symptoms\": [], \"bodyRegion\": \"LOWER_BACK\"}")).build();
            for (int i = 0; i < 300; i++) {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            long rss = residentBytes(app.process.pid());
            assertTrue(rss <= limit, () -> "resident " + (rss >> 20) + " MiB over compose's limit of " + (limit >> 20) + " MiB");
            System.out.printf("compose IT: healthy after %d ms, resident %d MiB after 300 decisions (limit %d MiB), %d ms in all%n",
                    healthy.toMillis(), rss >> 20, limit >> 20, (System.nanoTime() - start) / 1_000_000);
        } finally {
            dropDatabase(database);
        }
    }

    /**
     * compose refuses the file when a {@code ${VAR:?message}} variable is unset or empty, naming it
     * with the file's message: the service is never started without its token settings (README,
     * docs/operations.md).
     */
    @Test
    void shouldRefuseLikeComposeWithoutTheTokenSettings() throws Exception {
        String yaml = Files.readString(COMPOSE);
        Map<String, String> noKey = deploymentVariables();
        noKey.remove("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
        Path withoutKey = writeEnv(noKey);
        var missing = assertThrows(ComposeInterpolation.MissingRequiredVariable.class, () -> readCompose(yaml, withoutKey));
        assertEquals("required variable MP_JWT_VERIFY_PUBLICKEY_LOCATION is missing a value: "
                + "set it to the identity provider JWKS URL or a mounted PEM file", missing.getMessage());
        validatorRun(withoutKey).ifPresent(r -> {
            assertNotEquals(0, r.exitCode, r.output);
            assertTrue(r.output.contains("set it to the identity provider JWKS URL or a mounted PEM file"), r.output);
        });

        Map<String, String> emptyIssuer = deploymentVariables();
        emptyIssuer.put("MP_JWT_VERIFY_ISSUER", "");
        Path withEmptyIssuer = writeEnv(emptyIssuer);
        missing = assertThrows(ComposeInterpolation.MissingRequiredVariable.class, () -> readCompose(yaml, withEmptyIssuer));
        assertEquals("required variable MP_JWT_VERIFY_ISSUER is missing a value: set it to the issuer (iss) the tokens carry",
                missing.getMessage());
    }

    /** The check that every variable compose sets is read by the service names a misspelt one, and only it. */
    @Test
    void shouldNameAMisspeltVariable() throws Exception {
        String yaml = Files.readString(COMPOSE);
        String misspelt = yaml.replace("      TRIAGE_STORE_USERNAME:", "      TRIAGE_STORE_USERNAM:");
        assertNotEquals(yaml, misspelt);
        Map<String, String> environment = readCompose(misspelt, writeEnv(deploymentVariables())).service(SERVICE).environment();
        assertEquals(List.of("TRIAGE_STORE_USERNAM"), ServiceSettings.unread(environment.keySet()));
    }

    /**
     * The compose file as a compose implementation reads it, where one is installed (.ci/run installs
     * Debian's docker-compose; {@code -Dtests.require-compose-validator=true} makes its absence a
     * failure): valid, and interpolated and resolved exactly as this test does it.
     */
    @Test
    void shouldBeValidAndResolveAsComposeResolvesIt() throws Exception {
        Path env = writeEnv(deploymentVariables());
        Optional<ValidatorRun> run = validatorRun(env);
        assumeTrue(run.isPresent() || Boolean.getBoolean("tests.require-compose-validator"), VALIDATOR + " is not installed");
        ValidatorRun r = run.orElseThrow(() -> new AssertionError(VALIDATOR + " is required (-Dtests.require-compose-validator)"));
        assertEquals(0, r.exitCode, r.output);
        Map<String, Object> resolved = ComposeFile.map(new Yaml().load(r.stdout), VALIDATOR + " config");
        Map<String, Object> services = ComposeFile.map(resolved.get("services"), "services");
        ComposeFile ours = readCompose(Files.readString(COMPOSE), env);
        for (String service : List.of(SERVICE, DATABASE_SERVICE)) {
            Map<String, Object> theirs = ComposeFile.map(services.get(service), service);
            Map<String, String> environment = new LinkedHashMap<>();
            ComposeFile.map(theirs.get("environment"), service).forEach((k, v) -> environment.put(k, String.valueOf(v)));
            assertEquals(new java.util.TreeMap<>(ours.service(service).environment()), new java.util.TreeMap<>(environment), service);
        }
        assertEquals(List.of(REPO.resolve("rules") + ":/deployments/rules:rw"),
                ComposeFile.map(services.get(SERVICE), SERVICE).get("volumes"));
    }

    record ValidatorRun(int exitCode, String stdout, String output) {
    }

    /** {@code docker-compose -f docker-compose.yml --env-file ENV config} with no other environment; empty when not installed. */
    static Optional<ValidatorRun> validatorRun(Path envFile) throws Exception {
        Optional<Path> binary = Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .map(d -> Path.of(d, VALIDATOR)).filter(Files::isExecutable).findFirst();
        if (binary.isEmpty()) {
            return Optional.empty();
        }
        ProcessBuilder builder = new ProcessBuilder(binary.get().toString(), "-f", COMPOSE.toString(),
                "--env-file", envFile.toString(), "config");
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        Path stdout = Files.createTempFile(temporary(envFile), "compose-config-", ".out");
        Path stderr = Files.createTempFile(temporary(envFile), "compose-config-", ".err");
        Process p = builder.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(VALIDATOR + " config did not finish within 30 s");
        }
        String out = Files.readString(stdout);
        return Optional.of(new ValidatorRun(p.exitValue(), out, out + Files.readString(stderr)));
    }

    private static Path temporary(Path envFile) {
        return envFile.getParent();
    }

    /**
     * compose's health check, on the engine's schedule: the first probe one interval after the start,
     * each probe killed after the timeout, failures inside the start period not counted, the state
     * "unhealthy" after {@code retries} counted failures in a row. As the engine does, probing goes on
     * after that, and a later success makes the service healthy: a start slower than the start period
     * plus retries times the interval (a machine busy with other builds) is reported, not failed; a
     * check that never passes fails at {@link #HEALTHY_CAP}. The command is the file's CMD-SHELL with
     * only the container port replaced by the one chosen here.
     */
    static Duration awaitHealthy(PackagedApp app, Map<String, Object> healthcheck) throws Exception {
        List<?> test = ComposeFile.list(healthcheck.get("test"));
        assertEquals("CMD-SHELL", test.get(0));
        String shell = String.valueOf(test.get(1));
        assertTrue(shell.contains("localhost:8080"), shell);
        String probe = shell.replace("localhost:8080", "localhost:" + app.port);
        Duration interval = ComposeFile.duration(healthcheck.get("interval"));
        Duration timeout = ComposeFile.duration(healthcheck.get("timeout"));
        Duration startPeriod = ComposeFile.duration(healthcheck.getOrDefault("start_period", "0s"));
        int retries = ((Number) healthcheck.get("retries")).intValue();
        long started = System.nanoTime();
        int failures = 0;
        Duration unhealthyAt = null;
        while (true) {
            Thread.sleep(interval.toMillis());
            if (!app.process.isAlive()) {
                throw new AssertionError("the service stopped before it was healthy: " + app.output());
            }
            Process p = new ProcessBuilder("sh", "-c", probe).redirectErrorStream(true).start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (done && p.exitValue() == 0) {
                if (unhealthyAt != null) {
                    System.out.printf("compose IT: unhealthy after %d s (%d checks failed after the %d s start period), healthy after %d s:"
                            + " the start took longer than the health check allows on this machine now%n",
                            unhealthyAt.toSeconds(), retries, startPeriod.toSeconds(), elapsed.toSeconds());
                }
                return elapsed;
            }
            if (elapsed.compareTo(startPeriod) > 0 && ++failures == retries) {
                unhealthyAt = elapsed;
            }
            if (elapsed.compareTo(HEALTHY_CAP) > 0) {
                throw new AssertionError("'" + probe + "' has not passed in " + elapsed.toSeconds() + " s: " + app.output());
            }
        }
    }

    static String version(PackagedApp app) throws Exception {
        HttpResponse<String> rules = app.get("/api/v1/rules", ADMIN);
        assertEquals(200, rules.statusCode(), rules.body());
        return JsonPath.from(rules.body()).getString("version");
    }

    interface Edit {
        void apply() throws IOException;
    }

    /**
     * Applies {@code edit} and waits for a rule set other than {@code previous} to serve; fails with the
     * last reload's result and the app's output. A check that passes its deadline
     * ({@code triage.rules.check-timeout}, 10 s) is rejected and not tried again until the files
     * change: on this 2-core machine under other builds' load, with the image's 200 MB heap and a JIT
     * still cold, the first check after start took 17 s once. So the edit is made again after such a
     * rejection, as a clinician would save again, at most {@link #DEADLINE_RETRIES} times.
     */
    static String awaitNewVersion(PackagedApp app, String previous, Edit edit) throws Exception {
        String[] seen = {previous, "", ""};
        int[] edits = {0};
        edit.apply();
        try {
            Awaitility.await("a rule set other than " + previous).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        HttpResponse<String> response = app.get("/api/v1/rules", ADMIN);
                        JsonPath rules = JsonPath.from(response.body());
                        seen[0] = rules.getString("version");
                        seen[1] = rules.getString("lastReload.result") + " " + rules.getString("lastReload.trigger")
                                + " " + rules.getString("lastReload.diagnostics") + " pending " + rules.getString("pendingVersion");
                        String rejected = String.valueOf(rules.getString("lastReload.version"));
                        if (!previous.equals(seen[0])) {
                            return true;
                        }
                        if (response.body().contains(DEADLINE_MESSAGE) && !rejected.equals(seen[2]) && edits[0] < DEADLINE_RETRIES
                                && abandonedChecksRunning(app) == 0) { // a new check beside the abandoned one would only share its CPU
                            seen[2] = rejected;
                            edits[0]++;
                            System.out.printf("compose IT: the edit's check passed its deadline on this busy machine; editing again (%d)%n",
                                    edits[0]);
                            edit.apply();
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            String out = app.output();
            throw new AssertionError("still " + previous + ", last reload: " + seen[1] + "; "
                    + out.substring(Math.max(0, out.length() - 4000)), e);
        }
        return seen[0];
    }

    static int abandonedChecksRunning(PackagedApp app) throws Exception {
        JsonPath ready = JsonPath.from(app.get("/q/health/ready", ADMIN).body());
        return ready.getInt("checks.find { it.name == 'rules' }.data.abandonedChecksRunning");
    }

    /** VmRSS from /proc: what a container's memory limit is measured against (page cache aside). */
    static long residentBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) << 10;
            }
        }
        throw new AssertionError("no VmRSS for " + pid);
    }

    /** A value naming a container path is given as where that path lies here. */
    static String hostPath(Path root, String value) {
        return value.startsWith("/deployments") ? root + value : value;
    }

    /**
     * The image's USER, when this test can take it on (it runs as root, the user is numeric and
     * setpriv is there): the copied mount is given to that uid as the compose file's comment tells
     * the host to do, so the test shows the service saving rule files as that user. Otherwise the
     * service runs as the test's own user.
     */
    static Optional<Integer> runAs(DockerfileJvm image, Path rules) throws IOException {
        if (image.user.isEmpty() || !image.user.get().matches("\\d+") || !Files.isExecutable(Path.of("/usr/bin/setpriv"))
                || !"0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")))) {
            return Optional.empty();
        }
        int uid = Integer.parseInt(image.user.get());
        try (Stream<Path> files = Files.walk(rules)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.setAttribute(f, "unix:uid", uid);
            }
        }
        return Optional.of(uid);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    static void createDatabase(String database, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            try {
                s.execute("CREATE ROLE " + user + " LOGIN");
            } catch (SQLException exists) {
                if (!"42710".equals(exists.getSQLState()) && !"23505".equals(exists.getSQLState())) {
                    throw exists; // other than "already exists" (42710), or a concurrent create (23505)
                }
            }
            s.execute("ALTER ROLE " + user + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            s.execute("CREATE DATABASE " + database + " OWNER " + user);
        }
    }

    static void dropDatabase(String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }
}
