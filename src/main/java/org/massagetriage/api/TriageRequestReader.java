package org.massagetriage.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Presentation;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a triage request strictly into the rules' facts and reports every problem at once. Binding
 * straight to a record would stop at the first error and quietly coerce ({@code "7"} to 7, 7.9 to 7,
 * unknown fields ignored); here the JSON tree is checked field by field instead, so that a misspelt
 * field can never turn into "not asked" and then into an answer. The fields, their kinds and ranges
 * come from the one description of the facts, {@link Fact}.
 */
@ApplicationScoped
public class TriageRequestReader {

    /** Bounded so that one hostile request cannot produce an unbounded error body. */
    static final int MAX_ERRORS = 20;
    private static final Set<String> FIELDS = Set.copyOf(Fact.NAMES);
    private static final Set<String> HISTORY_FIELDS = Set.copyOf(Fact.HistoryFlag.names());

    /**
     * A request as read: the facts for the rules, and the facts as the audit record keeps them (the
     * request's fields in contract order, symptoms as sent, an empty {@code history} kept as asked).
     */
    public record Read(Presentation facts, String recordedFacts) {
    }

    public Read read(byte[] body) {
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
        Presentation.Builder facts = Presentation.builder();
        for (Fact fact : Fact.values()) {
            JsonNode node = root.get(fact.factName());
            switch (fact.kind()) {
                case WHOLE_NUMBER -> fact.set(facts, integer(node, fact, errors));
                case ONE_OF -> fact.set(facts, enumValue(node, fact.factName(), fact, errors));
                case SET_OF -> fact.set(facts, set(node, fact, errors));
                case FLAGS -> history(node, fact.factName(), facts, errors);
            }
        }
        if (!errors.list.isEmpty()) {
            throw new InvalidRequestException(errors.list);
        }
        return new Read(facts.build(), recorded(root));
    }

    /** The validated request in contract order: what was sent, with nothing added or dropped. */
    private static String recorded(JsonNode root) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Fact fact : Fact.values()) {
            JsonNode value = root.get(fact.factName());
            if (value == null) {
                continue;
            }
            if (fact.kind() == Fact.Kind.FLAGS) {
                ObjectNode flags = out.putObject(fact.factName());
                for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                    JsonNode v = value.get(flag.flagName());
                    if (v != null) {
                        flags.set(flag.flagName(), v);
                    }
                }
            } else {
                out.set(fact.factName(), value);
            }
        }
        return out.toString();
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

    private static Integer integer(JsonNode node, Fact fact, Errors errors) {
        String field = fact.factName();
        int max = fact.max();
        if (node == null || rejectNull(node, field, errors)) {
            return null;
        }
        if (!node.isNumber()) {
            errors.add(field, "must be a whole number from " + fact.min() + " to " + max + ", not " + describe(node));
            return null;
        }
        if (!node.isIntegralNumber()) {
            errors.add(field, "must be a whole number from " + fact.min() + " to " + max);
            return null;
        }
        if (!node.canConvertToInt() || node.intValue() < fact.min() || node.intValue() > max) {
            errors.add(field, "must be from " + fact.min() + " to " + max);
            return null;
        }
        return node.intValue();
    }

    private static Enum<?> enumValue(JsonNode node, String field, Fact fact, Errors errors) {
        if (node == null || rejectNull(node, field, errors)) {
            return null;
        }
        String expected = "must be one of " + fact.constants();
        if (!node.isTextual()) {
            errors.add(field, expected + ", not " + describe(node));
            return null;
        }
        Enum<?> value = fact.valueNamed(node.textValue());
        if (value == null) {
            errors.add(field, expected);
        }
        return value;
    }

    /** A set of distinct constants ([] for none); the only set today is symptoms. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Set<?> set(JsonNode node, Fact fact, Errors errors) {
        String field = fact.factName();
        if (node == null || rejectNull(node, field, errors)) {
            return null;
        }
        if (!node.isArray()) {
            errors.add(field, "must be an array of " + field + " ([] for none), not " + describe(node));
            return null;
        }
        Set seen = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String path = field + "[" + i + "]";
            Enum<?> value = enumValue(node.get(i), path, fact, errors);
            if (value != null && !seen.add(value)) {
                errors.add(path, value + " is listed more than once");
            }
            if (errors.full()) {
                break;
            }
        }
        return seen;
    }

    private static void history(JsonNode node, String field, Presentation.Builder facts, Errors errors) {
        if (node == null || rejectNull(node, field, errors)) {
            return;
        }
        if (!node.isObject()) {
            errors.add(field, "must be an object of booleans " + HISTORY_FIELDS.stream().sorted().toList()
                    + ", not " + describe(node));
            return;
        }
        rejectUnknownFields(node, HISTORY_FIELDS, field + ".", errors);
        for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
            flag.set(facts, bool(node.get(flag.flagName()), field + "." + flag.flagName(), errors));
        }
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
