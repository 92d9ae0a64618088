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
import org.massagetriage.facts.Symptom;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class VocabularyApiTests {

    @Test
    void shouldListEveryOutcomeAdviceKeyAndSymptomWithATextFromTheRuleSet() {
        asClient().when().get("/api/v1/vocabulary")
                .then().statusCode(200)
                .body("rulesetVersion", matchesPattern("sha256:[0-9a-f]{16}"))
                .body("outcomes.outcome", equalTo(List.of("SELF_CARE", "CONTACT_THERAPIST", "URGENT_ASSESSMENT", "EMERGENCY")))
                .body("outcomes.urgency", equalTo(List.of(0, 1, 2, 3)))
                .body("outcomes.meaning", everyItem(not(blankOrNullString())))
                // Clinical content 1.1: the emergency text names the action (UK wording, as the source clinic's)
                .body("outcomes[3].meaning", equalTo("Call 999 or go to A&E now. Do not drive yourself."))
                .body("advice.key", equalTo(Arrays.stream(AdviceKey.values()).map(Enum::name).toList()))
                .body("advice.text", everyItem(not(blankOrNullString())))
                .body("advice.find { it.key == 'HYDRATE' }.text", equalTo("Stay hydrated: drink water when you are thirsty."))
                // every symptom value with the question a booking system asks, saying what exactly counts
                .body("symptoms.symptom", equalTo(Arrays.stream(Symptom.values()).map(Enum::name).toList()))
                .body("symptoms.question", everyItem(not(blankOrNullString())))
                .body("symptoms.find { it.symptom == 'DIFFICULTY_PASSING_URINE_OR_INCONTINENCE' }.question",
                        equalTo("Is passing urine newly difficult, or have you leaked urine without meaning to?"
                                + " (Passing more urine after drinking more water does not count.)"));
    }
}
