package org.massagetriage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.massagetriage.governance.TriageRequests;
import org.massagetriage.rules.ForbiddenRules;
import org.massagetriage.rules.ManyRulesFile;
import org.massagetriage.rules.RulesDirectory;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import io.restassured.path.json.JsonPath;

/** The packaged application, started with {@code java -jar} as users and the Dockerfile start it. */
class PackagedAppIT {

    static final String CLIENT = TestTokens.valid(Roles.TRIAGE_CLIENT);
    static final String AUDITOR = TestTokens.valid(Roles.AUDITOR);

    /**
     * The first start compiles the rules and keeps the compiler's output; a restart on the same data
     * with unchanged rules takes it from there (every check still runs) and answers sooner.
     */
    @Test
    void shouldStartAndAnswerOnTheDefaultRulesThenRestartFromTheCompiledCache() throws Exception {
        Path data = Files.createTempDirectory("app-data-");
        Path cache = data.resolve("compiled-rules");
        long cold = startAndAnswer(data, app -> {
            assertFalse(app.output().contains("loaded from the compiled cache"), app.output());
            // Written off the start's path, after the rules went live: wait for it before stopping.
            app.awaitValue("the compiled-rules cache entry", () -> entries(cache).size() == 1 ? true : null);
        });
        long warm = startAndAnswer(data, app -> assertTrue(app.output().contains("loaded from the compiled cache " + cache),
                app.output()));
        assertEquals(1, entries(cache).size());
        System.out.printf("start-up to first answer (java -jar): %d ms compiling the rules, %d ms from the compiled cache%n",
                cold, warm);
    }

    private interface AppCheck {
        void check(PackagedApp app) throws Exception;
    }

    /** Milliseconds from starting the jar to its first answer (200, the emergency a fainting is). */
    private static long startAndAnswer(Path data, AppCheck then) throws Exception {
        long start = System.nanoTime();
        try (PackagedApp app = PackagedApp.start(data)) {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port + "/api/v1/triage"))
                    .header("Content-Type", "application/json").header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"symptoms\": [\"FAINTING\"]}")).build();
            HttpResponse<String> response = app.awaitValue("a first answer", () -> {
                try {
                    return client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (ConnectException notYet) {
                    return null;
                }
            });
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("EMERGENCY", JsonPath.from(response.body()).getString("outcome"));
            then.check(app);
            return millis;
        }
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".rules-cache")).toList();
        }
    }

    /** A clinician who breaks the rules and restarts must get one clear message, not a stack trace. */
    @Test
    void shouldRefuseToStartOnInvalidRulesNamingFileAndLine() throws Exception {
        try (RulesDirectory dir = RulesDirectory.copyOfFixture()) {
            dir.replace("contact-therapist.drl", "Presentation( painSeverity >= $severe )", "Presentation( painScore >= $severe )");
            try (PackagedApp app = PackagedApp.start("triage.rules.directory=" + dir.root())) {
                assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
                String out = app.output();
                assertEquals(1, app.process.exitValue(), out);
                assertTrue(out.contains("The rules in '" + dir.root() + "' cannot be served; the service stops."), out);
                assertTrue(out.contains(dir.root() + "/contact-therapist.drl:35:19: rule \"CT-02 Severe pain -> contact therapist\":"
                        + " 'painScore' is not a field of Presentation"), out);
                assertFalse(out.contains("\tat "), () -> "stack trace in: " + out);
                assertFalse(out.contains("Exception"), () -> "exception in: " + out);
            }
        }
    }

    /**
     * Every forbidden file of {@link ForbiddenRules} present at start-up, each under its own name: the
     * service exits 1 at once naming each one at its line, having run nothing of them (a System.exit(0)
     * among them would have exited 0, a loop would have hung). One start for all of them keeps the
     * suite short; that each is refused on its own is shown file by file in ForbiddenRulesApiTests.
     */
    @Test
    void shouldExitWithEveryDiagnosticWhenForbiddenFilesArePresentAtStartUp() throws Exception {
        String secret = UUID.randomUUID().toString();
        Files.deleteIfExists(ForbiddenRules.MARKER);
        try (RulesDirectory dir = RulesDirectory.copyOfDefaults()) {
            List<ForbiddenRules.Attack> attacks = ForbiddenRules.ALL;
            for (int i = 0; i < attacks.size(); i++) {
                dir.write(fileName(i), attacks.get(i).drl());
            }
            long start = System.nanoTime();
            try (PackagedApp app = PackagedApp.start("triage.rules.directory=" + dir.root(),
                    ForbiddenRules.SECRET_PROPERTY + "=" + secret)) {
                assertTrue(app.process.waitFor(30, TimeUnit.SECONDS), "the app did not stop within 30 s");
                String out = app.output();
                assertEquals(1, app.process.exitValue(), out);
                for (int i = 0; i < attacks.size(); i++) {
                    ForbiddenRules.Attack attack = attacks.get(i);
                    String where = dir.root() + "/" + fileName(i) + ":" + attack.line()
                            + (attack.column() == null ? "" : ":" + attack.column()) + ": ";
                    Pattern line = Pattern.compile(Pattern.quote(where)
                            + "(rule \"[^\"]*\": )?" + Pattern.quote(attack.message()));
                    assertTrue(line.matcher(out).find(), () -> attack.name() + ": " + where + attack.message() + " not in " + out);
                }
                assertFalse(out.contains(secret), out);
                assertFalse(out.contains("\tat "), () -> "stack trace in: " + out);
                assertFalse(Files.exists(ForbiddenRules.MARKER), "a forbidden file ran");
                System.out.printf("start-up with %d forbidden files: exit 1 after %d ms%n", attacks.size(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    private static String fileName(int i) {
        return String.format("attack-%02d.drl", i + 1);
    }

    /** SIGTERM while the start-up check is still compiling (a large rule set): the service stops promptly. */
    @Test
    void shouldStopOnSigtermWhileTheStartUpCheckRuns() throws Exception {
        try (RulesDirectory dir = RulesDirectory.copyOfDefaults()) {
            dir.write("many.drl", ManyRulesFile.drl(5_000));
            try (PackagedApp app = PackagedApp.start("triage.rules.directory=" + dir.root())) {
                Thread.sleep(4_000); // JVM started, the start-up check is compiling
                assertTrue(app.process.isAlive(), "the app stopped before SIGTERM");
                long start = System.nanoTime();
                app.process.destroy(); // SIGTERM
                assertTrue(app.process.waitFor(15, TimeUnit.SECONDS), "SIGTERM did not stop the app within 15 s");
                System.out.printf("SIGTERM during the start-up check: stopped after %d ms (exit %d)%n",
                        (System.nanoTime() - start) / 1_000_000, app.process.exitValue());
            }
        }
    }

    @Test
    void shouldKeepDecisionRecordsAcrossARestart() throws Exception {
        Path data = Files.createTempDirectory("restart-");
        String id;
        String first;
        try (PackagedApp app = PackagedApp.start(data)) {
            HttpResponse<String> answer = app.post("/api/v1/triage", "{\"painCharacter\": \"SHARP\"}", CLIENT);
            assertEquals(200, answer.statusCode(), answer.body());
            id = JsonPath.from(answer.body()).getString("decisionId");
            first = app.get("/api/v1/decisions/" + id, AUDITOR).body();
        }
        try (PackagedApp app = PackagedApp.start(data)) {
            app.post("/api/v1/triage", "{}", CLIENT); // waits until the restarted app answers
            HttpResponse<String> again = app.get("/api/v1/decisions/" + id, AUDITOR);
            assertEquals(200, again.statusCode(), again.body());
            assertEquals(first, again.body());
            assertEquals("URGENT_ASSESSMENT", JsonPath.from(again.body()).getString("outcome"));
        }
    }

    /**
     * Durable before answered, on the embedded default: every decision answered before a kill -9 is
     * in the store after the restart. The writer's last groups are the ones a delayed write would
     * lose: H2 keeps commits in memory for up to its write delay (500 ms) unless they are written
     * at once (audit/H2WriteThrough), so the kill comes straight after the last answer.
     */
    @Test
    void shouldKeepEveryAnsweredDecisionAfterKillMinus9() throws Exception {
        Path data = Files.createTempDirectory("kill-");
        List<String> answered = new ArrayList<>();
        try (PackagedApp app = PackagedApp.start(data)) {
            app.post("/api/v1/triage", "{}", CLIENT); // waits until it answers
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + app.port + "/api/v1/triage"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + CLIENT)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 3}")).build();
            for (int i = 0; i < 200; i++) {
                HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                answered.add(JsonPath.from(r.body()).getString("decisionId"));
            }
            app.process.destroyForcibly(); // SIGKILL: no shutdown hook, no close of the store
            assertTrue(app.process.waitFor(10, TimeUnit.SECONDS));
        }
        try (PackagedApp app = PackagedApp.start(data)) {
            app.post("/api/v1/triage", "{}", CLIENT);
            List<String> missing = new ArrayList<>();
            for (String id : answered) {
                if (app.get("/api/v1/decisions/" + id, AUDITOR).statusCode() != 200) {
                    missing.add(id);
                }
            }
            assertEquals(List.of(), missing, "answered before the kill but not in the store after it");
        }
    }

    /**
     * Issue 17: a client that retries after the service restarted (its first answer lost on the way)
     * gets the original answer, byte for byte, from the store; nothing new is recorded.
     */
    @Test
    void shouldAnswerARetryWithTheOriginalAnswerAfterARestart() throws Exception {
        Path data = Files.createTempDirectory("idempotent-");
        Map<String, String> key = Map.of("Idempotency-Key", "booking-4711-attempt");
        HttpResponse<String> first;
        try (PackagedApp app = PackagedApp.start(data)) {
            first = app.post("/api/v1/triage", "{\"painCharacter\": \"SHARP\", \"painSeverity\": 6}", CLIENT, key);
            assertEquals(200, first.statusCode(), first.body());
            assertEquals(Optional.empty(), first.headers().firstValue("Idempotent-Replayed"));
        }
        try (PackagedApp app = PackagedApp.start(data)) {
            HttpResponse<String> retry = app.post("/api/v1/triage", "{\"painSeverity\": 6, \"painCharacter\": \"SHARP\"}", CLIENT, key);
            assertEquals(200, retry.statusCode(), retry.body());
            assertEquals(Optional.of("true"), retry.headers().firstValue("Idempotent-Replayed"));
            assertEquals(first.body(), retry.body());
            HttpResponse<String> listed = app.get("/api/v1/decisions?limit=500", AUDITOR);
            assertEquals(List.of(JsonPath.from(first.body()).getString("decisionId")),
                    JsonPath.from(listed.body()).getList("items.decisionId"));
        }
    }

    /**
     * Issue 15's proof of reproducibility: 1,000 decisions made under three successive rule sets (two
     * file edits) replay, after a restart, to exactly their recorded answers under the rules that
     * made them, compiled again from the rule-set history.
     */
    @Test
    void shouldReplayDecisionsOfThreeRuleSetsExactlyAfterARestart() throws Exception {
        Path data = Files.createTempDirectory("replay-");
        String admin = TestTokens.valid(Roles.RULES_ADMIN);
        try (RulesDirectory rules = RulesDirectory.copyOfFixture()) {
            // Raising severe-pain down-triages: without approval switched off the edit would wait for it.
            String[] props = {"triage.rules.directory=" + rules.root(), "triage.rules.debounce=100ms",
                    "triage.rules.poll-interval=250ms", "triage.rules.approval=none"};
            List<String> ids = new ArrayList<>();
            Set<String> versions = new HashSet<>();
            Random random = new Random(1000);
            try (PackagedApp app = PackagedApp.start(data, props)) {
                app.post("/api/v1/triage", "{}", CLIENT); // waits until the app answers
                for (int version = 0; version < 3; version++) {
                    if (version == 1) {
                        rules.replace("thresholds.properties", "normal-soreness-hours=72", "normal-soreness-hours=48");
                        rules.replace("scenarios/self-care.csv", "SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,");
                    } else if (version == 2) {
                        rules.replace("thresholds.properties", "severe-pain=7", "severe-pain=8");
                        rules.replace("scenarios/contact-therapist.csv", "CT-02-severity-7,24,DULL_ACHE,7,",
                                "CT-02-severity-8,24,DULL_ACHE,8,");
                        rules.replace("scenarios/contact-therapist.csv", "CT-02-severity-7-at-73h,73,DULL_ACHE,7,",
                                "CT-02-severity-8-at-73h,73,DULL_ACHE,8,");
                    }
                    String expected = rules.version();
                    app.awaitValue("version " + expected + " active", () -> {
                        String body;
                        try {
                            body = app.get("/api/v1/rules", admin).body();
                        } catch (IOException closedWhileSwapping) {
                            return null; // polled again
                        }
                        return expected.equals(JsonPath.from(body).getString("version")) ? body : null;
                    });
                    for (int i = 0; i < (version == 2 ? 334 : 333); i++) {
                        HttpResponse<String> answer = app.post("/api/v1/triage", TriageRequests.random(random), CLIENT);
                        assertEquals(200, answer.statusCode(), answer.body());
                        ids.add(JsonPath.from(answer.body()).getString("decisionId"));
                        versions.add(JsonPath.from(answer.body()).getString("ruleset.version"));
                    }
                }
            }
            assertEquals(3, versions.size(), versions::toString);
            // A fourth rule set serves after the restart, so every replay compiles its rules from the history.
            rules.write("thresholds.properties", rules.read("thresholds.properties") + "# edited while stopped\n");
            String fourth = rules.version();
            try (PackagedApp app = PackagedApp.start(data, props)) {
                app.post("/api/v1/triage", "{}", CLIENT); // waits until the restarted app answers
                long start = System.nanoTime();
                for (String id : ids) {
                    HttpResponse<String> replay = app.post("/api/v1/decisions/" + id + "/replay", "{}", AUDITOR);
                    assertEquals(200, replay.statusCode(), replay.body());
                    JsonPath r = JsonPath.from(replay.body());
                    assertTrue(r.getBoolean("reproduced"), replay.body());
                    assertEquals(r.getString("recorded.rulesetVersion"), r.getString("underRecordedRules.rulesetVersion"));
                    assertEquals(fourth, r.getString("underActiveRules.rulesetVersion"));
                }
                System.out.printf("replayed %d decisions of 3 rule sets after a restart: %d ms%n", ids.size(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    /**
     * Issue 15, section 4, across a restart: behind the approval gate, files waiting for approval at
     * a stop (or edited while stopped) must not serve at the next start. The rule set released last
     * serves again, from the history; the files on disk wait for approval as before.
     */
    @Test
    void shouldServeTheLastReleasedRulesAfterARestartWhileTheEditStillWaitsForApproval() throws Exception {
        Path data = Files.createTempDirectory("approval-restart-");
        String admin = TestTokens.valid(Roles.RULES_ADMIN);
        try (RulesDirectory rules = RulesDirectory.copyOfFixture()) {
            String[] props = {"triage.rules.directory=" + rules.root(), "triage.rules.debounce=100ms",
                    "triage.rules.poll-interval=250ms", "triage.rules.approval=down-triage"};
            String released = rules.version();
            // Severe pain from 8 instead of 7: severity 7 moves from CONTACT_THERAPIST to SELF_CARE, a down-triage.
            String severity7 = "{\"hoursSinceMassage\": 24, \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 7,"
                    + " \"trend\": \"UNCHANGED\", \"symptoms\": [], \"bodyRegion\": \"LOWER_BACK\"}";
            String edited;
            try (PackagedApp app = PackagedApp.start(data, props)) {
                app.post("/api/v1/triage", "{}", CLIENT); // waits until the app answers
                rules.replace("thresholds.properties", "severe-pain=7", "severe-pain=8");
                rules.replace("scenarios/contact-therapist.csv", "CT-02-severity-7,24,DULL_ACHE,7,",
                        "CT-02-severity-8,24,DULL_ACHE,8,");
                rules.replace("scenarios/contact-therapist.csv", "CT-02-severity-7-at-73h,73,DULL_ACHE,7,",
                        "CT-02-severity-8-at-73h,73,DULL_ACHE,8,");
                edited = rules.version();
                app.awaitValue("version " + edited + " pending", () -> {
                    HttpResponse<String> pending = app.get("/api/v1/rules/pending", admin);
                    return pending.statusCode() == 200 && edited.equals(JsonPath.from(pending.body()).getString("version"))
                            ? pending.body() : null;
                });
                assertEquals(released, JsonPath.from(app.get("/api/v1/rules", admin).body()).getString("version"));
            }
            try (PackagedApp app = PackagedApp.start(data, props)) {
                HttpResponse<String> answer = app.post("/api/v1/triage", severity7, CLIENT);
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals("CONTACT_THERAPIST", JsonPath.from(answer.body()).getString("outcome"));
                assertEquals(released, JsonPath.from(answer.body()).getString("ruleset.version"));
                HttpResponse<String> pending = app.get("/api/v1/rules/pending", admin);
                assertEquals(200, pending.statusCode(), pending.body());
                assertEquals(edited, JsonPath.from(pending.body()).getString("version"));
                assertTrue(JsonPath.from(pending.body()).getBoolean("impact.downTriage"), pending.body());

                HttpResponse<String> approved = app.post("/api/v1/rules/pending/" + edited + "/approve",
                        "{\"comment\": \"severity 7 is self-care from now on\"}", TestTokens.valid(Roles.RULES_ADMIN));
                assertEquals(200, approved.statusCode(), approved.body());
                HttpResponse<String> after = app.post("/api/v1/triage", severity7, CLIENT);
                assertEquals("SELF_CARE", JsonPath.from(after.body()).getString("outcome"), after.body());
                assertEquals(edited, JsonPath.from(after.body()).getString("ruleset.version"));
            }
            try (PackagedApp app = PackagedApp.start(data, props)) {
                // Released now: the files on disk serve at once, nothing waits.
                HttpResponse<String> answer = app.post("/api/v1/triage", severity7, CLIENT);
                assertEquals(edited, JsonPath.from(answer.body()).getString("ruleset.version"), answer.body());
                assertEquals(404, app.get("/api/v1/rules/pending", admin).statusCode());
            }
        }
    }

    /** Production without a trusted key would turn every caller away, or be set up by guesswork: it must not start. */
    @Test
    void shouldRefuseToStartWithoutTrustedKeysNamingTheSettings() throws Exception {
        Path dir = Files.createTempDirectory("no-keys-");
        try (PackagedApp app = PackagedApp.startIn(dir, dir, Map.of(), List.of())) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
            String out = app.output();
            assertEquals(1, app.process.exitValue(), out);
            assertTrue(out.contains("Caller authentication is not set up; the service stops. Set MP_JWT_VERIFY_PUBLICKEY_LOCATION"), out);
            assertTrue(out.contains("Set MP_JWT_VERIFY_ISSUER") && out.contains("Set MP_JWT_VERIFY_AUDIENCES"), out);
            assertTrue(out.contains("TRIAGE_SECURITY_LOCAL=true"), out);
            assertFalse(out.contains("\tat "), () -> "stack trace in: " + out);
            assertFalse(Files.exists(dir.resolve("data/local-auth")), "keys generated outside local mode");
        }
    }

    /**
     * What quarkus:run passes when no key is configured: the JWT extension's in-memory development
     * key pair (signing key included) and its default issuer. Even with an audience set, the
     * service must not start trusting a key nobody configured.
     */
    @Test
    void shouldRefuseTheFrameworksDevelopmentKeys() throws Exception {
        Path dir = Files.createTempDirectory("dev-keys-");
        String publicKey = pemBody("test-public-key.pem");
        String privateKey = pemBody("test-private-key.pem");
        try (PackagedApp app = PackagedApp.startIn(dir, dir, Map.of(), List.of("mp.jwt.verify.publickey=" + publicKey,
                "smallrye.jwt.sign.key=" + privateKey, "mp.jwt.verify.issuer=https://quarkus.io/issuer",
                "mp.jwt.verify.audiences=soreness-triage"))) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
            String out = app.output();
            assertEquals(1, app.process.exitValue(), out);
            assertTrue(out.contains("Caller authentication is not set up; the service stops. Set MP_JWT_VERIFY_PUBLICKEY_LOCATION"), out);
            assertTrue(out.contains("Set MP_JWT_VERIFY_ISSUER"), out);
            assertFalse(out.contains("Set MP_JWT_VERIFY_AUDIENCES"), out);
            assertTrue(out.contains("taken for the framework's development keys and not trusted"), out);
        }
    }

    private static String pemBody(String file) throws IOException {
        return Files.readString(TestTokens.KEYS.resolve(file)).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
    }

    /**
     * Local mode beside configured trust settings, from a system property and from a configuration
     * file that ranks below environment variables: refused either way, and no key pair is made.
     */
    @Test
    void shouldRefuseLocalModeMixedWithConfiguredSettings() throws Exception {
        Path dir = Files.createTempDirectory("mixed-");
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/application.properties"), "mp.jwt.verify.audiences=booking\n");
        try (PackagedApp app = PackagedApp.startIn(dir, dir, Map.of("TRIAGE_SECURITY_LOCAL", "true"),
                List.of("mp.jwt.verify.issuer=https://idp.example"))) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
            String out = app.output();
            assertEquals(1, app.process.exitValue(), out);
            assertTrue(out.contains("mp.jwt.verify.issuer is set (in SysPropConfigSource) while triage.security.local=true;"
                    + " use either local mode or configured keys, not both."), out);
            assertTrue(out.contains("mp.jwt.verify.audiences is set (in PropertiesConfigSource[source=file:"), out);
            assertFalse(Files.exists(dir.resolve("data/local-auth/private-key.pem")), "a key pair was made for a refused start");
        }
    }

    /**
     * A CDS Hooks client with no key source (or two) cannot be trusted as meant, and a JWK Set over
     * plain http could be swapped on the way: the service must not start, and says which setting.
     */
    @Test
    void shouldRefuseToStartWithAnUnusableCdsClient() throws Exception {
        try (PackagedApp app = PackagedApp.start("triage.cds.clients.ehr.issuer=https://ehr.example",
                "triage.cds.clients.lab.issuer=https://lab.example", "triage.cds.clients.lab.jwks-url=http://keys.example/jwks")) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
            String out = app.output();
            assertEquals(1, app.process.exitValue(), out);
            assertTrue(out.contains("Caller authentication is not set up; the service stops. Set exactly one of"
                    + " triage.cds.clients.\"ehr\".jwks-url (the client's JWK Set) and triage.cds.clients.\"ehr\".public-key"
                    + " (its PEM public key); neither is set."), out);
            assertTrue(out.contains("triage.cds.clients.\"lab\".jwks-url must be https"), out);
            assertFalse(out.contains("\tat "), () -> "stack trace in: " + out);
        }
    }

    /** HMAC would let anyone who knows the verification key sign tokens: refused at start-up. */
    @Test
    void shouldRefuseASymmetricSignatureAlgorithm() throws Exception {
        try (PackagedApp app = PackagedApp.start("mp.jwt.verify.publickey.algorithm=HS256")) {
            assertTrue(app.process.waitFor(60, TimeUnit.SECONDS), "the app did not stop");
            String out = app.output();
            assertEquals(1, app.process.exitValue(), out);
            assertTrue(out.contains("mp.jwt.verify.publickey.algorithm is HS256: only public-key signatures"), out);
        }
    }

    /**
     * The README's way to try the service: local mode generates a key pair, writes a token per role,
     * and the one-line command mints more; the tokens work exactly as their roles allow, and the
     * decision record names the client.
     */
    @Test
    void shouldServeLocalModeWithGeneratedKeysWrittenTokensAndTheMintingCommand() throws Exception {
        Path dir = Files.createTempDirectory("local-mode-");
        Path auth = dir.resolve("data/local-auth");
        // The README runs this through quarkus:run, which adds these two properties: the app must take them as unset.
        try (PackagedApp app = PackagedApp.startIn(dir, dir, Map.of("TRIAGE_SECURITY_LOCAL", "true"),
                List.of("mp.jwt.verify.publickey=NONE", "smallrye.jwt.sign.key=NONE"))) {
            Path clientTokenFile = auth.resolve("tokens/triage-client.jwt");
            app.awaitValue("the token file " + clientTokenFile, () -> Files.exists(clientTokenFile) ? clientTokenFile : null);
            String client = Files.readString(clientTokenFile).trim();
            HttpResponse<String> answer = app.post("/api/v1/triage", "{\"symptoms\": [\"FAINTING\"]}", client);
            assertEquals(200, answer.statusCode(), answer.body());
            String id = JsonPath.from(answer.body()).getString("decisionId");

            String auditor = mint(dir, "auditor");
            HttpResponse<String> record = app.get("/api/v1/decisions/" + id, auditor);
            assertEquals(200, record.statusCode(), record.body());
            assertEquals("local-triage-client", JsonPath.from(record.body()).getString("client.subject"));
            assertEquals("urn:massagetriage:local", JsonPath.from(record.body()).getString("client.issuer"));

            assertEquals(403, app.get("/api/v1/decisions/" + id, client).statusCode());
            String admin = Files.readString(auth.resolve("tokens/rules-admin.jwt")).trim();
            assertEquals(403, app.post("/api/v1/triage", "{}", admin).statusCode());
            assertEquals(401, app.post("/api/v1/triage", "{}", TestTokens.valid(Roles.TRIAGE_CLIENT)).statusCode(),
                    "a token from another issuer and key was accepted");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(auth.resolve("private-key.pem")));
            String out = app.output();
            assertTrue(out.contains("LOCAL SECURITY MODE, NOT FOR PRODUCTION"), out);
        }
    }

    /** Runs the README's minting command in {@code dir}, from the packaged application's jar alone. */
    private static String mint(Path dir, String role) throws Exception {
        Path appJars = Path.of("target/quarkus-app/app").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                appJars + "/*", "org.massagetriage.security.LocalTokens", role).directory(dir.toFile()).start();
        String token = new String(p.getInputStream().readAllBytes()).trim();
        String errors = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), errors);
        assertEquals(3, token.split("\\.").length, token);
        return token;
    }

    private static String output(PackagedApp app) {
        try {
            return app.output();
        } catch (IOException e) {
            return e.toString();
        }
    }
}
