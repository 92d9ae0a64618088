package org.massagetriage.api;

import static org.massagetriage.security.TestTokens.asClient;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.blankOrNullString;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.massagetriage.facts.AdviceKey;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class VocabularyApiTests {

    @Test
    void shouldListEveryOutcomeAndAdviceKeyWithATextFromTheRuleSet() {
        asClient().when().get("/api/v1/vocabulary")
                .then().statusCode(200)
                .body("rulesetVersion", matchesPattern("sha256:[0-9a-f]{16}"))
                .body("outcomes.outcome", equalTo(List.of("SELF_CARE", "CONTACT_THERAPIST", "URGENT_ASSESSMENT", "EMERGENCY")))
                .body("outcomes.urgency", equalTo(List.of(0, 1, 2, 3)))
                .body("outcomes.meaning", everyItem(not(blankOrNullString())))
                .body("outcomes[3].meaning", equalTo("Seek medical attention immediately."))
                .body("advice.key", equalTo(Arrays.stream(AdviceKey.values()).map(Enum::name).toList()))
                .body("advice.text", everyItem(not(blankOrNullString())))
                .body("advice.find { it.key == 'HYDRATE' }.text",
                        equalTo("Drink plenty of water: it helps flush out waste products released during the massage."));
    }
}
