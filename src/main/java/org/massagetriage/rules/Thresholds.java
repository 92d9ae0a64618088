package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.massagetriage.facts.Threshold;

/**
 * The numbers clinicians tune, from {@code rules/thresholds.properties} ({@code severe-pain=7}):
 * each written once, read by every rule that needs it through a {@link Threshold} fact. A value
 * that is not a whole number, a repeated name or a malformed line is a diagnostic at its line; a
 * rule naming a threshold the file does not define is refused by {@link RuleLanguage}.
 */
record Thresholds(Map<String, Integer> values) {

    static final String FILE = "thresholds.properties";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?\\d{1,9}");

    Thresholds {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The thresholds of a source (none when it has no thresholds file), adding a diagnostic for every problem. */
    static Thresholds parse(RuleSetSource source, List<Diagnostic> diagnostics) {
        String content = source.files().get(FILE);
        Map<String, Integer> values = new LinkedHashMap<>();
        if (content == null) {
            return new Thresholds(values);
        }
        String display = source.displayPath(FILE);
        KeyValueLines lines = KeyValueLines.parse(content);
        for (int line : lines.malformedLines()) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, line,
                    "expected name=number, such as severe-pain=7"));
        }
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        for (KeyValueLines.Entry e : lines.entries()) {
            if (!NAME.matcher(e.key()).matches()) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, e.line(), "'" + e.key()
                        + "' is not a threshold name; use lower-case letters, digits and '-', such as severe-pain"));
            } else if (lineOf.containsKey(e.key())) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, e.line(), "threshold '" + e.key()
                        + "' is already set at " + display + ":" + lineOf.get(e.key()) + "; set each threshold once"));
            } else if (!WHOLE_NUMBER.matcher(e.value()).matches()) {
                lineOf.put(e.key(), e.line());
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, e.line(), "threshold '" + e.key()
                        + "': '" + e.value() + "' is not a whole number"));
            } else {
                lineOf.put(e.key(), e.line());
                values.put(e.key(), Integer.valueOf(e.value()));
            }
        }
        return new Thresholds(values);
    }

    /** The names a rule may use: every name the file sets, even one whose value was refused (that is reported once, here). */
    static Set<String> namesIn(RuleSetSource source) {
        String content = source.files().get(FILE);
        Set<String> names = new TreeSet<>();
        if (content != null) {
            KeyValueLines.parse(content).entries().forEach(e -> names.add(e.key()));
        }
        return names;
    }

    /** One fact per threshold, inserted into every decision. */
    List<Threshold> facts() {
        List<Threshold> out = new ArrayList<>();
        values.forEach((name, value) -> out.add(new Threshold(name, value)));
        return out;
    }
}
