package org.massagetriage.rules;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The forbidden rule files of {@link ForbiddenRules}, against the running service, both ways in:
 * as a draft to {@code POST /api/v1/rules/validate} and as a file saved into the rules directory.
 * Each is refused with its diagnostic before anything runs; afterwards every endpoint still
 * answers, a good edit still goes live, and the planted secret appears in no answer and no log line.
 */
@QuarkusTest
@TestProfile(TempRulesProfile.class)
class ForbiddenRulesApiTests {

    private static final RulesDirectory DIR = TempRulesProfile.DIR;
    private static final String SECRET = UUID.randomUUID().toString();
    private static LogCapture log;

    static final List<ForbiddenRules.Attack> ATTACKS = ForbiddenRules.ALL;

    @BeforeAll
    static void plantSecret() throws IOException {
        System.setProperty(ForbiddenRules.SECRET_PROPERTY, SECRET);
        Files.deleteIfExists(ForbiddenRules.MARKER);
        log = LogCapture.start();
    }

    @AfterAll
    static void noSecretLogged() {
        log.close();
        List<String> leaks = log.lines().stream().filter(l -> l.contains(SECRET)).toList();
        assertEquals(List.of(), leaks);
    }

    @AfterEach
    void restoreDefaults() throws IOException {
        if (Files.exists(DIR.root().resolve(ForbiddenRules.FILE))) {
            DIR.delete(ForbiddenRules.FILE);
        }
        asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200);
    }

    @ParameterizedTest(name = "as a draft: {0}")
    @FieldSource("ATTACKS")
    void shouldRefuseTheDraftBeforeRunningIt(ForbiddenRules.Attack attack) {
        Map<String, String> files = defaults();
        files.put(ForbiddenRules.FILE, attack.drl());
        String body = asRulesAdmin().contentType(ContentType.JSON).body(Map.of("files", files))
                .post("/api/v1/rules/validate").then().statusCode(200).extract().asString();
        JsonPath answer = JsonPath.from(body);
        assertEquals(false, answer.getBoolean("valid"));
        assertFirstDiagnostic(answer.getList("diagnostics"), "candidate/" + ForbiddenRules.FILE, attack);
        assertFalse(body.contains(SECRET));
        assertFalse(Files.exists(ForbiddenRules.MARKER), "the refused draft ran");
        everyEndpointAnswers();
    }

    @ParameterizedTest(name = "as a file: {0}")
    @FieldSource("ATTACKS")
    void shouldRefuseTheFileBeforeRunningItAndStillTakeAGoodEdit(ForbiddenRules.Attack attack) {
        String serving = asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().path("version");
        DIR.write(ForbiddenRules.FILE, attack.drl());
        String body = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().asString();
        JsonPath reload = JsonPath.from(body);
        assertEquals("REJECTED", reload.getString("result"), body);
        assertEquals(serving, reload.getString("activeVersion"));
        assertFirstDiagnostic(reload.getList("diagnostics"), DIR.root() + "/" + ForbiddenRules.FILE, attack);
        assertFalse(body.contains(SECRET));
        assertFalse(Files.exists(ForbiddenRules.MARKER), "the refused file ran");
        everyEndpointAnswers();

        // The clinician removes the file and makes a good edit: it goes live as usual.
        DIR.delete(ForbiddenRules.FILE);
        DIR.write("emergency.drl", DIR.read("emergency.drl") + "// reviewed " + attack.name() + "\n");
        String edited = DIR.version();
        await().atMost(Duration.ofSeconds(60)).until(() -> edited.equals(
                asClient().contentType(ContentType.JSON).body(HotReloadTests.SIXTY_HOURS_UNCHANGED).post("/api/v1/triage")
                        .then().statusCode(200).extract().path("ruleset.version")));
    }

    private static void assertFirstDiagnostic(List<Map<String, Object>> diagnostics, String file, ForbiddenRules.Attack attack) {
        Map<String, Object> first = diagnostics.get(0);
        Map<String, Object> expected = new HashMap<>();
        expected.put("kind", "LANGUAGE");
        expected.put("file", file);
        expected.put("line", attack.line());
        expected.put("column", attack.column());
        expected.put("rule", first.get("rule")); // file-level findings have none; RuleLanguageTests pins them
        expected.put("scenario", null);
        expected.put("message", attack.message());
        assertEquals(expected, first, diagnostics::toString);
        diagnostics.forEach(d -> assertEquals("LANGUAGE", d.get("kind"), diagnostics::toString));
    }

    /** The probe of the original report: none of these may stop answering. */
    private static void everyEndpointAnswers() {
        asClient().contentType(ContentType.JSON).body(HotReloadTests.SIXTY_HOURS_UNCHANGED).post("/api/v1/triage")
                .then().statusCode(200).body("outcome", equalTo("SELF_CARE"));
        asClient().get("/api/v1/vocabulary").then().statusCode(200);
        asRulesAdmin().get("/api/v1/rules").then().statusCode(200);
        asAuditor().get("/api/v1/decisions").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    private static Map<String, String> defaults() {
        return new HashMap<>(DefaultRules.source().files());
    }
}
