package org.massagetriage.it;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.massagetriage.rules.DefaultRules;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.massagetriage.security.TestTokens;

/** Starts the packaged application the way users do ({@code java -jar}), with its output captured. */
final class PackagedApp implements AutoCloseable {

    final Process process;
    final int port;
    final Path output;

    private PackagedApp(Process process, int port, Path output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /** Starts trusting the test key pair (as the test profile does), with a fresh embedded store. */
    static PackagedApp start(String... systemProperties) throws IOException {
        return start(Files.createTempDirectory("app-data-"), systemProperties);
    }

    /** Starts with its embedded store in {@code data}, so that a second start finds the first one's records. */
    static PackagedApp start(Path data, String... systemProperties) throws IOException {
        List<String> props = new ArrayList<>(List.of(
                "mp.jwt.verify.publickey.location=" + TestTokens.KEYS.resolve("test-public-key.pem").toAbsolutePath(),
                "mp.jwt.verify.issuer=" + TestTokens.ISSUER, "mp.jwt.verify.audiences=" + TestTokens.AUDIENCE));
        props.addAll(List.of(systemProperties));
        return startIn(Path.of("").toAbsolutePath(), data, Map.of(), props);
    }

    /**
     * Starts in {@code workingDirectory} with exactly these environment additions and system
     * properties: no security settings unless given (the project's rules are used wherever it runs).
     */
    static PackagedApp startIn(Path workingDirectory, Path data, Map<String, String> environment, List<String> systemProperties)
            throws IOException {
        String jar = Path.of(System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath().toString();
        int port = freePort();
        Path output = Files.createTempFile("app-", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dtriage.store.jdbc-url=jdbc:h2:file:" + data.resolve("triage"),
                "-Dtriage.rules.directory=" + DefaultRules.DIRECTORY.toAbsolutePath(),
                // Beside the store: a restart on the same data finds what the first start compiled.
                "-Dtriage.rules.compiled-cache.directory=" + data.resolve("compiled-rules"),
                // No balancer in front of these: a stop need not keep answering while one notices.
                "-Dquarkus.shutdown.delay=0s"));
        for (String p : systemProperties) {
            cmd.add("-D" + p);
        }
        cmd.add("-jar");
        cmd.add(jar);
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        return new PackagedApp(builder.start(), port, output);
    }

    /**
     * Runs {@code command} as it stands in {@code workingDirectory} with exactly {@code environment}
     * (nothing inherited from the test JVM, as in a container), the app listening on {@code port}:
     * for a launch the caller has worked out itself, as the compose IT does from the Dockerfile.
     */
    static PackagedApp launch(List<String> command, Path workingDirectory, Map<String, String> environment, int port)
            throws IOException {
        Path output = Files.createTempFile("app-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return new PackagedApp(builder.start(), port, output);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Posts until the app answers (it may still be starting); fails if it dies or takes over 60 s. */
    HttpResponse<String> post(String path, String json, String bearerToken) throws Exception {
        return post(path, json, bearerToken, Map.of());
    }

    /** As {@link #post(String, String, String)}, with {@code headers} added. */
    HttpResponse<String> post(String path, String json, String bearerToken, Map<String, String> headers) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + bearerToken);
        headers.forEach(builder::header);
        HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return awaitValue("an answer to " + path, () -> {
            try {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                return r.statusCode() != 503 ? r : null;
            } catch (ConnectException notYet) {
                return null; // still starting
            }
        });
    }

    /**
     * Polls {@code probe} until it gives a value other than null, and returns it; fails with the
     * app's output if the app stops first or 60 s pass.
     */
    <T> T awaitValue(String what, Callable<T> probe) throws IOException {
        AtomicReference<T> value = new AtomicReference<>();
        try {
            Awaitility.await(what).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(25))
                    .failFast("the app stopped", () -> !process.isAlive())
                    .until(() -> {
                        value.set(probe.call());
                        return value.get() != null;
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + ": " + output(), e);
        }
        return value.get();
    }

    HttpResponse<String> get(String path, String bearerToken) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + path)).header("Authorization", "Bearer " + bearerToken).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(output);
    }
}
