package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.kie.api.definition.rule.Rule;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Citation;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.RuleConclusion;

/**
 * The structure the service relies on in every rule's metadata: a unique {@code @id}, a
 * {@code @source} citing registered sources, and only outcomes, advice keys and fact names the API knows.
 */
final class RuleMetadata {

    private RuleMetadata() {
    }

    static RuleConclusion check(Rule rule, String file, Integer line, Vocabulary vocabulary, SourceRegister register,
                                Map<String, String> idLocations, List<Diagnostic> diagnostics) {
        List<String> problems = new ArrayList<>();
        String id = meta(rule, "id");
        String source = meta(rule, "source");
        if (id == null || id.isBlank()) {
            problems.add("has no @id; every rule needs a unique id such as @id(\"CT-05\")");
        } else {
            String where = file + (line == null ? "" : ":" + line);
            String earlier = idLocations.putIfAbsent(id, where);
            if (earlier != null) {
                problems.add("@id(\"" + id + "\") is already used by the rule at " + earlier);
            }
        }
        List<Citation> citations = List.of();
        if (source == null || source.isBlank()) {
            problems.add("has no @source; cite the registered source and a short quote of the passage it encodes,"
                    + " such as @source(\"[article] When to Contact Your Therapist: '...'\")");
        } else {
            citations = register.citationsOf(source, problems);
        }
        Outcome outcome = null;
        String outcomeText = meta(rule, "outcome");
        if (outcomeText != null) {
            outcome = Vocabulary.enumOrNull(Outcome.class, outcomeText.strip());
            if (outcome == null) {
                problems.add("@outcome(\"" + outcomeText + "\") is not an outcome; expected one of "
                        + Arrays.toString(Outcome.values()));
            }
        }
        List<AdviceKey> advice = new ArrayList<>();
        for (String a : listMeta(rule, "advice")) {
            AdviceKey key = Vocabulary.enumOrNull(AdviceKey.class, a);
            if (key == null) {
                problems.add("@advice names '" + a + "', which is not an advice key the API knows");
            } else if (!vocabulary.advice().containsKey(key)) {
                problems.add("@advice names " + a + ", which has no text in " + RuleSetSource.VOCABULARY_FILE);
            } else {
                advice.add(key);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String m : listMeta(rule, "missing")) {
            if (Fact.MISSING_NAMES.contains(m)) {
                missing.add(m);
            } else {
                problems.add("@missing names '" + m + "', which is not a request field; expected one of "
                        + Fact.MISSING_NAMES);
            }
        }
        if (!problems.isEmpty()) {
            for (String p : problems) {
                diagnostics.add(new Diagnostic(Diagnostic.Kind.STRUCTURE, file, line, null, rule.getName(), null, p));
            }
            return null;
        }
        return new RuleConclusion(id, rule.getName(), source, citations, outcome, advice, missing);
    }

    /**
     * A metadata value as a string. Drools keeps the quotes of {@code @id("RF-01")} in some versions
     * and not in others; RuleMetadataTests pins what this one does.
     */
    static String meta(Rule rule, String key) {
        Object v = rule.getMetaData().get(key);
        if (v == null) {
            return null;
        }
        String s = v.toString();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static List<String> listMeta(Rule rule, String key) {
        String v = meta(rule, key);
        if (v == null || v.isBlank()) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
