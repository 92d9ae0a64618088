package org.massagetriage.triage;

import java.util.Set;

import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Presentation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The facts of a decision as the audit record keeps them: the request's JSON shape, with every fact
 * that was not given left out, so that "not asked" survives in the record.
 */
final class RecordedFacts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedFacts() {
    }

    static String json(Presentation p) {
        ObjectNode facts = JSON.createObjectNode();
        for (Fact fact : Fact.values()) {
            switch (fact.kind()) {
                case WHOLE_NUMBER -> {
                    Object v = fact.get(p);
                    if (v != null) {
                        facts.put(fact.factName(), (Integer) v);
                    }
                }
                case ONE_OF -> {
                    Object v = fact.get(p);
                    if (v != null) {
                        facts.put(fact.factName(), ((Enum<?>) v).name());
                    }
                }
                case SET_OF -> {
                    Object v = fact.get(p);
                    if (v != null) {
                        ArrayNode values = facts.putArray(fact.factName());
                        ((Set<?>) v).forEach(e -> values.add(((Enum<?>) e).name()));
                    }
                }
                case FLAGS -> {
                    ObjectNode flags = JSON.createObjectNode();
                    for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                        Boolean v = flag.get(p);
                        if (v != null) {
                            flags.put(flag.flagName(), v);
                        }
                    }
                    if (!flags.isEmpty()) {
                        facts.set(fact.factName(), flags);
                    }
                }
            }
        }
        return facts.toString();
    }
}
