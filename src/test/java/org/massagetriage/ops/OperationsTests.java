package org.massagetriage.ops;

import static io.restassured.RestAssured.given;
import static org.massagetriage.security.TestTokens.asRulesAdmin;
import static org.massagetriage.security.TestTokens.asClient;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** What operators and client developers rely on: the contract document, probes, metrics, limits, logs. */
@QuarkusTest
class OperationsTests {

    @Test
    void shouldServeAnOpenApiDocumentListingEveryEnumValueOfTheContract() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, List<String>> expected = Map.of(
                "PainCharacter", names(PainCharacter.values()),
                "Trend", names(Trend.values()),
                "Symptom", names(Symptom.values()),
                "BodyRegion", names(BodyRegion.values()),
                "Outcome", names(Outcome.values()),
                "AdviceKey", names(AdviceKey.values()));
        expected.forEach((schema, values) ->
                assertEquals(values, doc.getList("components.schemas." + schema + ".enum"), schema));
        assertEquals(0, doc.getInt("components.schemas.TriageRequest.properties.painSeverity.minimum"));
        assertEquals(10, doc.getInt("components.schemas.TriageRequest.properties.painSeverity.maximum"));
        assertEquals(8760, doc.getInt("components.schemas.TriageRequest.properties.hoursSinceMassage.maximum"));
        assertEquals("#/components/schemas/MissingFact",
                doc.getString("components.schemas.TriageResponse.properties.missingFacts.items.$ref"));
        assertEquals(List.of("hoursSinceMassage", "painCharacter", "painSeverity", "trend", "symptoms", "bodyRegion", "history",
                "history.chronicLowBackPain", "history.recentSurgery", "history.preExistingCondition", "history.takesMedication",
                "history.takesAnticoagulant"), doc.getList("components.schemas.MissingFact.enum"));
        assertEquals(Set.of("chronicLowBackPain", "recentSurgery", "preExistingCondition", "takesMedication", "takesAnticoagulant"),
                doc.getMap("components.schemas.History.properties").keySet());
        assertEquals(List.of("NATIONAL_GUIDANCE", "LOCAL_GUIDANCE", "SYSTEMATIC_REVIEW", "STUDY", "CASE_REPORT", "ARTICLE"),
                doc.getList("components.schemas.SourceCitation.properties.strength.enum"));
        assertEquals("#/components/schemas/SourceCitation",
                doc.getString("components.schemas.Reason.properties.citations.items.$ref"));
        assertEquals(Set.of("200", "400", "401", "403", "413", "415", "422", "501", "503"),
                doc.getMap("paths.'/api/v1/triage'.post.responses").keySet());
        // Issue 17: texts and their language, the optional key, and the header that marks a replayed answer.
        assertEquals(List.of(Map.of("name", "include", "in", "query", "required", false),
                        Map.of("name", "Accept-Language", "in", "header", "required", false),
                        Map.of("name", "Idempotency-Key", "in", "header", "required", false)),
                doc.getList("paths.'/api/v1/triage'.post.parameters").stream()
                        .map(p -> Map.of("name", ((Map<?, ?>) p).get("name"), "in", ((Map<?, ?>) p).get("in"),
                                "required", ((Map<?, ?>) p).containsKey("required") && (Boolean) ((Map<?, ?>) p).get("required")))
                        .toList());
        assertEquals(Map.of("type", "string", "minLength", 1, "maxLength", 255, "pattern", "^[\\x21-\\x7E]+$"),
                doc.getMap("paths.'/api/v1/triage'.post.parameters[2].schema"));
        assertEquals(Map.of("type", "string", "enum", List.of("texts")),
                doc.getMap("paths.'/api/v1/triage'.post.parameters[0].schema"));
        assertEquals(Map.of("type", "string", "enum", List.of("true")),
                doc.getMap("paths.'/api/v1/triage'.post.responses.'200'.headers.Idempotent-Replayed.schema"));
        assertEquals(List.of("http", "bearer", "JWT"), List.of(doc.getString("components.securitySchemes.bearer.type"),
                doc.getString("components.securitySchemes.bearer.scheme"), doc.getString("components.securitySchemes.bearer.bearerFormat")));
        assertEquals(List.of(Map.of("bearer", List.of("triage-client"))), doc.getList("paths.'/api/v1/triage'.post.security"));
        assertEquals(List.of(Map.of("bearer", List.of("auditor"))), doc.getList("paths.'/api/v1/decisions'.get.security"));
        assertEquals(List.of(Map.of("bearer", List.of("rules-admin"))), doc.getList("paths.'/api/v1/rules/reload'.post.security"));
        assertEquals("#/components/schemas/Problem",
                doc.getString("paths.'/api/v1/triage'.post.responses.'401'.content.'application/problem+json'.schema.$ref"));
        assertEquals(Set.of("SELF_CARE", "CONTACT_THERAPIST", "URGENT_ASSESSMENT", "EMERGENCY", "CONTACT_THERAPIST (safety net)"),
                doc.getMap("paths.'/api/v1/triage'.post.responses.'200'.content.'application/json'.examples").keySet());
        assertTrue(doc.getMap("components.schemas").containsKey("Problem"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void shouldBeReadyWithTheActiveVersionAndTheStore() {
        String version = asRulesAdmin().get("/api/v1/rules").then().extract().path("version");
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'rules' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'rules' }.data.version", equalTo(version))
                .body("checks.find { it.name == 'rules' }.data.lastReload", matchesPattern("(ACCEPTED|UNCHANGED) .*"))
                .body("checks.find { it.name == 'decision-store' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'decision-store' }.data.store", equalTo("H2"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void shouldCountExactlyOneDecisionAndExactlyTheFiredRules() {
        Map<String, Double> before = metrics();
        JsonPath answer = asClient().contentType(ContentType.JSON).body("{\"symptoms\": [\"FAINTING\", \"TINGLING\"]}")
                .post("/api/v1/triage").then().statusCode(200).extract().jsonPath();
        Map<String, Double> after = metrics();

        Map<String, Double> moved = new HashMap<>();
        Set<String> keys = new HashSet<>(after.keySet());
        for (String k : keys) {
            double delta = after.get(k) - before.getOrDefault(k, 0.0);
            if (delta != 0 && (k.startsWith("triage_decisions_total") || k.startsWith("triage_rule_fires_total"))) {
                moved.put(k, delta);
            }
        }
        Map<String, Double> expected = new HashMap<>();
        expected.put("triage_decisions_total{outcome=\"EMERGENCY\"}", 1.0);
        List<String> fired = new ArrayList<>(answer.getList("reasons.ruleId"));
        fired.add("DEC-01"); // decides the outcome in every evaluation; not a reason in the answer
        for (String id : fired) {
            expected.put("triage_rule_fires_total{rule=\"" + id + "\"}", 1.0);
        }
        assertEquals(expected, moved);
        assertTrue(after.get("triage_evaluation_seconds_count") > before.getOrDefault("triage_evaluation_seconds_count", 0.0));
        assertTrue(after.keySet().stream().anyMatch(k -> k.startsWith("triage_ruleset_active{version=\"sha256:")));
        assertTrue(after.containsKey("triage_rules_reloads_total{result=\"ACCEPTED\",trigger=\"STARTUP\"}"), after::toString);
        assertTrue(after.get("triage_store_write_seconds_count") >= 1);
    }

    @Test
    void shouldRefuseAnOversizedBodyWith413Problem() {
        String big = "{\"trend\": \"" + "x".repeat(70 * 1024) + "\"}";
        asClient().contentType(ContentType.JSON).body(big).post("/api/v1/triage")
                .then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("title", equalTo("Content Too Large"));
    }

    @Test
    void shouldLogOneLinePerDecisionWithoutRequestFacts() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage() == null ? "" : String.format(record.getMessage().replace("%d", "%s"),
                        record.getParameters() == null ? new Object[0] : record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("org.massagetriage.decisions");
        logger.addHandler(capture);
        try {
            String id = asClient().contentType(ContentType.JSON)
                    .body("{\"hoursSinceMassage\": 4321, \"painSeverity\": 6, \"symptoms\": [\"NUMBNESS\"], \"bodyRegion\": \"ARMS\"}")
                    .post("/api/v1/triage").then().statusCode(200).extract().path("decisionId");
            List<String> mine = lines.stream().filter(l -> l.contains(id)).toList();
            assertEquals(1, mine.size(), lines::toString);
            assertTrue(mine.get(0).matches("decision " + id + " outcome=URGENT_ASSESSMENT ruleset=sha256:[0-9a-f]{16} client=test-triage-client"
                    + " latencyMicros=\\d+"), mine.get(0));
            for (String fact : List.of("4321", "NUMBNESS", "ARMS", "painSeverity", "symptoms")) {
                assertFalse(mine.get(0).contains(fact), fact);
            }
        } finally {
            logger.removeHandler(capture);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})?) ([-+0-9.eE]+|NaN)$");

    static Map<String, Double> metrics() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (!line.startsWith("#") && m.matches() && line.startsWith("triage_")) {
                out.put(m.group(1), Double.parseDouble(m.group(3)));
            }
        }
        return out;
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
