package org.massagetriage.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    static PackagedApp start(String... systemProperties) throws IOException {
        String jar = System.getProperty("app.jar", "target/quarkus-app/quarkus-run.jar");
        int port = freePort();
        Path output = Files.createTempFile("app-", ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port));
        for (String p : systemProperties) {
            cmd.add("-D" + p);
        }
        cmd.add("-jar");
        cmd.add(jar);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        return new PackagedApp(p, port, output);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String output() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(output);
    }
}
