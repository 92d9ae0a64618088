package org.massagetriage.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a triage request strictly and reports every problem at once. Binding straight to the record
 * would stop at the first error and quietly coerce ({@code "7"} to 7, 7.9 to 7, unknown fields
 * ignored); here the JSON tree is checked field by field instead, so that a misspelt field can
 * never turn into "not asked" and then into an answer.
 */
@ApplicationScoped
public class TriageRequestReader {

    /** Bounded so that one hostile request cannot produce an unbounded error body. */
    static final int MAX_ERRORS = 20;
    private static final Set<String> FIELDS = Set.of("hoursSinceMassage", "painCharacter", "painSeverity", "trend",
            "symptoms", "bodyRegion", "history");
    private static final Set<String> HISTORY_FIELDS = Set.of("chronicLowBackPain", "recentSurgery",
            "preExistingCondition", "takesMedication");

    public TriageRequest read(byte[] body) {
        Errors errors = new Errors();
        JsonNode root = StrictJson.TRIAGE.parse(body, errors::add);
        if (root == null) {
            throw new InvalidRequestException(errors.list);
        }
        if (!root.isObject()) {
            errors.add(StrictJson.BODY, "the request body must be a JSON object, not " + describe(root));
            throw new InvalidRequestException(errors.list);
        }
        rejectUnknownFields(root, FIELDS, "", errors);
        TriageRequest request = new TriageRequest(
                integer(root, "hoursSinceMassage", TriageRequest.MAX_HOURS_SINCE_MASSAGE, errors),
                enumValue(root.get("painCharacter"), "painCharacter", TriageRequest.PainCharacter.class, errors),
                integer(root, "painSeverity", TriageRequest.MAX_PAIN_SEVERITY, errors),
                enumValue(root.get("trend"), "trend", TriageRequest.Trend.class, errors),
                symptoms(root.get("symptoms"), errors),
                enumValue(root.get("bodyRegion"), "bodyRegion", TriageRequest.BodyRegion.class, errors),
                history(root.get("history"), errors));
        if (!errors.list.isEmpty()) {
            throw new InvalidRequestException(errors.list);
        }
        return request;
    }

    static void rejectUnknownFields(JsonNode object, Set<String> known, String prefix, Errors errors) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(prefix + name, "unknown field; the known fields are " + known.stream().sorted().toList());
            }
        }
    }

    private static Integer integer(JsonNode object, String field, int max, Errors errors) {
        JsonNode node = object.get(field);
        if (node == null || rejectNull(node, field, errors)) {
            return null;
        }
        if (!node.isNumber()) {
            errors.add(field, "must be a whole number from 0 to " + max + ", not " + describe(node));
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(field, "must be a whole number from 0 to " + max);
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < 0 || node.intValue() > max) {
            errors.add(field, "must be from 0 to " + max);
            return null;
        }
        return node.intValue();
    }

    private static <E extends Enum<E>> E enumValue(JsonNode node, String field, Class<E> type, Errors errors) {
        if (node == null || rejectNull(node, field, errors)) {
            return null;
        }
        String expected = "must be one of " + Arrays.toString(type.getEnumConstants());
        if (!node.isTextual()) {
            errors.add(field, expected + ", not " + describe(node));
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(node.textValue())) {
                return e;
            }
        }
        errors.add(field, expected);
        return null;
    }

    private static List<TriageRequest.Symptom> symptoms(JsonNode node, Errors errors) {
        if (node == null || rejectNull(node, "symptoms", errors)) {
            return null;
        }
        if (!node.isArray()) {
            errors.add("symptoms", "must be an array of symptoms ([] for none), not " + describe(node));
            return null;
        }
        Set<TriageRequest.Symptom> seen = EnumSet.noneOf(TriageRequest.Symptom.class);
        List<TriageRequest.Symptom> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "symptoms[" + i + "]";
            TriageRequest.Symptom s = enumValue(node.get(i), path, TriageRequest.Symptom.class, errors);
            if (s != null && !seen.add(s)) {
                errors.add(path, s + " is listed more than once");
            } else if (s != null) {
                out.add(s);
            }
            if (errors.full()) {
                break;
            }
        }
        return out;
    }

    private static TriageRequest.History history(JsonNode node, Errors errors) {
        if (node == null || rejectNull(node, "history", errors)) {
            return null;
        }
        if (!node.isObject()) {
            errors.add("history", "must be an object of booleans " + HISTORY_FIELDS.stream().sorted().toList()
                    + ", not " + describe(node));
            return null;
        }
        rejectUnknownFields(node, HISTORY_FIELDS, "history.", errors);
        Function<String, Boolean> flag = name -> bool(node.get(name), "history." + name, errors);
        return new TriageRequest.History(flag.apply("chronicLowBackPain"), flag.apply("recentSurgery"),
                flag.apply("preExistingCondition"), flag.apply("takesMedication"));
    }

    private static Boolean bool(JsonNode node, String field, Errors errors) {
        if (node == null || rejectNull(node, field, errors)) {
            return null;
        }
        if (!node.isBoolean()) {
            errors.add(field, "must be true or false, not " + describe(node));
            return null;
        }
        return node.booleanValue();
    }

    /** An explicit null is refused: the contract's way to say "not asked" is to omit the field. */
    private static boolean rejectNull(JsonNode node, String field, Errors errors) {
        if (node.isNull()) {
            errors.add(field, "must not be null; omit the field if it was not asked");
            return true;
        }
        return false;
    }

    static String describe(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    static final class Errors {
        private final List<Problem.FieldError> list = new ArrayList<>();

        void add(String field, String detail) {
            if (list.size() < MAX_ERRORS) {
                list.add(new Problem.FieldError(field, detail));
            }
        }

        boolean full() {
            return list.size() >= MAX_ERRORS;
        }

        List<Problem.FieldError> list() {
            return list;
        }
    }
}
