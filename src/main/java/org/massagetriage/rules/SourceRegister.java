package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.massagetriage.facts.Citation;

/**
 * The register of clinical sources, {@code rules/sources.csv}: one row per source a rule may cite
 * (id, strength, full citation, URL, note). A rule's {@code @source} starts with the bracketed id of
 * what it encodes, {@code [article] When to Contact Your Therapist: '...'}, and may name further
 * ids before their own quotes; an id the register does not hold is refused, so every rule's
 * evidence can be looked up and graded.
 */
record SourceRegister(Map<String, Citation> sources) {

    static final String FILE = "sources.csv";
    static final List<String> COLUMNS = List.of("id", "strength", "title", "url", "note");
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** A bracketed id inside a {@code @source}; brackets around anything else are left alone. */
    private static final Pattern CITED = Pattern.compile("\\[([a-z0-9][a-z0-9-]*)\\]");

    SourceRegister {
        sources = Collections.unmodifiableMap(new LinkedHashMap<>(sources));
    }

    static SourceRegister parse(RuleSetSource source, List<Diagnostic> diagnostics) {
        Map<String, Citation> sources = new LinkedHashMap<>();
        String display = source.displayPath(FILE);
        String content = source.files().get(FILE);
        if (content == null) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, null,
                    "the source register is missing: every rule's @source names a source registered there"));
            return new SourceRegister(sources);
        }
        String[] lines = content.split("\r?\n", -1);
        boolean headerSeen = false;
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i];
            int line = i + 1;
            if (text.isBlank() || text.stripLeading().startsWith("#")) {
                continue;
            }
            List<String> cells = ScenarioTables.splitCsv(text).stream().map(String::strip).toList();
            if (!headerSeen) {
                if (!cells.equals(COLUMNS)) {
                    diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, line,
                            "the first line must name the columns " + String.join(",", COLUMNS)));
                    return new SourceRegister(sources);
                }
                headerSeen = true;
                continue;
            }
            if (cells.size() != COLUMNS.size()) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, line,
                        "expected " + COLUMNS.size() + " cells (" + String.join(",", COLUMNS) + ") but found "
                                + cells.size() + "; put a cell that contains a comma in double quotes"));
                continue;
            }
            String id = cells.get(0);
            List<String> problems = new ArrayList<>();
            if (!ID.matcher(id).matches()) {
                problems.add("id '" + id + "' must be lower-case letters, digits and '-', such as nice-cks-sciatica");
            } else if (sources.containsKey(id)) {
                problems.add("id '" + id + "' is already registered at " + display + ":"
                        + source.lineOf(FILE, id + ","));
            }
            Citation.Strength strength = Vocabulary.enumOrNull(Citation.Strength.class, cells.get(1));
            if (strength == null) {
                problems.add("strength '" + cells.get(1) + "' is not one of " + Arrays.toString(Citation.Strength.values()));
            }
            if (cells.get(2).isEmpty()) {
                problems.add("the title (full citation) is empty");
            }
            String url = cells.get(3);
            if (!url.isEmpty() && !(url.startsWith("https://") || url.startsWith("http://"))) {
                problems.add("url '" + url + "' must start with https:// or http://, or be left empty");
            }
            if (!problems.isEmpty()) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, line, String.join("; ", problems)));
                continue;
            }
            sources.put(id, new Citation(id, cells.get(2), url.isEmpty() ? null : url, strength,
                    cells.get(4).isEmpty() ? null : cells.get(4)));
        }
        if (!headerSeen) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, display, null,
                    "the source register is empty; its first line names the columns " + String.join(",", COLUMNS)));
        }
        return new SourceRegister(sources);
    }

    /**
     * The sources a {@code @source} text cites, in order, adding one problem per defect: it must
     * start with a bracketed id, and every bracketed id must be registered.
     */
    List<Citation> citationsOf(String sourceText, List<String> problems) {
        List<Citation> cited = new ArrayList<>();
        if (!sourceText.startsWith("[") || !CITED.matcher(sourceText).lookingAt()) {
            problems.add("@source must start with the id of a registered source in brackets, such as"
                    + " @source(\"[article] When to Contact Your Therapist: '...'\"); the register is " + FILE);
        }
        Matcher m = CITED.matcher(sourceText);
        while (m.find()) {
            Citation c = sources.get(m.group(1));
            if (c == null) {
                problems.add("@source cites [" + m.group(1) + "], which is not in " + FILE + "; registered: "
                        + String.join(", ", sources.keySet()));
            } else if (!cited.contains(c)) {
                cited.add(c);
            }
        }
        return cited;
    }
}
