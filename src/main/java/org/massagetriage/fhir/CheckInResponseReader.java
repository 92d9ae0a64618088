package org.massagetriage.fhir;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemAnswerComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Type;
import org.massagetriage.facts.Fact;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A QuestionnaireResponse to the check-in, turned into the equivalent JSON triage request. The JSON
 * is then read by the same strict reader as a JSON request, so ranges, the facts the rules get and the
 * audit record are those of the JSON twin by construction. This class checks what only the FHIR shape
 * can get wrong (the questionnaire named, linkIds, answer types, codes, repeats, "none" with a symptom)
 * and names the item's linkId in every error.
 */
@ApplicationScoped
public class CheckInResponseReader {

    /** As the JSON reader: one hostile response cannot produce an unbounded error body. */
    static final int MAX_ERRORS = 20;
    /**
     * HAPI's parser keeps the last of two equal keys and reads {@code "valueInteger": "7"} as 7; the JSON
     * contract refuses both, so the body is first read as plain JSON with the same strictness.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(10_000).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final FhirFormat format;
    private final CheckInQuestionnaire questionnaire;

    public CheckInResponseReader(FhirFormat format, CheckInQuestionnaire questionnaire) {
        this.format = format;
        this.questionnaire = questionnaire;
    }

    /** The JSON request body ({@code application/json}) a booking system would have sent instead. */
    public byte[] toTriageRequest(byte[] body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        checkJson(body, errors);
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        QuestionnaireResponse response = format.parse(QuestionnaireResponse.class, body);
        checkHeader(response, errors);
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        Map<String, QuestionnaireResponseItemComponent> items = unique(response.getItem(), "", errors);
        for (String linkId : items.keySet()) {
            if (Fact.named(linkId) == null) {
                errors.add(unknown(linkId, Fact.NAMES));
            }
        }
        for (Fact fact : Fact.values()) {
            QuestionnaireResponseItemComponent item = items.get(fact.factName());
            if (item != null) {
                answer(fact, item, request, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
        }
        return request.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The response must answer this questionnaire: a booking system that renders another form (or an
     * older version of this one, whose texts the patient read) must not be decided on as if it were this.
     */
    private void checkHeader(QuestionnaireResponse response, List<Problem.FieldError> errors) {
        String named = response.getQuestionnaire();
        String version = questionnaire.current().version();
        if (named == null || !(named.equals(CheckInQuestionnaire.QUESTIONNAIRE_URL)
                || named.equals(CheckInQuestionnaire.QUESTIONNAIRE_URL + "|" + version))) {
            errors.add(new Problem.FieldError("questionnaire", "must be " + CheckInQuestionnaire.QUESTIONNAIRE_URL
                    + " or " + CheckInQuestionnaire.QUESTIONNAIRE_URL + "|" + version + " (the current version), not "
                    + (named == null ? "missing" : "'" + named + "'")));
        }
        QuestionnaireResponseStatus status = response.getStatus();
        if (status != QuestionnaireResponseStatus.COMPLETED && status != QuestionnaireResponseStatus.AMENDED) {
            errors.add(new Problem.FieldError("status", "must be completed or amended, not "
                    + (status == null ? "missing" : status.toCode())));
        }
        if (response.hasModifierExtension()) {
            errors.add(new Problem.FieldError("modifierExtension", "this service understands no modifier extension"));
        }
    }

    private static void checkJson(byte[] body, List<Problem.FieldError> errors) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonParseException e) {
            errors.add(new Problem.FieldError("$", "not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + (e.getOriginalMessage().startsWith("Duplicate field")
                    ? ": a field appears more than once" : "")));
            return;
        } catch (java.io.IOException e) {
            errors.add(new Problem.FieldError("$", "not valid JSON"));
            return;
        }
        if (root == null || !root.isObject()) {
            errors.add(new Problem.FieldError("$", "the request body must be a FHIR QuestionnaireResponse (a JSON object)"));
            return;
        }
        checkAnswerTypes(root.get("item"), errors);
    }

    /** Answers' numbers and booleans must be JSON numbers and booleans, as in the JSON contract: no "7" for 7. */
    private static void checkAnswerTypes(JsonNode items, List<Problem.FieldError> errors) {
        if (items == null || !items.isArray()) {
            return;
        }
        for (JsonNode item : items) {
            String linkId = item.path("linkId").asText("item");
            for (JsonNode answer : item.path("answer")) {
                JsonNode number = answer.get("valueInteger");
                JsonNode yesNo = answer.get("valueBoolean");
                if (number != null && !number.isIntegralNumber()) {
                    errors.add(new Problem.FieldError(linkId, "valueInteger must be a JSON whole number, not "
                            + number.getNodeType().name().toLowerCase()));
                }
                if (yesNo != null && !yesNo.isBoolean()) {
                    errors.add(new Problem.FieldError(linkId, "valueBoolean must be true or false, not "
                            + yesNo.getNodeType().name().toLowerCase()));
                }
                checkAnswerTypes(answer.get("item"), errors);
            }
            checkAnswerTypes(item.get("item"), errors);
        }
    }

    private void answer(Fact fact, QuestionnaireResponseItemComponent item, ObjectNode request,
                        List<Problem.FieldError> errors) {
        String linkId = fact.factName();
        if (fact.kind() == Fact.Kind.FLAGS) {
            history(fact, item, request, errors);
            return;
        }
        if (!structureOk(item, linkId, errors)) {
            return;
        }
        List<QuestionnaireResponseItemAnswerComponent> answers = item.getAnswer();
        if (answers.isEmpty()) {
            return;
        }
        if (fact.kind() != Fact.Kind.SET_OF && answers.size() > 1) {
            errors.add(new Problem.FieldError(linkId, "has " + answers.size() + " answers; it takes one"));
            return;
        }
        switch (fact.kind()) {
            case WHOLE_NUMBER -> {
                Type value = answers.get(0).getValue();
                if (value instanceof IntegerType number && number.getValue() != null) {
                    request.put(linkId, number.getValue());
                } else {
                    errors.add(new Problem.FieldError(linkId, "must be answered with valueInteger from " + fact.min()
                            + " to " + fact.max() + ", not " + typeOf(value)));
                }
            }
            case ONE_OF -> {
                String code = code(fact, answers.get(0).getValue(), linkId, errors);
                if (code != null) {
                    request.put(linkId, code);
                }
            }
            case SET_OF -> symptoms(fact, answers, request, errors);
            default -> throw new IllegalStateException("unhandled kind " + fact.kind());
        }
    }

    /** "None of these" is the answer {@code []}; with a symptom beside it the response contradicts itself. */
    private static void symptoms(Fact fact, List<QuestionnaireResponseItemAnswerComponent> answers, ObjectNode request,
                                 List<Problem.FieldError> errors) {
        String linkId = fact.factName();
        List<String> codes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean valid = true;
        for (QuestionnaireResponseItemAnswerComponent answer : answers) {
            String code = code(fact, answer.getValue(), linkId, errors);
            if (code == null) {
                valid = false;
            } else if (!seen.add(code)) {
                errors.add(new Problem.FieldError(linkId, code + " is answered more than once"));
                valid = false;
            } else {
                codes.add(code);
            }
        }
        if (!valid) {
            return;
        }
        if (codes.contains(CheckInQuestionnaire.NONE_OF_THESE)) {
            if (codes.size() > 1) {
                errors.add(new Problem.FieldError(linkId, CheckInQuestionnaire.NONE_OF_THESE
                        + " cannot be answered together with a symptom"));
                return;
            }
            codes.clear();
        }
        ArrayNode array = request.putArray(linkId);
        codes.forEach(array::add);
    }

    /** A Coding of this questionnaire's code system that is one of the item's options; null (and an error) otherwise. */
    private static String code(Fact fact, Type value, String linkId, List<Problem.FieldError> errors) {
        List<String> options = new ArrayList<>(fact.constants().stream().map(Enum::name).toList());
        if (fact.kind() == Fact.Kind.SET_OF) {
            options.add(CheckInQuestionnaire.NONE_OF_THESE);
        }
        if (!(value instanceof Coding coding)) {
            errors.add(new Problem.FieldError(linkId, "must be answered with valueCoding of "
                    + CheckInQuestionnaire.CODE_SYSTEM_URL + ", not " + typeOf(value)));
            return null;
        }
        if (!CheckInQuestionnaire.CODE_SYSTEM_URL.equals(coding.getSystem())) {
            errors.add(new Problem.FieldError(linkId, "the coding's system must be " + CheckInQuestionnaire.CODE_SYSTEM_URL
                    + ", not " + (coding.getSystem() == null ? "missing" : "'" + coding.getSystem() + "'")));
            return null;
        }
        if (!options.contains(coding.getCode())) {
            errors.add(new Problem.FieldError(linkId, "must be one of " + options + ", not "
                    + (coding.getCode() == null ? "missing" : "'" + coding.getCode() + "'")));
            return null;
        }
        return coding.getCode();
    }

    private static void history(Fact fact, QuestionnaireResponseItemComponent group, ObjectNode request,
                                List<Problem.FieldError> errors) {
        String linkId = fact.factName();
        if (group.hasAnswer() || group.hasModifierExtension()) {
            errors.add(new Problem.FieldError(linkId, "is a group: answer its items, not the group"));
            return;
        }
        Map<String, Fact.HistoryFlag> flags = new LinkedHashMap<>();
        for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
            flags.put(CheckInQuestionnaire.historyLinkId(fact, flag), flag);
        }
        Map<String, QuestionnaireResponseItemComponent> items = unique(group.getItem(), linkId + ".", errors);
        for (String nested : items.keySet()) {
            if (!flags.containsKey(nested)) {
                errors.add(unknown(nested, List.copyOf(flags.keySet())));
            }
        }
        ObjectNode history = request.putObject(linkId);
        flags.forEach((nested, flag) -> {
            QuestionnaireResponseItemComponent item = items.get(nested);
            if (item == null || !structureOk(item, nested, errors) || !item.hasAnswer()) {
                return;
            }
            if (item.getAnswer().size() > 1) {
                errors.add(new Problem.FieldError(nested, "has " + item.getAnswer().size() + " answers; it takes one"));
                return;
            }
            Type value = item.getAnswer().get(0).getValue();
            if (value instanceof BooleanType yes && yes.getValue() != null) {
                history.put(flag.flagName(), yes.getValue());
            } else {
                errors.add(new Problem.FieldError(nested, "must be answered with valueBoolean, not " + typeOf(value)));
            }
        });
    }

    /** Items by linkId, each at most once: a second item with the same linkId is a second answer to a question that takes one. */
    private static Map<String, QuestionnaireResponseItemComponent> unique(List<QuestionnaireResponseItemComponent> items,
                                                                           String prefix, List<Problem.FieldError> errors) {
        Map<String, QuestionnaireResponseItemComponent> byLinkId = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String linkId = items.get(i).getLinkId();
            if (linkId == null || linkId.isEmpty()) {
                errors.add(new Problem.FieldError(prefix + "item[" + i + "]", "has no linkId"));
            } else if (byLinkId.putIfAbsent(linkId, items.get(i)) != null) {
                errors.add(new Problem.FieldError(linkId, "is answered more than once; send one item per linkId"));
            }
        }
        return byLinkId;
    }

    /** Questions here take answers, not nested items, and no modifier extension the service would ignore. */
    private static boolean structureOk(QuestionnaireResponseItemComponent item, String linkId, List<Problem.FieldError> errors) {
        boolean nested = item.hasItem() || item.getAnswer().stream().anyMatch(QuestionnaireResponseItemAnswerComponent::hasItem);
        boolean modified = item.hasModifierExtension()
                || item.getAnswer().stream().anyMatch(QuestionnaireResponseItemAnswerComponent::hasModifierExtension);
        if (nested) {
            errors.add(new Problem.FieldError(linkId, "is a question, not a group: it has no nested items"));
        }
        if (modified) {
            errors.add(new Problem.FieldError(linkId, "this service understands no modifier extension"));
        }
        return !nested && !modified;
    }

    private static Problem.FieldError unknown(String linkId, List<String> known) {
        return new Problem.FieldError(linkId, "unknown linkId here; the known ones are " + known);
    }

    private static String typeOf(Type value) {
        if (value == null) {
            return "no value";
        }
        String type = value.fhirType();
        return "value" + Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }
}
