package org.massagetriage.rules;

import static org.massagetriage.security.TestTokens.asRulesAdmin;
import static org.massagetriage.security.TestTokens.asClient;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Rules as living files, against the running app: real edits in a temporary copy of the frozen
 * rules fixture (lines pinned here do not move when a clinician edits rules/). A good edit goes
 * live without a restart; a mistaken one is rejected with diagnostics while the last good rule
 * set keeps answering; swaps under load never fail or mix rule sets.
 */
@QuarkusTest
@TestProfile(FixtureRulesProfile.class)
class HotReloadTests {

    static final String SIXTY_HOURS_UNCHANGED = "{\"hoursSinceMassage\": 60, \"painCharacter\": \"DULL_ACHE\","
            + " \"painSeverity\": 3, \"trend\": \"UNCHANGED\", \"symptoms\": []}";

    private static final RulesDirectory DIR = FixtureRulesProfile.DIR;
    private static final Map<String, String> ORIGINAL = new HashMap<>();

    @TestHTTPResource("/api/v1/triage")
    URI triageUri;

    @BeforeEach
    void remember() {
        if (ORIGINAL.isEmpty()) {
            for (String f : List.of("contact-therapist.drl", "self-care.drl", "emergency.drl", "advice.drl",
                    "decision.drl", "urgent-assessment.drl", "thresholds.properties", "scenarios/self-care.csv",
                    "scenarios/contact-therapist.csv")) {
                ORIGINAL.put(f, DIR.read(f));
            }
        }
    }

    @AfterEach
    void restore() {
        ORIGINAL.forEach(DIR::write);
        String expected = version();
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200);
        awaitVersion(expected, 30_000);
    }

    /** The clinician's worked example in rules/README.md: 72 hours lowered to 48, with the rows that prove it. */
    static void lowerThresholdTo48Hours() {
        DIR.replace("thresholds.properties", "normal-soreness-hours=72", "normal-soreness-hours=48");
        DIR.replace("scenarios/self-care.csv", "SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,");
        DIR.write("scenarios/contact-therapist.csv", DIR.read("scenarios/contact-therapist.csv")
                + "CT-01-60h-unchanged,60,DULL_ACHE,3,UNCHANGED,none,LOWER_BACK,none,CONTACT_THERAPIST,"
                + "@CONTACT_THERAPIST,CT-01|ADV-02,,\n");
    }

    static String version() {
        return DIR.version();
    }

    static JsonPath triage(String body) {
        return asClient().contentType(ContentType.JSON).body(body).post("/api/v1/triage").then().statusCode(200)
                .extract().jsonPath();
    }

    /** Milliseconds until the app answers with {@code version}; fails after {@code timeoutMillis}. */
    static long awaitVersion(String version, long timeoutMillis) {
        long start = System.nanoTime();
        await("version " + version + " live").atMost(Duration.ofMillis(timeoutMillis)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> triage(SIXTY_HOURS_UNCHANGED).getString("ruleset.version"), equalTo(version));
        return (System.nanoTime() - start) / 1_000_000;
    }

    /**
     * The save-to-live time is printed, not asserted: a timing target belongs in a benchmark
     * (docs/performance.md records it), and a test that fails when the CI machine is busy proves
     * nothing about the service. What is asserted is that the edit goes live without a restart.
     */
    @Test
    void shouldPutAGoodEditLiveWithoutARestart() {
        assertEquals("SELF_CARE", triage(SIXTY_HOURS_UNCHANGED).getString("outcome"));
        lowerThresholdTo48Hours();
        String edited = version();
        long millis = awaitVersion(edited, 30_000);
        JsonPath after = triage(SIXTY_HOURS_UNCHANGED);
        assertEquals("CONTACT_THERAPIST", after.getString("outcome"));
        assertEquals(List.of("CT-01", "ADV-02"), after.getList("reasons.ruleId"));
        System.out.printf("save-to-live: %d ms%n", millis);
        asRulesAdmin().get("/api/v1/rules").then().statusCode(200)
                .body("version", equalTo(edited))
                .body("lastReload.result", equalTo("ACCEPTED"))
                .body("lastReload.trigger", equalTo("FILE_CHANGE"));
    }

    private void assertRejectedWhileOldVersionServes(String file, Integer line, String messagePart) {
        String serving = triage(SIXTY_HOURS_UNCHANGED).getString("ruleset.version");
        JsonPath reload = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
        assertEquals("REJECTED", reload.getString("result"));
        assertEquals(serving, reload.getString("activeVersion"));
        List<Map<String, Object>> diagnostics = reload.getList("diagnostics");
        assertTrue(diagnostics.stream().anyMatch(d -> (file == null || file.equals(d.get("file")))
                        && (line == null || line.equals(d.get("line")))
                        && String.valueOf(d.get("message")).contains(messagePart)),
                () -> "no diagnostic at " + file + ":" + line + " containing '" + messagePart + "' in " + diagnostics);
        JsonPath still = triage(SIXTY_HOURS_UNCHANGED);
        assertEquals(serving, still.getString("ruleset.version"));
        assertEquals("SELF_CARE", still.getString("outcome"));
        asRulesAdmin().get("/api/v1/rules").then().body("version", equalTo(serving))
                .body("lastReload.result", equalTo("REJECTED"));
    }

    private static String path(String relative) {
        return DIR.root() + "/" + relative;
    }

    @Test
    void shouldRejectASyntaxError() {
        DIR.replace("self-care.drl", "symptoms != null, symptoms.empty,", "symptoms != null, symptoms.empty(,,");
        assertRejectedWhileOldVersionServes(path("self-care.drl"), 26, "no viable alternative at input ','");
    }

    @Test
    void shouldRejectAnUnknownFactField() {
        DIR.replace("contact-therapist.drl", "Presentation( painSeverity >= $severe )", "Presentation( painScore >= $severe )");
        assertRejectedWhileOldVersionServes(path("contact-therapist.drl"), 35, "painScore");
    }

    @Test
    void shouldRejectADuplicateId() {
        DIR.replace("emergency.drl", "@id(\"RF-02\")", "@id(\"RF-01\")");
        assertRejectedWhileOldVersionServes(path("emergency.drl"), 22, "@id(\"RF-01\") is already used");
    }

    @Test
    void shouldRejectAMissingSource() {
        String drl = DIR.read("decision.drl");
        DIR.write("decision.drl", drl.replaceFirst("    @source\\(\"\\[article\\] FAQ, What should I do[^\n]*\n", ""));
        assertRejectedWhileOldVersionServes(path("decision.drl"), 14, "has no @source");
    }

    @Test
    void shouldRejectAFailingScenario() {
        DIR.replace("thresholds.properties", "normal-soreness-hours=72", "normal-soreness-hours=48");
        assertRejectedWhileOldVersionServes(path("scenarios/self-care.csv"), 7,
                "outcome: expected SELF_CARE but was CONTACT_THERAPIST");
    }

    @Test
    void shouldRejectAnEmptiedDirectory() {
        for (String f : ORIGINAL.keySet()) {
            if (f.endsWith(".drl")) {
                DIR.delete(f);
            }
        }
        assertRejectedWhileOldVersionServes(DIR.root().toString(), null, "an empty rule set is never activated");
    }

    /**
     * Reload under load (issue 7): real file edits picked up by the watcher, alternating good and
     * broken, while clients keep asking. 8 s and 6 edits in the normal run; 60 s and 20 edits with
     * -Preliability. No request may fail, and every answer must carry a version that was accepted,
     * with the outcome that version gives.
     */
    @Test
    void shouldServeOnlyAcceptedVersionsWhileGoodAndBrokenEditsAlternate() throws Exception {
        int seconds = Integer.getInteger("reload.soak.seconds", 8);
        int edits = Integer.getInteger("reload.soak.edits", 6);
        String versionA = version();
        lowerThresholdTo48Hours();
        String versionB = version();
        Map<String, String> filesB = new HashMap<>();
        for (String f : ORIGINAL.keySet()) {
            filesB.put(f, DIR.read(f));
        }
        ORIGINAL.forEach(DIR::write);
        awaitVersion(versionA, 30_000);
        Map<String, String> expectedOutcome = Map.of(versionA, "SELF_CARE", versionB, "CONTACT_THERAPIST");

        Clients clients = Clients.start(triageUri, expectedOutcome);
        long pause = seconds * 1_000L / edits;
        for (int edit = 0; edit < edits; edit++) {
            Thread.sleep(pause);
            boolean good = edit % 2 == 0;
            Map<String, String> base = (edit / 2) % 2 == 0 ? filesB : ORIGINAL;
            base.forEach(DIR::write);
            if (!good) {
                // A half-saved file: the rule's closing lines are missing.
                String drl = base.get("self-care.drl");
                DIR.write("self-care.drl", drl.substring(0, drl.lastIndexOf("then")));
            }
        }
        Thread.sleep(pause);
        clients.stop();
        assertEquals(List.of(), clients.failures);
        assertTrue(expectedOutcome.keySet().containsAll(clients.seen.keySet()), clients.seen::toString);
        assertTrue(clients.ok.get() > 100, "too few requests: " + clients.ok.get());
        System.out.printf("reload soak: %d s, %d edits (good and broken alternating): %d requests, 0 failed, per version %s%n",
                seconds, edits, clients.ok.get(), clients.seen);
    }

    /**
     * Swaps by reload while clients keep asking: 10 in the normal run, 50 with -Preliability
     * (reload.swaps); at 50 this test alone took most of the suite's time.
     */
    @Test
    void shouldAnswerEveryRequestConsistentlyDuringSwapsUnderLoad() throws Exception {
        int swaps = Integer.getInteger("reload.swaps", 10);
        String versionA = version();
        lowerThresholdTo48Hours();
        String versionB = version();
        Map<String, String> filesB = new HashMap<>();
        for (String f : ORIGINAL.keySet()) {
            filesB.put(f, DIR.read(f));
        }
        Map<String, String> expectedOutcome = Map.of(versionA, "SELF_CARE", versionB, "CONTACT_THERAPIST");

        Clients clients = Clients.start(triageUri, expectedOutcome);
        List<String> rejected = new java.util.ArrayList<>();
        for (int swap = 0; swap < swaps; swap++) {
            Map<String, String> files = swap % 2 == 0 ? ORIGINAL : filesB;
            files.forEach(DIR::write);
            JsonPath reload = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
            if ("REJECTED".equals(reload.getString("result"))) {
                rejected.add(reload.getString("diagnostics"));
            }
            Thread.sleep(20);
        }
        clients.stop();
        assertEquals(List.of(), clients.failures);
        assertEquals(List.of(), rejected, "good rule sets rejected during the swaps");
        assertTrue(clients.ok.get() > 100, "too few requests during the swaps: " + clients.ok.get());
        assertEquals(expectedOutcome.keySet(), clients.seen.keySet());
        System.out.printf("%d swaps under load: %d requests, all consistent, per version %s%n", swaps, clients.ok.get(), clients.seen);
    }

    /**
     * Four clients asking for the 60-hour presentation until stopped, checking every answer: status
     * 200, and the outcome that the answer's rule-set version gives.
     */
    static final class Clients {
        final AtomicInteger ok = new AtomicInteger();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ExecutorService pool = Executors.newFixedThreadPool(4);

        static Clients start(URI uri, Map<String, String> expectedOutcome) {
            Clients c = new Clients();
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(uri).header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(SIXTY_HOURS_UNCHANGED)).build();
            for (int i = 0; i < 4; i++) {
                c.pool.submit(() -> {
                    while (c.running.get() && c.failures.size() < 10) {
                        try {
                            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                c.failures.add(r.statusCode() + " " + r.body());
                                continue;
                            }
                            JsonPath json = JsonPath.from(r.body());
                            String v = json.getString("ruleset.version");
                            if (!json.getString("outcome").equals(expectedOutcome.get(v))) {
                                c.failures.add("version " + v + " answered " + json.getString("outcome"));
                            }
                            c.seen.computeIfAbsent(v, k -> new AtomicInteger()).incrementAndGet();
                            c.ok.incrementAndGet();
                        } catch (Exception e) {
                            c.failures.add(e.toString());
                        }
                    }
                    return null;
                });
            }
            return c;
        }

        void stop() throws InterruptedException {
            running.set(false);
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
