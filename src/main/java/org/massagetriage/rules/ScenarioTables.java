package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;

/**
 * Reads the scenario tables in {@code rules/scenarios/*.csv}: one row per case, so that a clinician
 * adds a row, not Java. Cells: empty means the field was not given; lists are separated by
 * {@code |}; {@code symptoms} and {@code history} take {@code none} for "asked, none of these"; a
 * history cell names the flags that are true (the others are false). In the advice column,
 * {@code @NAME} stands for the list of that name in {@link AdviceSets#FILE}, expanded in place.
 * Lines starting with {@code #} are comments. Every problem becomes a diagnostic with the table's
 * path and line.
 */
public final class ScenarioTables {

    /** The id, one column per fact of the request (from {@link Fact}), then the expected answer. */
    static final List<String> COLUMNS = columns();
    private static final String NONE = "none";

    private static List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("id"));
        columns.addAll(Fact.NAMES);
        columns.addAll(List.of("outcome", "advice", "rules", "missingFacts"));
        return List.copyOf(columns);
    }

    private ScenarioTables() {
    }

    public static List<Scenario> parse(RuleSetSource source, List<Diagnostic> diagnostics) {
        List<Scenario> scenarios = new ArrayList<>();
        Map<String, String> seenIds = new HashMap<>();
        AdviceSets adviceSets = AdviceSets.parse(source, diagnostics);
        String adviceSetsFile = source.displayPath(AdviceSets.FILE);
        for (String rel : source.scenarioFiles()) {
            String display = source.displayPath(rel);
            String[] lines = source.files().get(rel).split("\r?\n", -1);
            Map<String, Integer> header = null;
            for (int i = 0; i < lines.length; i++) {
                String text = lines[i];
                int lineNo = i + 1;
                if (text.isBlank() || text.stripLeading().startsWith("#")) {
                    continue;
                }
                List<String> cells = splitCsv(text);
                if (header == null) {
                    header = readHeader(cells, display, lineNo, diagnostics);
                    if (header == null) {
                        break;
                    }
                    continue;
                }
                Scenario s = readRow(header, cells, display, lineNo, diagnostics, adviceSets, adviceSetsFile);
                if (s == null) {
                    continue;
                }
                String earlier = seenIds.putIfAbsent(s.id(), display + ":" + lineNo);
                if (earlier != null) {
                    diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, display, lineNo,
                            "scenario id " + s.id() + " is already used at " + earlier));
                    continue;
                }
                scenarios.add(s);
            }
        }
        return scenarios;
    }

    private static Map<String, Integer> readHeader(List<String> cells, String file, int line, List<Diagnostic> diagnostics) {
        Map<String, Integer> header = new HashMap<>();
        for (int c = 0; c < cells.size(); c++) {
            String name = cells.get(c).strip();
            if (!COLUMNS.contains(name) && !name.equals("note")) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, file, line,
                        "unknown column '" + name + "'; the columns are " + COLUMNS + " and an optional note"));
                return null;
            }
            header.put(name, c);
        }
        List<String> absent = COLUMNS.stream().filter(c -> !header.containsKey(c)).toList();
        if (!absent.isEmpty()) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, file, line, "missing columns " + absent));
            return null;
        }
        return header;
    }

    private static Scenario readRow(Map<String, Integer> header, List<String> cells, String file, int line,
                                    List<Diagnostic> diagnostics, AdviceSets adviceSets, String adviceSetsFile) {
        if (cells.size() != header.size()) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, file, line,
                    "expected " + header.size() + " cells but found " + cells.size()));
            return null;
        }
        List<String> problems = new ArrayList<>();
        BiConsumer<String, String> problem = (column, msg) -> problems.add(column + ": " + msg);
        String id = cell(header, cells, "id");
        if (id.isEmpty()) {
            problem.accept("id", "every row needs an id");
        }
        Presentation.Builder p = Presentation.builder();
        for (Fact fact : Fact.values()) {
            String cell = cell(header, cells, fact.factName());
            if (cell.isEmpty()) {
                continue; // not asked
            }
            switch (fact.kind()) {
                case WHOLE_NUMBER -> fact.set(p, intOrNull(cell, fact.factName(), problem));
                case ONE_OF -> fact.set(p, constantOrNull(fact, cell, problem));
                case SET_OF -> {
                    Set<Object> set = new LinkedHashSet<>();
                    if (!cell.equals(NONE)) {
                        for (String v : list(cell)) {
                            Object value = constantOrNull(fact, v, problem);
                            if (value != null) {
                                set.add(value);
                            }
                        }
                    }
                    fact.set(p, set);
                }
                case FLAGS -> {
                    // The flags listed are true, the others false ("none": all false).
                    Set<String> flags = cell.equals(NONE) ? Set.of() : new LinkedHashSet<>(list(cell));
                    for (String f : flags) {
                        if (Fact.HistoryFlag.named(f) == null) {
                            problem.accept(fact.factName(), "unknown flag '" + f + "'; expected one of "
                                    + Fact.HistoryFlag.names() + " or none");
                        }
                    }
                    for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                        flag.set(p, flags.contains(flag.flagName()));
                    }
                }
            }
        }
        Outcome outcome = enumOrNull(Outcome.class, cell(header, cells, "outcome"), "outcome", problem);
        if (outcome == null && cell(header, cells, "outcome").isEmpty()) {
            problem.accept("outcome", "every row needs an expected outcome");
        }
        List<AdviceKey> advice = new ArrayList<>();
        for (String a : list(cell(header, cells, "advice"))) {
            if (a.startsWith("@")) {
                List<AdviceKey> set = adviceSets.sets().get(a.substring(1));
                if (set == null) {
                    problem.accept("advice", "unknown advice set '" + a + "'; " + adviceSetsFile + " defines "
                            + adviceSets.sets().keySet().stream().map(n -> "@" + n).toList());
                } else {
                    advice.addAll(set);
                }
                continue;
            }
            AdviceKey key = enumOrNull(AdviceKey.class, a, "advice", problem);
            if (key != null) {
                advice.add(key);
            }
        }
        Set<String> rules = new LinkedHashSet<>(list(cell(header, cells, "rules")));
        Set<String> missing = new LinkedHashSet<>(list(cell(header, cells, "missingFacts")));
        for (String m : missing) {
            if (!Fact.MISSING_NAMES.contains(m)) {
                problem.accept("missingFacts", "unknown field '" + m + "'; expected one of " + Fact.MISSING_NAMES);
            }
        }
        if (!problems.isEmpty()) {
            diagnostics.add(new Diagnostic(Diagnostic.Kind.SCENARIO, file, line, null, null, id.isEmpty() ? null : id,
                    String.join("; ", problems)));
            return null;
        }
        return new Scenario(id, file, line, p.build(), outcome, List.copyOf(advice), Set.copyOf(rules), Set.copyOf(missing));
    }

    private static String cell(Map<String, Integer> header, List<String> cells, String column) {
        return cells.get(header.get(column)).strip();
    }

    private static List<String> list(String cell) {
        if (cell.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(cell.split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Integer intOrNull(String cell, String column, BiConsumer<String, String> problem) {
        if (cell.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(cell);
        } catch (NumberFormatException e) {
            problem.accept(column, "'" + cell + "' is not a whole number");
            return null;
        }
    }

    private static Object constantOrNull(Fact fact, String cell, BiConsumer<String, String> problem) {
        Object value = fact.valueNamed(cell);
        if (value == null) {
            problem.accept(fact.factName(), "unknown value '" + cell + "'; expected one of " + fact.constants());
        }
        return value;
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String cell, String column,
                                                    BiConsumer<String, String> problem) {
        if (cell.isEmpty()) {
            return null;
        }
        E e = Vocabulary.enumOrNull(type, cell);
        if (e == null) {
            problem.accept(column, "unknown value '" + cell + "'; expected one of " + Arrays.toString(type.getEnumConstants()));
        }
        return e;
    }

    /** Splits one CSV line; double quotes allow commas in a cell (for notes), {@code ""} is a quote. */
    static List<String> splitCsv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                cells.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        cells.add(cur.toString());
        return cells;
    }
}
