package org.massagetriage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.massagetriage.rules.RulesDirectory;

import io.restassured.path.json.JsonPath;

/** The packaged application, started with {@code java -jar} as users and the Dockerfile start it. */
class PackagedAppIT {

    @Test
    void shouldStartAndAnswerOnTheDefaultRules() throws Exception {
        long start = System.nanoTime();
        try (PackagedApp app = PackagedApp.start()) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port + "/api/v1/triage"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"symptoms\": [\"FAINTING\"]}")).build();
            HttpResponse<String> response = null;
            while (response == null) {
                assertTrue(app.process.isAlive(), () -> "the app stopped: " + output(app));
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "no answer within 60 s");
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException notYet) {
                    Thread.sleep(25);
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("EMERGENCY", JsonPath.from(response.body()).getString("outcome"));
            System.out.printf("start-up to first answer (java -jar): %d ms%n", millis);
        }
    }

    /** A clinician who breaks the rules and restarts must get one clear message, not a stack trace. */
    @Test
    void shouldRefuseToStartOnInvalidRulesNamingFileAndLine() throws Exception {
        try (RulesDirectory dir = RulesDirectory.copyOfDefaults()) {
            dir.replace("contact-therapist.drl", "Presentation( painSeverity >= 7 )", "Presentation( painScore >= 7 )");
            try (PackagedApp app = PackagedApp.start("triage.rules.directory=" + dir.root())) {
                assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
                String out = app.output();
                assertEquals(1, app.process.exitValue(), out);
                assertTrue(out.contains("The rules in '" + dir.root() + "' cannot be served; the service stops."), out);
                assertTrue(out.contains(dir.root() + "/contact-therapist.drl:30:4: rule \"CT-02 Severe pain -> contact therapist\":"
                        + " Unable to Analyse Expression painScore >= 7"), out);
                assertFalse(out.contains("\tat "), () -> "stack trace in: " + out);
                assertFalse(out.contains("Exception"), () -> "exception in: " + out);
            }
        }
    }

    @Test
    void shouldKeepDecisionRecordsAcrossARestart() throws Exception {
        Path data = Files.createTempDirectory("restart-");
        String id;
        String first;
        try (PackagedApp app = PackagedApp.start(data)) {
            HttpResponse<String> answer = app.post("/api/v1/triage", "{\"painCharacter\": \"SHARP\"}");
            assertEquals(200, answer.statusCode(), answer.body());
            id = JsonPath.from(answer.body()).getString("decisionId");
            first = app.get("/api/v1/decisions/" + id).body();
        }
        try (PackagedApp app = PackagedApp.start(data)) {
            app.post("/api/v1/triage", "{}"); // waits until the restarted app answers
            HttpResponse<String> again = app.get("/api/v1/decisions/" + id);
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(first, again.body());
            assertEquals("URGENT_ASSESSMENT", JsonPath.from(again.body()).getString("outcome"));
        }
    }

    private static String output(PackagedApp app) {
        try {
            return app.output();
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
