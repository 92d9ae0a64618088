package org.massagetriage.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Questionnaire;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemAnswerOptionComponent;
import org.hl7.fhir.r4.model.Questionnaire.QuestionnaireItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Symptom;
import org.massagetriage.rules.Vocabulary;
import org.massagetriage.triage.VocabularyService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The check-in as a FHIR R4 Questionnaire over the real HTTP server and the repository's rules: the
 * served form parsed with HAPI and checked item by item against {@link Fact} and the vocabulary, the
 * CodeSystem against the form, and a QuestionnaireResponse per outcome against its JSON twin.
 */
@QuarkusTest
class FhirCheckInTests {

    static final FhirContext FHIR = FhirContext.forR4();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String FHIR_JSON = "application/fhir+json";
    static final String QUESTIONNAIRE = "/fhir/Questionnaire/post-massage-check-in";
    static final String CODE_SYSTEM = "/fhir/CodeSystem/post-massage-check-in";
    static final String SYSTEM = "urn:massage-triage:CodeSystem:post-massage-check-in";
    static final String CANONICAL = "urn:massage-triage:Questionnaire:post-massage-check-in";

    @Inject
    VocabularyService vocabulary;

    @Inject
    CheckInQuestionnaire checkIn;

    static Questionnaire servedQuestionnaire() {
        String body = asClient().accept(FHIR_JSON).get(QUESTIONNAIRE)
                .then().statusCode(200).contentType(FHIR_JSON).extract().asString();
        return FHIR.newJsonParser().parseResource(Questionnaire.class, body);
    }

    static CodeSystem servedCodeSystem() {
        String body = asClient().accept(FHIR_JSON).get(CODE_SYSTEM)
                .then().statusCode(200).contentType(FHIR_JSON).extract().asString();
        return FHIR.newJsonParser().parseResource(CodeSystem.class, body);
    }

    @Test
    void shouldServeOneItemPerRequestFactWithItsTypeOptionsAndRange() {
        Questionnaire q = servedQuestionnaire();
        Map<Symptom, String> questions = vocabulary.vocabulary().vocabulary().symptoms();

        assertEquals("Questionnaire/post-massage-check-in", q.getIdElement().toUnqualifiedVersionless().getValue());
        assertEquals(CANONICAL, q.getUrl());
        assertEquals("active", q.getStatus().toCode());
        assertTrue(q.getVersion().matches("sha256:[0-9a-f]{16}"), q.getVersion());
        assertEquals(Fact.NAMES, q.getItem().stream().map(QuestionnaireItemComponent::getLinkId).toList());
        for (Fact fact : Fact.values()) {
            QuestionnaireItemComponent item = q.getItem().get(fact.ordinal());
            assertEquals(fact.description(), item.getText(), fact.factName());
            assertFalse(item.getRequired(), fact.factName() + ": every fact is optional ('not asked')");
            switch (fact.kind()) {
                case WHOLE_NUMBER -> {
                    assertEquals("integer", item.getType().toCode());
                    assertEquals(List.of(CheckInQuestionnaire.MIN_VALUE, CheckInQuestionnaire.MAX_VALUE),
                            item.getExtension().stream().map(Extension::getUrl).toList());
                    assertEquals(fact.min(), ((IntegerType) item.getExtensionByUrl(CheckInQuestionnaire.MIN_VALUE).getValue()).getValue());
                    assertEquals(fact.max(), ((IntegerType) item.getExtensionByUrl(CheckInQuestionnaire.MAX_VALUE).getValue()).getValue());
                    assertEquals(List.of(), item.getAnswerOption());
                    assertFalse(item.getRepeats());
                }
                case ONE_OF -> {
                    assertEquals("choice", item.getType().toCode());
                    assertFalse(item.getRepeats());
                    assertEquals(fact.constants().stream().map(Enum::name).toList(), codes(item));
                    assertEquals(fact.constants().stream().map(Enum::name).toList(), displays(item));
                    assertTrue(item.getAnswerOption().stream().allMatch(o -> SYSTEM.equals(o.getValueCoding().getSystem())));
                }
                case SET_OF -> {
                    assertEquals("choice", item.getType().toCode());
                    assertTrue(item.getRepeats());
                    List<String> expectedCodes = new ArrayList<>(fact.constants().stream().map(Enum::name).toList());
                    expectedCodes.add("NONE_OF_THESE");
                    assertEquals(expectedCodes, codes(item));
                    List<String> expectedTexts = new ArrayList<>(fact.constants().stream().map(s -> questions.get((Symptom) s)).toList());
                    expectedTexts.add("None of these");
                    assertEquals(expectedTexts, displays(item));
                    assertTrue(item.getAnswerOption().stream().allMatch(o -> SYSTEM.equals(o.getValueCoding().getSystem())));
                    List<QuestionnaireItemAnswerOptionComponent> options = item.getAnswerOption();
                    for (int i = 0; i < options.size(); i++) {
                        boolean none = i == options.size() - 1;
                        assertEquals(none ? List.of(CheckInQuestionnaire.OPTION_EXCLUSIVE) : List.of(),
                                options.get(i).getExtension().stream().map(Extension::getUrl).toList());
                    }
                    assertTrue(((BooleanType) options.get(options.size() - 1)
                            .getExtensionByUrl(CheckInQuestionnaire.OPTION_EXCLUSIVE).getValue()).booleanValue());
                }
                case FLAGS -> {
                    assertEquals("group", item.getType().toCode());
                    assertEquals(Fact.HistoryFlag.names().stream().map(n -> "history." + n).toList(),
                            item.getItem().stream().map(QuestionnaireItemComponent::getLinkId).toList());
                    for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                        QuestionnaireItemComponent nested = item.getItem().get(flag.ordinal());
                        assertEquals("boolean", nested.getType().toCode());
                        assertEquals(flag.description(), nested.getText());
                        assertFalse(nested.getRequired());
                    }
                }
            }
        }
    }

    @Test
    void shouldUseTheSymptomQuestionsOfTheVocabularyEndpoint() {
        List<String> served = asClient().get("/api/v1/vocabulary").then().statusCode(200)
                .extract().jsonPath().getList("symptoms.question", String.class);
        List<String> displays = displays(servedQuestionnaire().getItem().get(Fact.SYMPTOMS.ordinal()));
        assertEquals(served, displays.subList(0, displays.size() - 1));
    }

    @Test
    void shouldServeACodeSystemWithExactlyTheCodesTheQuestionnaireUses() {
        Questionnaire q = servedQuestionnaire();
        CodeSystem cs = servedCodeSystem();
        List<String> used = new ArrayList<>();
        List<String> usedDisplays = new ArrayList<>();
        for (QuestionnaireItemComponent item : q.getItem()) {
            used.addAll(codes(item));
            usedDisplays.addAll(displays(item));
        }
        assertEquals(SYSTEM, cs.getUrl());
        assertEquals(q.getVersion(), cs.getVersion());
        assertEquals("complete", cs.getContent().toCode());
        assertTrue(cs.getCaseSensitive());
        assertEquals(used, cs.getConcept().stream().map(CodeSystem.ConceptDefinitionComponent::getCode).toList());
        assertEquals(usedDisplays, cs.getConcept().stream().map(CodeSystem.ConceptDefinitionComponent::getDisplay).toList());
        assertEquals(used.size(), cs.getCount());
    }

    @Test
    void shouldKeepTheVersionWhileNothingChangesAndChangeItWithAText() {
        String version = servedQuestionnaire().getVersion();
        assertEquals(version, servedQuestionnaire().getVersion());
        Vocabulary texts = vocabulary.vocabulary().vocabulary();
        assertEquals(version, checkIn.generate(texts).version());

        Map<Symptom, String> reworded = new EnumMap<>(texts.symptoms());
        reworded.put(Symptom.FAINTING, "Have you fainted (lost consciousness) since the massage?");
        String changed = checkIn.generate(new Vocabulary(texts.outcomes(), texts.advice(), reworded, texts.summaries())).version();
        assertTrue(changed.matches("sha256:[0-9a-f]{16}"), changed);
        assertNotEquals(version, changed);
    }

    @Test
    void shouldServeTheFormWithTheApisHeaders() {
        Response answer = asClient().accept(FHIR_JSON).get(CODE_SYSTEM);
        assertEquals(200, answer.statusCode());
        assertEquals("default-src 'none'; frame-ancestors 'none'", answer.header("Content-Security-Policy"));
        assertEquals("nosniff", answer.header("X-Content-Type-Options"));
        assertEquals("DENY", answer.header("X-Frame-Options"));
    }

    @Test
    void shouldAnswerPlainJsonToAnAcceptOfJson() {
        String body = asClient().accept(ContentType.JSON).get(QUESTIONNAIRE)
                .then().statusCode(200).contentType(ContentType.JSON).extract().asString();
        assertEquals(servedQuestionnaire().getVersion(), FHIR.newJsonParser().parseResource(Questionnaire.class, body).getVersion());
    }

    static Stream<Arguments> twins() {
        return Stream.of(
                Arguments.of("EMERGENCY", """
                        {"painCharacter": "SHARP", "symptoms": ["TINGLING", "FAINTING", "ANXIETY_OR_DISTRESS"],
                         "history": {"takesMedication": true}}"""),
                Arguments.of("URGENT_ASSESSMENT", """
                        {"painCharacter": "SHARP", "symptoms": ["SWELLING"]}"""),
                Arguments.of("CONTACT_THERAPIST", """
                        {"hoursSinceMassage": 80, "painCharacter": "STIFFNESS", "painSeverity": 4, "trend": "UNCHANGED",
                         "symptoms": [], "bodyRegion": "NECK"}"""),
                Arguments.of("SELF_CARE", """
                        {"hoursSinceMassage": 24, "painCharacter": "DULL_ACHE", "painSeverity": 3, "trend": "UNCHANGED",
                         "symptoms": [], "bodyRegion": "LOWER_BACK",
                         "history": {"chronicLowBackPain": false, "recentSurgery": false, "preExistingCondition": false,
                                     "takesMedication": false, "takesAnticoagulant": false}}"""),
                // facts missing: symptoms not asked (item left out), an empty history group kept as asked
                Arguments.of("CONTACT_THERAPIST", """
                        {"painSeverity": 5, "history": {}}"""));
    }

    /** The same facts by either route get the same decision and the same audit record of the facts. */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("twins")
    void shouldDecideAQuestionnaireResponseExactlyAsItsJsonTwin(String outcome, String json) throws Exception {
        Response viaJson = asClient().contentType(ContentType.JSON).body(json).post("/api/v1/triage");
        Response viaFhir = asClient().contentType(FHIR_JSON).body(encode(responseFor(json))).post("/api/v1/triage");

        assertEquals(200, viaJson.statusCode(), viaJson.asString());
        assertEquals(200, viaFhir.statusCode(), viaFhir.asString());
        assertEquals(viaJson.contentType(), viaFhir.contentType());
        ObjectNode jsonAnswer = (ObjectNode) JSON.readTree(viaJson.asString());
        ObjectNode fhirAnswer = (ObjectNode) JSON.readTree(viaFhir.asString());
        assertEquals(outcome, fhirAnswer.get("outcome").asText());
        String jsonId = jsonAnswer.remove("decisionId").asText();
        String fhirId = fhirAnswer.remove("decisionId").asText();
        jsonAnswer.remove("evaluatedAt");
        fhirAnswer.remove("evaluatedAt");
        assertEquals(jsonAnswer, fhirAnswer);

        JsonNode jsonRecord = JSON.readTree(asAuditor().get("/api/v1/decisions/" + jsonId).then().statusCode(200).extract().asString());
        JsonNode fhirRecord = JSON.readTree(asAuditor().get("/api/v1/decisions/" + fhirId).then().statusCode(200).extract().asString());
        assertEquals(JSON.readTree(json), fhirRecord.get("request"));
        assertEquals(jsonRecord.get("request"), fhirRecord.get("request"));
        assertEquals(jsonRecord.get("outcome"), fhirRecord.get("outcome"));
    }

    /**
     * A response the service cannot read as exactly one check-in is refused whole, naming each item by
     * its linkId, as the JSON reader names fields: never "not asked" for something that was answered.
     */
    @Nested
    class Refused {

        @Test
        void shouldRefuseAnUnknownLinkId() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("painScore").addAnswer().setValue(new IntegerType(3));
            assertRefused(r, "painScore", "unknown linkId here; the known ones are " + Fact.NAMES);
        }

        @Test
        void shouldRefuseAHistoryFlagOutsideItsGroup() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("history.takesAnticoagulant").addAnswer().setValue(new BooleanType(true));
            assertRefused(r, "history.takesAnticoagulant", "unknown linkId here; the known ones are " + Fact.NAMES);
        }

        @Test
        void shouldRefuseAnUnknownHistoryFlag() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("history").addItem().setLinkId("history.smokes").addAnswer().setValue(new BooleanType(true));
            assertRefused(r, "history.smokes", "unknown linkId here; the known ones are "
                    + Fact.HistoryFlag.names().stream().map(n -> "history." + n).toList());
        }

        @Test
        void shouldRefuseAWrongAnswerType() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("painSeverity").addAnswer().setValue(new StringType("7"));
            assertRefused(r, "painSeverity", "must be answered with valueInteger from 0 to 10, not valueString");
        }

        @Test
        void shouldRefuseAWrongAnswerTypeForAHistoryFlag() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("history").addItem().setLinkId("history.takesAnticoagulant").addAnswer()
                    .setValue(new Coding(SYSTEM, "SHARP", null));
            assertRefused(r, "history.takesAnticoagulant", "must be answered with valueBoolean, not valueCoding");
        }

        @Test
        void shouldRefuseACodeOutsideTheItemsOptions() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("painCharacter").addAnswer().setValue(new Coding(SYSTEM, "NECK", null));
            assertRefused(r, "painCharacter", "must be one of [DULL_ACHE, STIFFNESS, SHARP], not 'NECK'");
        }

        @Test
        void shouldRefuseACodeOfAnotherSystem() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("trend").addAnswer().setValue(new Coding("http://snomed.info/sct", "IMPROVING", null));
            assertRefused(r, "trend", "the coding's system must be " + SYSTEM + ", not 'http://snomed.info/sct'");
        }

        @Test
        void shouldRefuseANumberOutsideItsRange() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("painSeverity").addAnswer().setValue(new IntegerType(11));
            assertRefused(r, "painSeverity", "must be from 0 to 10");
        }

        @Test
        void shouldRefuseAResponseToAnotherQuestionnaire() {
            QuestionnaireResponse r = response().setQuestionnaire("urn:elsewhere:Questionnaire:intake");
            String version = servedQuestionnaire().getVersion();
            assertRefused(r, "questionnaire", "must be " + CANONICAL + " or " + CANONICAL + "|" + version
                    + " (the current version), not 'urn:elsewhere:Questionnaire:intake'");
        }

        @Test
        void shouldRefuseAResponseToAnOlderVersion() {
            QuestionnaireResponse r = response().setQuestionnaire(CANONICAL + "|sha256:0000000000000000");
            String version = servedQuestionnaire().getVersion();
            assertRefused(r, "questionnaire", "must be " + CANONICAL + " or " + CANONICAL + "|" + version
                    + " (the current version), not '" + CANONICAL + "|sha256:0000000000000000'");
        }

        @Test
        void shouldAcceptTheCurrentVersionNamed() {
            QuestionnaireResponse r = response().setQuestionnaire(CANONICAL + "|" + servedQuestionnaire().getVersion());
            asClient().contentType(FHIR_JSON).body(encode(r)).post("/api/v1/triage").then().statusCode(200);
        }

        @Test
        void shouldRefuseTwoAnswersToAQuestionThatTakesOne() {
            QuestionnaireResponse r = response();
            QuestionnaireResponseItemComponent item = r.addItem().setLinkId("painSeverity");
            item.addAnswer().setValue(new IntegerType(3));
            item.addAnswer().setValue(new IntegerType(4));
            assertRefused(r, "painSeverity", "has 2 answers; it takes one");
        }

        @Test
        void shouldRefuseTheSameItemTwice() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("trend").addAnswer().setValue(new Coding(SYSTEM, "IMPROVING", null));
            r.addItem().setLinkId("trend").addAnswer().setValue(new Coding(SYSTEM, "WORSENING", null));
            assertRefused(r, "trend", "is answered more than once; send one item per linkId");
        }

        @Test
        void shouldRefuseTwoAnswersToAHistoryFlag() {
            QuestionnaireResponse r = response();
            QuestionnaireResponseItemComponent flag = r.addItem().setLinkId("history").addItem()
                    .setLinkId("history.takesAnticoagulant");
            flag.addAnswer().setValue(new BooleanType(true));
            flag.addAnswer().setValue(new BooleanType(false));
            assertRefused(r, "history.takesAnticoagulant", "has 2 answers; it takes one");
        }

        @Test
        void shouldRefuseNoneOfTheseTogetherWithASymptom() {
            QuestionnaireResponse r = response();
            QuestionnaireResponseItemComponent item = r.addItem().setLinkId("symptoms");
            item.addAnswer().setValue(new Coding(SYSTEM, "NONE_OF_THESE", null));
            item.addAnswer().setValue(new Coding(SYSTEM, "FAINTING", null));
            assertRefused(r, "symptoms", "NONE_OF_THESE cannot be answered together with a symptom");
        }

        @Test
        void shouldRefuseASymptomAnsweredTwice() {
            QuestionnaireResponse r = response();
            QuestionnaireResponseItemComponent item = r.addItem().setLinkId("symptoms");
            item.addAnswer().setValue(new Coding(SYSTEM, "FAINTING", null));
            item.addAnswer().setValue(new Coding(SYSTEM, "FAINTING", null));
            assertRefused(r, "symptoms", "FAINTING is answered more than once");
        }

        @Test
        void shouldNameEveryOffendingItemAtOnce() {
            QuestionnaireResponse r = response();
            r.addItem().setLinkId("painSeverity").addAnswer().setValue(new StringType("7"));
            r.addItem().setLinkId("bodyRegion").addAnswer().setValue(new Coding(SYSTEM, "SHARP", null));
            Response answer = asClient().contentType(FHIR_JSON).body(encode(r)).post("/api/v1/triage");
            assertEquals(400, answer.statusCode(), answer.asString());
            assertEquals(List.of("painSeverity", "bodyRegion"), answer.jsonPath().getList("errors.field"));
        }

        /** Leniently parsed, a misspelt {@code item} would be dropped and every answer in it become "not asked". */
        @Test
        void shouldRefuseAnElementFhirDoesNotDefine() {
            Response answer = asClient().contentType(FHIR_JSON).body("""
                    {"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "%s",
                     "itme": [{"linkId": "painSeverity", "answer": [{"valueInteger": 9}]}]}""".formatted(CANONICAL))
                    .post("/api/v1/triage");
            assertEquals(400, answer.statusCode(), answer.asString());
            assertEquals(List.of(Map.of("field", "$", "detail",
                    "not a FHIR R4 QuestionnaireResponse in JSON: Unknown element 'itme' found during parse")),
                    answer.jsonPath().getList("errors"));
        }

        @Test
        void shouldRefuseAValueOfTheWrongJsonType() {
            Response answer = asClient().contentType(FHIR_JSON).body("""
                    {"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "%s",
                     "item": [{"linkId": "painSeverity", "answer": [{"valueInteger": "9"}]},
                              {"linkId": "history", "item": [{"linkId": "history.recentSurgery",
                                                            "answer": [{"valueBoolean": "true"}]}]}]}""".formatted(CANONICAL))
                    .post("/api/v1/triage");
            assertEquals(400, answer.statusCode(), answer.asString());
            assertEquals(List.of(Map.of("field", "painSeverity", "detail", "valueInteger must be a JSON whole number, not string"),
                    Map.of("field", "history.recentSurgery", "detail", "valueBoolean must be true or false, not string")),
                    answer.jsonPath().getList("errors"));
        }

        /** HAPI alone would keep the second of two equal keys: one answer silently replacing another. */
        @Test
        void shouldRefuseADuplicateKey() {
            Response answer = asClient().contentType(FHIR_JSON).body("""
                    {"resourceType": "QuestionnaireResponse", "status": "completed", "questionnaire": "%s",
                     "item": [{"linkId": "painSeverity", "answer": [{"valueInteger": 9}]}],
                     "item": []}""".formatted(CANONICAL))
                    .post("/api/v1/triage");
            assertEquals(400, answer.statusCode(), answer.asString());
            assertEquals(List.of(Map.of("field", "$", "detail", "not valid JSON at line 3, column 8: a field appears more than once")),
                    answer.jsonPath().getList("errors"));
        }

        @Test
        void shouldRefuseAnotherResourceType() {
            Response answer = asClient().contentType(FHIR_JSON).body("{\"resourceType\": \"Patient\"}").post("/api/v1/triage");
            assertEquals(400, answer.statusCode(), answer.asString());
            assertEquals(List.of("$"), answer.jsonPath().getList("errors.field"));
        }

        private void assertRefused(QuestionnaireResponse r, String field, String detail) {
            Response answer = asClient().contentType(FHIR_JSON).body(encode(r)).post("/api/v1/triage");
            assertEquals(400, answer.statusCode(), answer.asString());
            assertEquals("application/problem+json", answer.contentType());
            assertEquals(List.of(Map.of("field", field, "detail", detail)), answer.jsonPath().getList("errors"));
        }
    }

    static QuestionnaireResponse response() {
        return new QuestionnaireResponse().setQuestionnaire(CANONICAL).setStatus(QuestionnaireResponseStatus.COMPLETED);
    }

    /** The QuestionnaireResponse a booking system would send for this JSON request, built with HAPI. */
    static QuestionnaireResponse responseFor(String json) throws Exception {
        JsonNode request = JSON.readTree(json);
        QuestionnaireResponse r = response();
        Iterator<Map.Entry<String, JsonNode>> fields = request.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            QuestionnaireResponseItemComponent item = r.addItem().setLinkId(field.getKey());
            JsonNode value = field.getValue();
            if (value.isInt()) {
                item.addAnswer().setValue(new IntegerType(value.intValue()));
            } else if (value.isTextual()) {
                item.addAnswer().setValue(new Coding(SYSTEM, value.textValue(), null));
            } else if (value.isArray()) {
                if (value.isEmpty()) {
                    item.addAnswer().setValue(new Coding(SYSTEM, "NONE_OF_THESE", null));
                }
                value.forEach(v -> item.addAnswer().setValue(new Coding(SYSTEM, v.textValue(), null)));
            } else {
                value.fields().forEachRemaining(flag -> item.addItem().setLinkId(field.getKey() + "." + flag.getKey())
                        .addAnswer().setValue(new BooleanType(flag.getValue().booleanValue())));
            }
        }
        return r;
    }

    static byte[] encode(QuestionnaireResponse r) {
        return FHIR.newJsonParser().encodeResourceToString(r).getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> codes(QuestionnaireItemComponent item) {
        return item.getAnswerOption().stream().map(o -> o.getValueCoding().getCode()).toList();
    }

    private static List<String> displays(QuestionnaireItemComponent item) {
        return item.getAnswerOption().stream().map(o -> o.getValueCoding().getDisplay()).toList();
    }
}
