package org.massagetriage.governance;

import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Presentation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the facts of a recorded decision (the validated request, as the audit trail keeps it) back
 * into a presentation, for evaluating a candidate rule set against real cases. A record this
 * release cannot read exactly (a value it no longer knows, a number out of range) is skipped, never
 * guessed: it is empty here.
 */
final class RecordedFacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedFacts() {
    }

    static Optional<Presentation> read(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (root == null || !root.isObject()) {
            return Optional.empty();
        }
        Presentation.Builder b = Presentation.builder();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Fact fact = Fact.named(field.getKey());
            JsonNode v = field.getValue();
            if (fact == null) {
                return Optional.empty();
            }
            switch (fact.kind()) {
                case WHOLE_NUMBER -> {
                    if (!v.isInt() || v.intValue() < fact.min() || v.intValue() > fact.max()) {
                        return Optional.empty();
                    }
                    fact.set(b, v.intValue());
                }
                case ONE_OF -> {
                    Object value = v.isTextual() ? fact.valueNamed(v.textValue()) : null;
                    if (value == null) {
                        return Optional.empty();
                    }
                    fact.set(b, value);
                }
                case SET_OF -> {
                    if (!v.isArray()) {
                        return Optional.empty();
                    }
                    Set<Object> values = new HashSet<>();
                    for (JsonNode item : v) {
                        Object value = item.isTextual() ? fact.valueNamed(item.textValue()) : null;
                        if (value == null) {
                            return Optional.empty();
                        }
                        values.add(value);
                    }
                    fact.set(b, values);
                }
                case FLAGS -> {
                    if (!v.isObject()) {
                        return Optional.empty();
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> flags = v.fields(); flags.hasNext(); ) {
                        Map.Entry<String, JsonNode> f = flags.next();
                        Fact.HistoryFlag flag = Fact.HistoryFlag.named(f.getKey());
                        if (flag == null || !f.getValue().isBoolean()) {
                            return Optional.empty();
                        }
                        flag.set(b, f.getValue().booleanValue());
                    }
                }
            }
        }
        return Optional.of(b.build());
    }
}
