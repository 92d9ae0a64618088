package org.massagetriage.governance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;

/**
 * What changed between two versions of a clinicians' rule set: per file a unified diff, and per rule
 * (matched by {@code @id}) whether it was added, removed or changed, and in which parts.
 *
 * <p>Rules are read with the compiler's own parser ({@link DrlParser} at its default language level), as
 * the rules package checks them. A rule's parts are what a clinician reads of it ({@link RuleText}), so an
 * edit that only re-indents a condition or reorders attributes changes the file, not the rule.
 *
 * <p>A {@code .drl} file that does not parse contributes no rules; its file diff is listed as usual. The
 * rules that the other version has in that file are then reported neither added nor removed: the parser
 * cannot say whether they are still there, and the file diff shows what happened to them. A rule found
 * in both versions is compared as usual, also when it left (or entered) the broken file.
 *
 * <p>Rules are keyed by {@code @id}, or by name when they have none. Should one version hold a key twice
 * (a rule set the service would refuse), the first in path order, then file order, is compared.
 */
public final class RuleSetDiff {

    /** Lines of context around each change, as {@code diff -u} and {@code git diff} give by default. */
    private static final int CONTEXT = 3;

    /**
     * Appended to a last line that has no line break: a change of only the final line break then still
     * shows, and is printed the way diff and git print it.
     */
    private static final String NO_NEWLINE = "\n\\ No newline at end of file";

    private static final Pattern HUNK = Pattern.compile("@@ -(\\d+),(\\d+) \\+(\\d+),(\\d+) @@");

    private RuleSetDiff() {
    }

    /**
     * The differences from {@code before} to {@code after}.
     *
     * @param before files of the earlier version: path relative to the rules directory ("self-care.drl",
     *               "scenarios/self-care.csv", "sources.csv", ...) to content
     * @param after  files of the later version, keyed the same way
     */
    public static Result between(Map<String, String> before, Map<String, String> after) {
        Map<String, Parsed> parsedBefore = parseAll(before, Map.of());
        // An unchanged file parses the same: reuse what was read of it.
        Map<String, Parsed> reuse = new HashMap<>();
        parsedBefore.forEach((path, parsed) -> {
            if (before.get(path).equals(after.get(path))) {
                reuse.put(path, parsed);
            }
        });
        Map<String, Parsed> parsedAfter = parseAll(after, reuse);
        // A threshold is part of what a rule does: 72 -> 48 hours changes every rule that reads it.
        return new Result(files(before, after), rules(withThresholds(parsedBefore, thresholds(before)),
                withThresholds(parsedAfter, thresholds(after))));
    }

    private static final Pattern THRESHOLD_READ = Pattern.compile("Threshold\\(\\s*name\\s*==\\s*\"([^\"]+)\"");

    /** name -> value of {@code thresholds.properties} (as written; empty when absent). */
    private static Map<String, String> thresholds(Map<String, String> files) {
        Map<String, String> values = new HashMap<>();
        String text = files.get("thresholds.properties");
        if (text != null) {
            for (String line : text.split("\r?\n")) {
                String l = line.strip();
                int eq = l.indexOf('=');
                if (!l.isEmpty() && !l.startsWith("#") && !l.startsWith("!") && eq > 0) {
                    values.putIfAbsent(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
                }
            }
        }
        return values;
    }

    private static Map<String, Parsed> withThresholds(Map<String, Parsed> files, Map<String, String> values) {
        Map<String, Parsed> out = new TreeMap<>();
        files.forEach((path, parsed) -> out.put(path, !parsed.parses() ? parsed : new Parsed(parsed.rules().stream()
                .map(r -> r.withThresholds(readThresholds(r.condition(), values))).toList())));
        return out;
    }

    private static SortedMap<String, String> readThresholds(String condition, Map<String, String> values) {
        SortedMap<String, String> read = new TreeMap<>();
        if (condition != null) {
            Matcher m = THRESHOLD_READ.matcher(condition);
            while (m.find()) {
                read.put(m.group(1), values.get(m.group(1)));
            }
        }
        return read;
    }

    /** The outcome of a comparison: changed files, then changed rules. */
    public record Result(List<FileDiff> files, List<RuleChange> rules) {
        public Result {
            files = List.copyOf(files);
            rules = List.copyOf(rules);
        }
    }

    /**
     * One file that differs. {@code status} is ADDED, REMOVED or CHANGED; unchanged files are not listed,
     * and the list is sorted by path. {@code unifiedDiff} is in the usual form, as {@code git diff} prints
     * it: {@code "--- a/path\n+++ b/path\n@@ -l,n +l,n @@\n..."} with 3 lines of context and a line break
     * after every line. An ADDED or REMOVED file is diffed against an empty file, still as a/path and
     * b/path ({@code @@ -0,0 +1,n @@}).
     */
    public record FileDiff(String path, Status status, String unifiedDiff) {
    }

    /**
     * One rule that differs, by its {@code @id}. {@code changed} lists which parts differ, in this order:
     * "name", "file", "condition", "outcome", "advice", "missing", "source", "attributes", "thresholds"
     * (a value the rule reads changed in {@code thresholds.properties}); it is empty for
     * ADDED and REMOVED. {@code before} is null for ADDED, {@code after} for REMOVED. Sorted by id;
     * unchanged rules are not listed.
     */
    public record RuleChange(String id, Status change, List<String> changed, RuleText before, RuleText after) {
        public RuleChange {
            changed = List.copyOf(changed);
        }
    }

    /**
     * What a clinician reads of a rule.
     *
     * @param id         the {@code @id}, or null when the rule has none (it is then keyed by name)
     * @param name       the rule's name
     * @param file       the {@code .drl} file it is in, relative to the rules directory
     * @param condition  the text between {@code when} and {@code then}, comments included, with each line
     *                   stripped, blank lines dropped, joined with "\n"; empty for a rule without
     *                   {@code when}; null if the rule could not be found in its file's text
     * @param outcome    {@code @outcome}, or null
     * @param advice     {@code @advice}, split on commas and stripped; empty without one
     * @param missing    {@code @missing}, likewise
     * @param source     {@code @source}, or null
     * @param attributes the rule attributes, one per line in the order of their names, such as
     *                   {@code agenda-group "classify"\nsalience 20}; empty without any
     * @param thresholds the thresholds its condition reads, name -> value in that version's
     *                   {@code thresholds.properties} (null when not set there)
     */
    public record RuleText(String id, String name, String file, String condition, String outcome, List<String> advice,
                           List<String> missing, String source, String attributes, SortedMap<String, String> thresholds) {
        public RuleText {
            advice = List.copyOf(advice);
            missing = List.copyOf(missing);
            thresholds = Collections.unmodifiableSortedMap(new TreeMap<>(thresholds));
        }

        RuleText withThresholds(SortedMap<String, String> values) {
            return new RuleText(id, name, file, condition, outcome, advice, missing, source, attributes, values);
        }
    }

    /** How a file or rule differs. */
    public enum Status { ADDED, REMOVED, CHANGED }

    // ---- files ---------------------------------------------------------------------------------

    private static List<FileDiff> files(Map<String, String> before, Map<String, String> after) {
        Set<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        List<FileDiff> out = new ArrayList<>();
        for (String path : paths) {
            String a = before.get(path);
            String b = after.get(path);
            if (Objects.equals(a, b)) {
                continue;
            }
            Status status = a == null ? Status.ADDED : b == null ? Status.REMOVED : Status.CHANGED;
            out.add(new FileDiff(path, status, unifiedDiff(path, a == null ? "" : a, b == null ? "" : b)));
        }
        return out;
    }

    private static String unifiedDiff(String path, String a, String b) {
        List<String> original = lines(a);
        List<String> revised = lines(b);
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff("a/" + path, "b/" + path, original,
                DiffUtils.diff(original, revised), CONTEXT);
        StringBuilder out = new StringBuilder();
        if (diff.isEmpty()) {
            // Only an empty file added or removed: the library prints nothing, not even the header.
            out.append("--- a/").append(path).append('\n').append("+++ b/").append(path).append('\n');
        }
        for (String line : diff) {
            out.append(line.startsWith("@@") ? hunkHeader(line) : line).append('\n');
        }
        return out.toString();
    }

    /**
     * The hunk header as diff and git write it: the library writes an empty range as {@code -1,0} where
     * they write {@code -0,0}, and always writes the count, which they leave out when it is 1.
     */
    private static String hunkHeader(String line) {
        Matcher m = HUNK.matcher(line);
        if (!m.matches()) {
            return line;
        }
        return "@@ -" + range(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
                + " +" + range(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))) + " @@";
    }

    private static String range(int start, int count) {
        // With context, a hunk's range is empty only for an empty file: it starts before line 1.
        return count == 0 ? (start - 1) + ",0" : count == 1 ? String.valueOf(start) : start + "," + count;
    }

    /** The lines of a text, split at '\n' only, so that a change of line endings (\r\n) shows too. */
    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                lines.add(text.substring(from) + NO_NEWLINE);
                break;
            }
            lines.add(text.substring(from, nl));
            from = nl + 1;
        }
        return lines;
    }

    // ---- rules ---------------------------------------------------------------------------------

    /** What was read of one .drl file: its rules, or that it does not parse (rules null). */
    private record Parsed(List<RuleText> rules) {
        boolean parses() {
            return rules != null;
        }
    }

    private static Map<String, Parsed> parseAll(Map<String, String> files, Map<String, Parsed> reuse) {
        Map<String, Parsed> out = new TreeMap<>();
        files.forEach((path, text) -> {
            if (path.endsWith(".drl")) {
                out.put(path, reuse.containsKey(path) ? reuse.get(path) : new Parsed(parse(path, text)));
            }
        });
        return out;
    }

    /** The rules of one file in file order, or null when it does not parse. */
    private static List<RuleText> parse(String path, String text) {
        DrlParser parser = new DrlParser();
        PackageDescr pkg;
        try {
            pkg = parser.parse(false, text);
        } catch (DroolsParserException | RuntimeException e) {
            // The parser reads stored text that may be any old or broken version: a failure is a file
            // that does not parse, never a failed comparison.
            return null;
        }
        if (pkg == null || parser.hasErrors()) {
            return null;
        }
        List<RuleText> rules = new ArrayList<>();
        for (RuleDescr r : pkg.getRules()) {
            if (!r.isQuery()) {
                rules.add(read(path, text, r));
            }
        }
        return rules;
    }

    private static RuleText read(String path, String text, RuleDescr r) {
        Map<String, String> meta = new HashMap<>();
        for (String name : r.getAnnotationNames()) {
            meta.put(name, metaValue(r.getAnnotation(name)));
        }
        String attributes = new TreeMap<>(r.getAttributes()).values().stream()
                .map(RuleSetDiff::attribute).collect(Collectors.joining("\n"));
        return new RuleText(meta.get("id"), r.getName(), path, condition(text, r), meta.get("outcome"),
                list(meta.get("advice")), list(meta.get("missing")), meta.get("source"), attributes, new TreeMap<>());
    }

    /** A metadata value without the double quotes the parser keeps, as RuleMetadata.meta reads it. */
    private static String metaValue(AnnotationDescr a) {
        String s = a.getSingleValueAsString();
        if (s == null) {
            // No value, or named values (@a(x = "1")): the rule language refuses both; shown as the parser reads them.
            s = a.getValueMap().isEmpty() ? "" : a.getValueMap().toString();
        }
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static List<String> list(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String attribute(AttributeDescr a) {
        String value = a.getValue() == null ? "" : a.getValue().strip();
        if (a.getType() == AttributeDescr.Type.STRING) {
            value = "\"" + value + "\""; // the parser drops the quotes of agenda-group "classify"
        }
        return value.isEmpty() ? a.getName() : a.getName() + " " + value;
    }

    /**
     * The condition as written: the source between the rule's {@code when} and {@code then}. The
     * descriptors do not give it: the LHS offsets span the patterns only (without comments around them,
     * and start after end for an empty LHS), so the rule's own text is scanned for the two keywords.
     */
    private static String condition(String text, RuleDescr r) {
        int start = ruleStart(text, r);
        if (start < 0) {
            return null;
        }
        int[] whenThen = whenThen(text, start);
        if (whenThen == null) {
            return "";
        }
        return text.substring(whenThen[0], whenThen[1]).lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining("\n"));
    }

    /** Where the rule's {@code rule} keyword is, in chars; -1 if the descriptor does not point at it. */
    private static int ruleStart(String text, RuleDescr r) {
        int s = r.getStartCharacter();
        if (isWordAt(text, s, "rule")) {
            return s;
        }
        // The ANTLR4 parser (drools.drl.antlr4.parser.enabled) counts code points, not chars: each emoji
        // or other character outside the BMP before the rule moves its offset by one.
        if (s >= 0 && s <= text.codePointCount(0, text.length())) {
            int c = text.offsetByCodePoints(0, s);
            if (isWordAt(text, c, "rule")) {
                return c;
            }
        }
        return -1;
    }

    private static boolean isWordAt(String text, int at, String word) {
        return at >= 0 && text.startsWith(word, at)
                && (at + word.length() == text.length() || !Character.isJavaIdentifierPart(text.charAt(at + word.length())));
    }

    /**
     * The end of the {@code when} keyword and the start of the {@code then} keyword of the rule starting
     * at {@code start}; null for a rule without {@code when}. Only words outside strings, comments and
     * brackets count, and not the rule's name: "when" and "then" are common words in a name or a
     * {@code @source} quote, and an annotation's arguments are in brackets.
     */
    private static int[] whenThen(String text, int start) {
        int i = start + "rule".length();
        int depth = 0;
        boolean named = false;
        int whenEnd = -1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith("//", i)) {
                int nl = text.indexOf('\n', i);
                i = nl < 0 ? text.length() : nl + 1;
            } else if (text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                i = close < 0 ? text.length() : close + 2;
            } else if (c == '"' || c == '\'') {
                i = endOfString(text, i);
                named = true;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
                i++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
                i++;
            } else if (Character.isJavaIdentifierStart(c)) {
                int from = i;
                while (i < text.length() && Character.isJavaIdentifierPart(text.charAt(i))) {
                    i++;
                }
                String word = text.substring(from, i);
                boolean keyword = depth == 0 && named && (from == 0 || text.charAt(from - 1) != '@');
                named = true; // an unquoted name is the first word after "rule"
                if (!keyword) {
                    continue;
                }
                if (whenEnd < 0 && word.equals("when")) {
                    whenEnd = i;
                } else if (word.equals("then")) {
                    return whenEnd < 0 ? null : new int[] {whenEnd, from};
                } else if (word.equals("end")) {
                    return null;
                }
            } else {
                i++;
            }
        }
        return null;
    }

    /** The index after the string literal opening at {@code at}, which may escape its quote with '\'. */
    private static int endOfString(String text, int at) {
        char quote = text.charAt(at);
        int i = at + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(text.length(), i + 1);
    }

    private static List<RuleChange> rules(Map<String, Parsed> before, Map<String, Parsed> after) {
        Map<String, RuleText> a = byKey(before);
        Map<String, RuleText> b = byKey(after);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<RuleChange> out = new ArrayList<>();
        for (String key : keys) {
            RuleText x = a.get(key);
            RuleText y = b.get(key);
            if (x == null) {
                if (!unreadable(before, y.file())) {
                    out.add(new RuleChange(key, Status.ADDED, List.of(), null, y));
                }
            } else if (y == null) {
                if (!unreadable(after, x.file())) {
                    out.add(new RuleChange(key, Status.REMOVED, List.of(), x, null));
                }
            } else {
                List<String> changed = changedParts(x, y);
                if (!changed.isEmpty()) {
                    out.add(new RuleChange(key, Status.CHANGED, changed, x, y));
                }
            }
        }
        return out;
    }

    /** Whether the other version has {@code file}, where this one has a rule the other lacks, but it does not parse. */
    private static boolean unreadable(Map<String, Parsed> other, String file) {
        Parsed parsed = other.get(file);
        return parsed != null && !parsed.parses();
    }

    private static Map<String, RuleText> byKey(Map<String, Parsed> files) {
        Map<String, RuleText> out = new LinkedHashMap<>();
        for (Parsed parsed : files.values()) {
            if (parsed.parses()) {
                for (RuleText r : parsed.rules()) {
                    out.putIfAbsent(r.id() != null ? r.id() : r.name(), r);
                }
            }
        }
        return out;
    }

    private static List<String> changedParts(RuleText x, RuleText y) {
        List<String> changed = new ArrayList<>();
        compare(changed, "name", x.name(), y.name());
        compare(changed, "file", x.file(), y.file());
        compare(changed, "condition", x.condition(), y.condition());
        compare(changed, "outcome", x.outcome(), y.outcome());
        compare(changed, "advice", x.advice(), y.advice());
        compare(changed, "missing", x.missing(), y.missing());
        compare(changed, "source", x.source(), y.source());
        compare(changed, "attributes", x.attributes(), y.attributes());
        compare(changed, "thresholds", x.thresholds(), y.thresholds());
        return changed;
    }

    private static void compare(List<String> changed, String part, Object x, Object y) {
        if (!Objects.equals(x, y)) {
            changed.add(part);
        }
    }
}
