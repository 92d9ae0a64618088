package org.massagetriage.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.empty;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** GET /api/v1/rules shows every rule with the registered sources it cites (clinical content 1.1). */
@QuarkusTest
class RulesApiTests {

    @Test
    void shouldListEveryRuleWithTheSourcesItCites() {
        asRulesAdmin().get("/api/v1/rules").then().statusCode(200)
                .body("rules.citations", everyItem(not(empty())))
                .body("rules.find { it.id == 'RF-07' }.citations.id", equalTo(List.of("nhs-back-pain", "nice-cks-sciatica")))
                .body("rules.find { it.id == 'RF-07' }.citations[1].title",
                        equalTo("NICE Clinical Knowledge Summaries, Sciatica (lumbar radiculopathy): red-flag symptoms and signs"))
                .body("rules.find { it.id == 'RF-07' }.citations[1].url",
                        equalTo("https://cks.nice.org.uk/topics/sciatica-lumbar-radiculopathy/diagnosis/red-flag-symptoms-signs/"))
                .body("rules.find { it.id == 'RF-07' }.citations[1].strength", equalTo("NATIONAL_GUIDANCE"))
                .body("rules.find { it.id == 'DEC-01' }.citations.id", equalTo(List.of("article")))
                .body("rules.find { it.id == 'MF-08' }.missingFacts", equalTo(List.of("history.takesAnticoagulant")));
    }
}
