package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.massagetriage.facts.AdviceKey;

/**
 * Named advice lists for the scenario tables, from {@code rules/scenarios/advice-sets.properties}
 * ({@code SELF_CARE=HYDRATE|APPLY_GENTLE_HEAT|...}): a row writes {@code @SELF_CARE} in its advice
 * column instead of repeating the list. The lists are written here, not taken from the advice
 * rules, so that a row still pins the exact advice and an unintended edit of a rule still fails it.
 */
record AdviceSets(Map<String, List<AdviceKey>> sets) {

    static final String FILE = "scenarios/advice-sets.properties";
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    AdviceSets {
        sets = Collections.unmodifiableMap(new LinkedHashMap<>(sets));
    }

    /** The sets of a source (none when it has no such file), adding a diagnostic for every problem. */
    static AdviceSets parse(RuleSetSource source, List<Diagnostic> diagnostics) {
        String content = source.files().get(FILE);
        Map<String, List<AdviceKey>> sets = new LinkedHashMap<>();
        if (content == null) {
            return new AdviceSets(sets);
        }
        String display = source.displayPath(FILE);
        KeyValueLines lines = KeyValueLines.parse(content);
        for (int line : lines.malformedLines()) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, display, line,
                    "expected NAME=ADVICE_KEY|ADVICE_KEY..., such as SELF_CARE=HYDRATE|APPLY_GENTLE_HEAT"));
        }
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (KeyValueLines.Entry e : lines.entries()) {
            if (!NAME.matcher(e.key()).matches()) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, display, e.line(), "'" + e.key()
                        + "' is not an advice set name; use letters, digits, '_' and '-', such as SELF_CARE"));
                continue;
            }
            if (lineOf.putIfAbsent(e.key(), e.line()) != null) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, display, e.line(), "advice set '" + e.key()
                        + "' is already defined at " + display + ":" + lineOf.get(e.key())));
                continue;
            }
            List<AdviceKey> keys = new ArrayList<>();
            List<String> unknown = new ArrayList<>();
            for (String k : e.value().split("\\|")) {
                String key = k.strip();
                if (key.isEmpty()) {
                    continue;
                }
                AdviceKey a = Vocabulary.enumOrNull(AdviceKey.class, key);
                if (a == null) {
                    unknown.add(key);
                } else {
                    keys.add(a);
                }
            }
            if (!unknown.isEmpty()) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, display, e.line(), "advice set '" + e.key()
                        + "': " + unknown + " not advice keys the API knows"));
            } else if (keys.isEmpty()) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, display, e.line(), "advice set '" + e.key()
                        + "' is empty"));
            } else {
                sets.put(e.key(), List.copyOf(keys));
            }
        }
        return new AdviceSets(sets);
    }
}
