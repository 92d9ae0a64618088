package org.massagetriage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.massagetriage.security.TestTokens.asClient;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * Issue 17, section 2: an answer ready to show ({@code ?include=texts}) in the language the client
 * asks for. Only English ships; the mechanism is tested with a second vocabulary written here, each
 * English text marked "[de] " (not a translation: nothing here is shown to a patient).
 */
@QuarkusTest
@TestProfile(TextsAndLanguagesTests.Profile.class)
class TextsAndLanguagesTests {

    public static class Profile implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            DIR.write("vocabulary.de.properties", marked(DIR.read("vocabulary.en.properties")));
            return new HashMap<>(DIR.watchedQuickly());
        }
    }

    static String marked(String english) {
        return english.lines().map(l -> l.isBlank() || l.startsWith("#") ? l : l.replaceFirst("=", "=[de] "))
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /** key -> text of the fixture's English vocabulary. */
    static Map<String, String> english() {
        Map<String, String> out = new HashMap<>();
        Profile.DIR.read("vocabulary.en.properties").lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .forEach(l -> out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1).strip()));
        return out;
    }

    private static final String SEVERE = "{\"hoursSinceMassage\": 24, \"painCharacter\": \"DULL_ACHE\", \"painSeverity\": 7,"
            + " \"trend\": \"UNCHANGED\", \"symptoms\": [], \"bodyRegion\": \"LOWER_BACK\"}";

    private static Response triage(String query, String acceptLanguage) {
        var request = asClient().contentType(ContentType.JSON).body(SEVERE);
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        return request.post("/api/v1/triage" + query);
    }

    @Test
    void shouldAnswerExactlyAsV1WithoutTheParameter() {
        Response r = triage("", "de");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals(List.of("decisionId", "evaluatedAt", "outcome", "urgency", "advice", "reasons", "missingFacts", "ruleset"),
                List.copyOf(r.jsonPath().getMap("").keySet()));
        assertNull(r.header("Content-Language"));
    }

    @Test
    void shouldIncludeTheTextsInAdviceOrderInEnglishByDefault() {
        Response r = triage("?include=texts", null);
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("en", r.header("Content-Language"));
        JsonPath json = r.jsonPath();
        Map<String, String> en = english();
        assertEquals("CONTACT_THERAPIST", json.getString("outcome"));
        assertEquals(en.get("outcome.CONTACT_THERAPIST"), json.getString("outcomeText"));
        List<String> advice = json.getList("advice");
        assertEquals(List.of("CONTACT_THERAPIST_PROMPTLY", "KEEP_SORENESS_JOURNAL", "HYDRATE", "AVOID_STRENUOUS_ACTIVITY"),
                advice);
        assertEquals(advice, json.getList("adviceTexts.key"));
        assertEquals(advice.stream().map(a -> en.get("advice." + a)).toList(), json.getList("adviceTexts.text"));
    }

    @Test
    void shouldPickTheBestAvailableLanguageAndNameIt() {
        Map<String, String> en = english();
        for (String accept : List.of("de", "de-CH, en;q=0.5", "fr;q=0.9, de;q=0.8", "DE")) {
            Response r = triage("?include=texts", accept);
            assertEquals(200, r.statusCode(), accept + ": " + r.asString());
            assertEquals("de", r.header("Content-Language"), accept);
            assertEquals("[de] " + en.get("outcome.CONTACT_THERAPIST"), r.jsonPath().getString("outcomeText"), accept);
            assertEquals("[de] " + en.get("advice.HYDRATE"), r.jsonPath().getString("adviceTexts[2].text"), accept);
        }
        for (String accept : List.of("fr", "*", "en-GB", "de;q=0, fr")) {
            Response r = triage("?include=texts", accept);
            assertEquals("en", r.header("Content-Language"), accept);
            assertEquals(en.get("outcome.CONTACT_THERAPIST"), r.jsonPath().getString("outcomeText"), accept);
        }
    }

    @Test
    void shouldReplayAKeyedAnswerWithItsTextsAndLanguage() {
        String key = "texts-" + System.nanoTime();
        Response first = asClient().contentType(ContentType.JSON).header("Accept-Language", "de")
                .header("Idempotency-Key", key).body(SEVERE).post("/api/v1/triage?include=texts");
        assertEquals(200, first.statusCode(), first.asString());
        assertEquals("de", first.header("Content-Language"));
        assertEquals("de", first.jsonPath().getString("textsLanguage"));
        assertNull(first.header("Idempotent-Replayed"));
        Response again = asClient().contentType(ContentType.JSON).header("Accept-Language", "de")
                .header("Idempotency-Key", key).body(SEVERE).post("/api/v1/triage?include=texts");
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals("true", again.header("Idempotent-Replayed"));
        assertEquals("de", again.header("Content-Language"));
        assertEquals(first.asString(), again.asString());
    }

    @Test
    void shouldNameABadIncludeOrLanguageHeader() {
        Response include = triage("?include=text", null);
        assertEquals(400, include.statusCode());
        assertEquals(List.of("include"), include.jsonPath().getList("errors.field"));
        Response language = triage("?include=texts", "en;q=x");
        assertEquals(400, language.statusCode());
        assertEquals(List.of("Accept-Language"), language.jsonPath().getList("errors.field"));
    }

    @Test
    void shouldServeTheVocabularyInTheAskedLanguage() {
        Response r = asClient().header("Accept-Language", "de").get("/api/v1/vocabulary");
        assertEquals(200, r.statusCode());
        assertEquals("de", r.header("Content-Language"));
        assertEquals("de", r.jsonPath().getString("language"));
        assertEquals("[de] " + english().get("symptom.FAINTING"),
                r.jsonPath().getString("symptoms.find { it.symptom == 'FAINTING' }.question"));
        Response plain = asClient().get("/api/v1/vocabulary");
        assertEquals("en", plain.header("Content-Language"));
        assertEquals(english().get("symptom.FAINTING"),
                plain.jsonPath().getString("symptoms.find { it.symptom == 'FAINTING' }.question"));
    }

    @Test
    void shouldRefuseAVocabularyThatMissesAText() {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(Profile.DIR.root())) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = Profile.DIR.root().relativize(p).toString();
                if (rel.endsWith(".drl") || rel.endsWith(".csv") || rel.endsWith(".properties")) {
                    files.put(rel, Files.readString(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.put("vocabulary.fr.properties", marked(files.get("vocabulary.en.properties")).lines()
                .filter(l -> !l.startsWith("advice.HYDRATE=")).collect(Collectors.joining("\n")));
        JsonPath v = asRulesAdmin().contentType(ContentType.JSON).body(Map.of("files", files)).post("/api/v1/rules/validate")
                .then().statusCode(200).extract().jsonPath();
        assertFalse(v.getBoolean("valid"));
        assertEquals(List.of("candidate/vocabulary.fr.properties"), v.getList("diagnostics.file"));
        assertEquals(List.of("no text for advice key HYDRATE (add advice.HYDRATE=...)"), v.getList("diagnostics.message"));
    }
}
