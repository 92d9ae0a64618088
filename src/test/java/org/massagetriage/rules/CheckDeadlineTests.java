package org.massagetriage.rules;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A rule file that keeps to the rule language can still take long to check (here 15,000 rules, several
 * times the deadline to compile). Past the deadline it is rejected, the rules thread is free at once, and the
 * next good edit goes live.
 */
@QuarkusTest
@TestProfile(ShortDeadlineProfile.class)
class CheckDeadlineTests {

    private static final RulesDirectory DIR = ShortDeadlineProfile.DIR;

    @Test
    void shouldRejectACandidatePastTheDeadlineAndKeepReloading() throws Exception {
        String serving = asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().path("version");
        DIR.write("many.drl", ManyRulesFile.drl(15_000));
        long start = System.nanoTime();
        JsonPath reload = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("REJECTED", reload.getString("result"));
        assertEquals(serving, reload.getString("activeVersion"));
        assertEquals(List.of(Map.of("kind", "STRUCTURE", "file", DIR.root().toString(),
                "message", "checking these rules (compiling, scenario rows and safety checks) took longer than 5000 ms"
                        + " (triage.rules.check-timeout), so they are rejected; the default rules take about a second to check")),
                reload.getList("diagnostics").stream().map(d -> withoutNulls((Map<?, ?>) d)).toList());
        assertTrue(millis < 8_000, "the reload answered after " + millis + " ms");

        // The service answers meanwhile; the abandoned check ends in the background (readiness counts it).
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        await().atMost(Duration.ofSeconds(120)).until(() -> abandonedChecksRunning() == 0);
        DIR.delete("many.drl");
        DIR.write("emergency.drl", DIR.read("emergency.drl") + "// reviewed after the slow candidate\n");
        // On a machine busy with other work a check can itself take longer than this test's short
        // deadline; what matters is that reloading goes on, so the edit is retried until it is live.
        JsonPath[] last = new JsonPath[1];
        // A retry waits for a check abandoned at the deadline to end first: retried at once, each would be
        // refused while two abandoned checks still run, and never get its own chance.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (abandonedChecksRunning() > 0) {
                return false;
            }
            last[0] = asRulesAdmin().post("/api/v1/rules/reload").then().statusCode(200).extract().jsonPath();
            return !"REJECTED".equals(last[0].getString("result"));
        });
        JsonPath next = last[0];
        assertEquals("ACCEPTED", next.getString("result"), next.prettify());
        assertEquals(next.getString("version"), asClient().contentType(ContentType.JSON).body(HotReloadTests.SIXTY_HOURS_UNCHANGED)
                .post("/api/v1/triage").then().statusCode(200).extract().path("ruleset.version"));
        System.out.printf("slow candidate: rejected after %d ms; next reload %d ms%n", millis, next.getLong("durationMillis"));
    }

    private static int abandonedChecksRunning() {
        return given().get("/q/health/ready").then().extract()
                .<Integer>path("checks.find { it.name == 'rules' }.data.abandonedChecksRunning");
    }

    private static Map<Object, Object> withoutNulls(Map<?, ?> m) {
        Map<Object, Object> out = new java.util.HashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
