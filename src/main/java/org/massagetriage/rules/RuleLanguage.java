package org.massagetriage.rules;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.AnnotationDescr;
import org.drools.drl.ast.descr.AttributeDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ExprConstraintDescr;
import org.drools.drl.ast.descr.GlobalDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.Decided;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Finding;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Threshold;
import org.massagetriage.facts.Trend;
import org.massagetriage.facts.Triage;

/**
 * What a clinician's rule file may contain, checked on the parsed file before anything is compiled
 * or run. DRL is compiled Java: a consequence, an {@code eval}, a {@code function}, a dynamic
 * salience or even a metadata value ({@code @source(...)} is evaluated as an MVEL expression by the
 * compiler) would run with the service's rights. So a rule is data here: conditions on the fact
 * types only, with their fields, literals, enum constants and comparison operators, and the one
 * consequence {@code triage.conclude(kcontext);}. Everything else is refused with file, line and
 * column, naming the construct.
 *
 * <p>The parser is the compiler's own ({@link DrlParser} at its default language level), so what is
 * checked here is what would be compiled. A file that does not parse is left to the compiler, which
 * reports the syntax error and builds nothing from that file.
 */
final class RuleLanguage {

    /** The only consequence a clinician's rule may have: what it concludes is in its metadata. */
    static final String CONSEQUENCE = "triage.conclude(kcontext);";

    /** Fact types a condition may match on. */
    private static final Map<String, Class<?>> FACT_TYPES = bySimpleName(Presentation.class, Decided.class, Finding.class,
            Threshold.class);

    /** Enums whose constants a condition may name. */
    private static final Map<String, Class<?>> ENUM_TYPES = bySimpleName(Outcome.class, PainCharacter.class,
            Trend.class, Symptom.class, BodyRegion.class);

    /** Imports a rule file may have: the fact types and the enums, nothing else. */
    private static final Set<String> IMPORTS;

    static {
        Set<String> imports = new TreeSet<>();
        FACT_TYPES.values().forEach(c -> imports.add(c.getName()));
        ENUM_TYPES.values().forEach(c -> imports.add(c.getName()));
        IMPORTS = Set.copyOf(imports);
    }

    /**
     * Rule attributes that only order or group rules, with a literal value; anything else (timers,
     * dynamic salience, enabled) is code. Not auto-focus either: the service runs the phases in order.
     */
    private static final Set<String> ATTRIBUTES = Set.of("salience", "agenda-group", "activation-group", "no-loop",
            "lock-on-active");

    /** How a Threshold pattern names its threshold: first, as a literal. */
    private static final Pattern THRESHOLD_NAME = Pattern.compile("\\s*name\\s*==\\s*\"([^\"]*)\"\\s*");

    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"\\\\\\r\\n]*\"");
    private static final Pattern BOOLEAN = Pattern.compile("true|false");
    private static final Pattern WORD_CHARS = Pattern.compile("[A-Za-z0-9 _.,;:'()\\-]*");

    /** Keywords a condition may use beside fields and constants. */
    private static final Set<String> KEYWORDS = Set.of("contains", "not", "in", "null", "true", "false");

    private RuleLanguage() {
    }

    /** One diagnostic per forbidden construct in the source's DRL files; empty when every file keeps to the language. */
    static List<Diagnostic> check(RuleSetSource source) {
        return check(source, Thresholds.namesIn(source));
    }

    /** As {@link #check(RuleSetSource)}, with the threshold names the source's thresholds file defines. */
    static List<Diagnostic> check(RuleSetSource source, Set<String> thresholdNames) {
        List<Diagnostic> out = new ArrayList<>();
        for (String rel : source.drlFiles()) {
            String text = source.files().get(rel);
            DrlParser parser = new DrlParser();
            PackageDescr pkg;
            try {
                pkg = parser.parse(false, text);
            } catch (DroolsParserException e) {
                continue; // the compiler reports the syntax error, and builds nothing from this file
            }
            if (pkg == null || parser.hasErrors()) {
                continue;
            }
            try {
                new FileCheck(source.displayPath(rel), text, out, thresholdNames, source.displayPath(Thresholds.FILE)).check(pkg);
            } catch (StopFile enough) {
                if (Thread.currentThread().isInterrupted()) {
                    break; // the check was abandoned at its deadline: stop spending CPU on it
                }
            }
        }
        return out;
    }

    /** At most this many diagnostics per file: enough to fix a file, bounded for a hostile one. */
    static final int MAX_DIAGNOSTICS_PER_FILE = 50;

    /** Stops checking a file once it has enough diagnostics, or when the check was abandoned. */
    private static final class StopFile extends RuntimeException {
        StopFile() {
            super(null, null, false, false);
        }
    }

    /** The checks for one file; collects diagnostics instead of stopping at the first. */
    private static final class FileCheck {
        private final String file;
        private final String text;
        private final String[] lines;
        /** Offset of each line's first character, for positions in O(log n). */
        private final int[] lineStarts;
        private final List<Diagnostic> out;
        private int found;
        private final Set<String> thresholdNames;
        private final String thresholdsFile;
        private String rule;

        FileCheck(String file, String text, List<Diagnostic> out, Set<String> thresholdNames, String thresholdsFile) {
            this.file = file;
            this.text = text;
            this.lines = text.split("\n", -1);
            this.lineStarts = new int[lines.length];
            for (int i = 1; i < lines.length; i++) {
                lineStarts[i] = lineStarts[i - 1] + lines[i - 1].length() + 1;
            }
            this.out = out;
            this.thresholdNames = thresholdNames;
            this.thresholdsFile = thresholdsFile;
        }

        void check(PackageDescr pkg) {
            if (!"triage".equals(pkg.getName())) {
                refuse(lineOf(pkg), null, "package '" + pkg.getName() + "': rule files declare \"package triage;\"");
            }
            for (ImportDescr i : pkg.getImports()) {
                if (!IMPORTS.contains(i.getTarget())) {
                    refuse(lineOf(i), null, "import " + i.getTarget() + ": a rule file may import only the fact types "
                            + FACT_TYPES.keySet() + " and the enums " + ENUM_TYPES.keySet() + " of org.massagetriage.facts");
                }
            }
            pkg.getFunctionImports().forEach(i -> refuse(lineOf(i), null, "'import function' is not allowed in a rule file"));
            pkg.getAccumulateImports().forEach(i -> refuse(lineOf(i), null, "'import accumulate' is not allowed in a rule file"));
            pkg.getFunctions().forEach(f -> refuse(lineOf(f), null,
                    "'function " + f.getName() + "' is not allowed: a rule file holds rules only, never code"));
            pkg.getTypeDeclarations().forEach(t -> refuse(lineOf(t), null, "'declare " + t.getTypeName() + "' is not allowed in a rule file"));
            pkg.getEnumDeclarations().forEach(t -> refuse(lineOf(t), null, "'declare enum " + t.getTypeName() + "' is not allowed in a rule file"));
            pkg.getEntryPointDeclarations().forEach(t -> refuse(lineOf(t), null, "'declare entry-point' is not allowed in a rule file"));
            pkg.getWindowDeclarations().forEach(t -> refuse(lineOf(t), null, "'declare window' is not allowed in a rule file"));
            pkg.getAttributes().forEach(a -> refuse(lineOf(a), null, "the package attribute '" + a.getName() + "' is not allowed in a rule file"));
            if (pkg.getUnit() != null) {
                refuse(lineOf(pkg.getUnit()), null, "'unit' is not allowed in a rule file");
            }
            for (GlobalDescr g : pkg.getGlobals()) {
                if (!RuleSet.TRIAGE_GLOBAL.equals(g.getIdentifier()) || !Triage.class.getName().equals(g.getType())) {
                    refuse(lineOf(g), null, "global " + g.getType() + " " + g.getIdentifier()
                            + ": the only global is 'global " + Triage.class.getName() + " triage;'");
                }
            }
            for (RuleDescr r : pkg.getRules()) {
                checkRule(r);
            }
        }

        private void checkRule(RuleDescr r) {
            if (Thread.currentThread().isInterrupted()) {
                throw new StopFile();
            }
            rule = r.getName();
            int ruleLine = Math.max(1, r.getLine());
            if (rule.chars().anyMatch(Character::isISOControl) || rule.indexOf('\u2028') >= 0 || rule.indexOf('\u2029') >= 0) {
                rule = rule.replaceAll("[\\p{Cntrl}\u2028\u2029]", "?");
                refuse(ruleLine, null, "a rule name is one line of text, without control characters");
            }
            if (r.isQuery()) {
                refuse(ruleLine, null, "'query' is not allowed in a rule file");
                return;
            }
            if (r.getParentName() != null) {
                refuse(ruleLine, null, "'extends' is not allowed: each rule states its own conditions");
            }
            for (String name : r.getAnnotationNames()) {
                AnnotationDescr a = r.getAnnotation(name);
                // The compiler evaluates an unquoted metadata value as an expression: only a plain
                // quoted string is data.
                if (a.getFullyQualifiedName() != null || a.getValueMap().size() != 1
                        || !QUOTED.matcher(String.valueOf(a.getSingleValueAsString()).strip()).matches()) {
                    refuse(lineAfter(ruleLine, "@" + name), null, "@" + name + " must have one value in double quotes,"
                            + " without backslashes or line breaks, such as @" + name + "(\"...\")");
                }
            }
            for (AttributeDescr a : r.getAttributes().values()) {
                String value = a.getValue() == null ? "" : a.getValue().strip();
                boolean literal = switch (a.getName()) {
                    case "salience" -> INTEGER.matcher(value).matches();
                    case "agenda-group", "activation-group" -> WORD_CHARS.matcher(value).matches();
                    case "auto-focus", "no-loop", "lock-on-active" -> value.isEmpty() || BOOLEAN.matcher(value).matches();
                    default -> false;
                };
                if (a.getName().equals("auto-focus")) {
                    refuse(lineAfter(ruleLine, a.getName()), null, "auto-focus is not allowed: the service runs the phases"
                            + " in order; name the rule's phase with agenda-group");
                } else if (!ATTRIBUTES.contains(a.getName())) {
                    refuse(lineAfter(ruleLine, a.getName()), null, "the rule attribute '" + a.getName()
                            + "' is not allowed; rules may use " + new TreeSet<>(ATTRIBUTES));
                } else if (!literal) {
                    refuse(lineAfter(ruleLine, a.getName()), null, a.getName() + " " + value
                            + ": the value must be a literal (salience a whole number)");
                } else if (a.getName().equals("agenda-group")) {
                    checkPhase(value, lineAfter(ruleLine, a.getName()));
                }
            }
            Map<String, Class<?>> bindings = new HashMap<>();
            checkCondition(r.getLhs(), bindings);
            // Each positive pattern multiplies the matches the engine computes: two Finding patterns
            // match every pair of findings, four every quadruple, and a rule concluding an outcome
            // adds a finding each time it fires. One pattern per fact type keeps matching linear.
            patternCounts(r.getLhs(), ruleLine).forEach((type, n) -> {
                if (n > 1) {
                    refuse(ruleLine, null, "a rule may match " + type + " only once (use one pattern with all its"
                            + " conditions, or 'not' / 'exists' for another check)");
                }
            });
            if (!r.getNamedConsequences().isEmpty()) {
                refuse(ruleLine, null, "named consequences ('then[...]', 'do[...]') are not allowed");
            }
            String consequence = r.getConsequence() == null ? "" : r.getConsequence().toString();
            if (!consequence.replaceAll("\\s+", "").equals(CONSEQUENCE)) {
                // The parser gives the line of 'then'; point at the consequence's first line of code.
                int then = r.getConsequenceLine() > 0 ? r.getConsequenceLine() : ruleLine;
                String firstLine = consequence.strip().lines().findFirst().orElse("").strip();
                int line = firstLine.isEmpty() ? then : lineAfter(then, firstLine);
                refuse(line, null, "the consequence must be exactly '" + CONSEQUENCE
                        + "': what a rule concludes goes in @outcome, @advice or @missing, never in code");
            }
            if (!r.getAttributes().containsKey("agenda-group")) {
                // Last, so that a file's first diagnostic stays the most telling one.
                refuse(ruleLine, null, "the rule names no phase; add agenda-group \"...\" with one of "
                        + Phase.clinicalNames() + " before 'when' (rules/README.md, How the rules decide)");
            }
            rule = null;
        }

        /** Positive patterns per fact type along the most demanding branch; 'not' and 'exists' hold one pattern each. */
        private Map<String, Integer> patternCounts(BaseDescr d, int ruleLine) {
            Map<String, Integer> counts = new HashMap<>();
            if (d instanceof PatternDescr p) {
                // A Threshold pattern names its threshold (checked above): it matches one fact, whatever their number.
                if (!"Threshold".equals(p.getObjectType())) {
                    counts.put(p.getObjectType(), 1);
                }
            } else if (d instanceof NotDescr || d instanceof ExistsDescr) {
                List<? extends BaseDescr> inside = ((ConditionalElementDescr) d).getDescrs();
                if (inside.size() != 1 || !(inside.get(0) instanceof PatternDescr)) {
                    refuse(lineOf(d), columnOf(d), "'not' and 'exists' take one pattern each, such as not Finding( ... )");
                }
            } else if (d instanceof OrDescr or) {
                for (BaseDescr child : or.getDescrs()) {
                    patternCounts(child, ruleLine).forEach((t, n) -> counts.merge(t, n, Math::max));
                }
            } else if (d instanceof AndDescr and) {
                for (BaseDescr child : and.getDescrs()) {
                    patternCounts(child, ruleLine).forEach((t, n) -> counts.merge(t, n, Integer::sum));
                }
            }
            return counts;
        }

        private void checkPhase(String group, int line) {
            Phase phase = Phase.ofGroupName(group);
            if (phase == null) {
                refuse(line, null, "agenda-group \"" + group + "\" is not a phase; a rule runs in one of "
                        + Phase.clinicalNames());
            } else if (!phase.clinical()) {
                refuse(line, null, "agenda-group \"" + group + "\" is the service's own phase (DEC-01); a rule runs in one of "
                        + Phase.clinicalNames());
            }
        }

        private void checkCondition(BaseDescr d, Map<String, Class<?>> bindings) {
            if (d instanceof AndDescr || d instanceof OrDescr || d instanceof NotDescr || d instanceof ExistsDescr) {
                for (BaseDescr child : ((ConditionalElementDescr) d).getDescrs()) {
                    checkCondition(child, bindings);
                }
            } else if (d instanceof PatternDescr p) {
                checkPattern(p, bindings);
            } else {
                refuse(lineOf(d), columnOf(d), "'" + construct(d) + "' is not allowed in a condition; conditions are"
                        + " patterns on " + FACT_TYPES.keySet() + " combined with and, or, not and exists");
            }
        }

        private void checkPattern(PatternDescr p, Map<String, Class<?>> bindings) {
            Class<?> type = FACT_TYPES.get(p.getObjectType());
            if (type == null) {
                refuse(lineOf(p), columnOf(p), "'" + p.getObjectType() + "' is not a fact type; conditions match "
                        + FACT_TYPES.keySet());
                return;
            }
            if (p.getSource() != null) {
                refuse(lineOf(p), columnOf(p), "'" + construct(p.getSource()) + "' is not allowed: a pattern matches the facts of the case");
            }
            if (p.isQuery()) {
                refuse(lineOf(p), columnOf(p), "calling a query is not allowed in a condition");
            }
            if (!p.getAnnotations().isEmpty() || !p.getBehaviors().isEmpty()) {
                refuse(lineOf(p), columnOf(p), "pattern annotations and windows are not allowed");
            }
            if (p.getIdentifier() != null) {
                bindings.put(p.getIdentifier(), type);
            }
            if (type == Threshold.class) {
                checkThresholdName(p);
            }
            for (BaseDescr c : p.getDescrs()) {
                if (c instanceof ExprConstraintDescr e && e.getType() == ExprConstraintDescr.Type.POSITIONAL) {
                    refuse(lineOf(c), columnOf(c), "positional constraints (ending in ';') are not allowed: name the field,"
                            + " such as painSeverity >= 7");
                } else if (c instanceof ExprConstraintDescr e) {
                    new ExpressionCheck(this, e, type, bindings).check();
                } else {
                    refuse(lineOf(c), columnOf(c), "'" + construct(c) + "' is not allowed inside a pattern");
                }
            }
        }

        /** A Threshold pattern names a threshold of the thresholds file, first and literally: one pattern, one number. */
        private void checkThresholdName(PatternDescr p) {
            BaseDescr first = p.getDescrs().isEmpty() ? null : p.getDescrs().get(0);
            Matcher m = first instanceof ExprConstraintDescr e
                    ? THRESHOLD_NAME.matcher(e.getExpression()) : null;
            if (m == null || !m.matches()) {
                refuse(lineOf(p), columnOf(p), "a Threshold pattern names its threshold first, such as"
                        + " Threshold( name == \"severe-pain\", $severe : value )");
            } else if (!thresholdNames.contains(m.group(1))) {
                int at = ((ExprConstraintDescr) first).getStartCharacter();
                int[] lc = at >= 0 && text.startsWith(((ExprConstraintDescr) first).getExpression(), at) ? position(at) : null;
                refuse(lc == null ? lineOf(first) : lc[0], lc == null ? null : lc[1], "threshold \"" + m.group(1)
                        + "\" is not set in " + thresholdsFile + "; it sets " + thresholdNames);
            }
        }

        /** A diagnostic at a position in this file. */
        void refuse(int line, Integer column, String message) {
            if (found == MAX_DIAGNOSTICS_PER_FILE) {
                out.add(new Diagnostic(Diagnostic.Kind.LANGUAGE, file, null, null, null, null,
                        "more than " + MAX_DIAGNOSTICS_PER_FILE + " problems in this file; fix these first"));
                throw new StopFile();
            }
            found++;
            out.add(new Diagnostic(Diagnostic.Kind.LANGUAGE, file, line, column, rule, null, message));
        }

        /** 1-based line and column of a 0-based character offset in the file. */
        int[] position(int offset) {
            int i = Arrays.binarySearch(lineStarts, offset);
            int line = i >= 0 ? i : -i - 2;
            return new int[] {line + 1, offset - lineStarts[line] + 1};
        }

        /** The first line at or after {@code from} that contains {@code needle}, for descriptors without a line. */
        int lineAfter(int from, String needle) {
            for (int i = from - 1; i >= 0 && i < lines.length; i++) {
                if (lines[i].contains(needle)) {
                    return i + 1;
                }
                if (i > from - 1 && lines[i].strip().equals("end")) {
                    break;
                }
            }
            return from;
        }
    }

    /**
     * One condition expression, token by token: literals, operators, keywords, bindings and paths of
     * known properties. A name followed by '(' is a call and is refused; so is any character that
     * has no place in a comparison (assignment, arithmetic, casts, blocks).
     */
    private static final class ExpressionCheck {
        private final FileCheck file;
        private final String expr;
        private final int offset;
        private final Class<?> factType;
        private final Map<String, Class<?>> bindings;
        private int pos;

        ExpressionCheck(FileCheck file, ExprConstraintDescr e, Class<?> factType, Map<String, Class<?>> bindings) {
            this.file = file;
            this.expr = e.getExpression();
            int start = e.getStartCharacter();
            // The descriptor's offset points at the expression in the file; fall back to the line if not.
            this.offset = start >= 0 && file.text.startsWith(expr, start) ? start : -1;
            this.factType = factType;
            this.bindings = bindings;
            this.lineFallback = Math.max(1, e.getLine());
        }

        private final int lineFallback;

        void check() {
            pos = 0;
            String pendingBinding = null;
            while (pos < expr.length()) {
                char c = expr.charAt(pos);
                if (Character.isWhitespace(c)) {
                    pos++;
                } else if (c == '"') {
                    int end = expr.indexOf('"', pos + 1);
                    String body = end < 0 ? "" : expr.substring(pos + 1, end);
                    if (end < 0 || body.indexOf('\\') >= 0 || body.indexOf('\n') >= 0) {
                        refuse(pos, "a text value is written in double quotes, without backslashes or line breaks");
                        return;
                    }
                    pos = end + 1;
                } else if (Character.isDigit(c)) {
                    int start = pos;
                    while (pos < expr.length() && (Character.isDigit(expr.charAt(pos)) || expr.charAt(pos) == '.')) {
                        pos++;
                    }
                    if (pos < expr.length() && Character.isJavaIdentifierPart(expr.charAt(pos))) {
                        refuse(start, "'" + expr.substring(start, pos + 1) + "' is not a number; write whole or decimal numbers");
                        return;
                    }
                } else if (Character.isJavaIdentifierStart(c)) {
                    int start = pos;
                    String path = readPath();
                    if (path == null) {
                        return;
                    }
                    int next = skipSpaces(pos);
                    boolean call = next < expr.length() && expr.charAt(next) == '(';
                    boolean bindingTarget = next < expr.length() && expr.charAt(next) == ':'
                            && (next + 1 >= expr.length() || expr.charAt(next + 1) != ':');
                    if (path.startsWith("$") && bindingTarget) {
                        pendingBinding = path;
                        pos = next + 1;
                        continue;
                    }
                    if (path.equals("new") || path.startsWith("new.")) {
                        refuse(start, "'new' creates objects; conditions compare fields with values, they never run code");
                        return;
                    }
                    if (call && !path.equals("in")) {
                        refuse(start, "'" + path + "(...)' calls a method; conditions compare fields with values, they never call code");
                        return;
                    }
                    Class<?> type = resolve(path, start);
                    if (type == VOID) {
                        return;
                    }
                    if (pendingBinding != null) {
                        bindings.put(pendingBinding, type);
                        pendingBinding = null;
                    }
                } else if (!operator()) {
                    refuse(pos, "'" + c + "' is not allowed in a condition; use the comparisons ==, !=, <, <=, >, >=,"
                            + " contains, not contains, in, combined with && and ||");
                    return;
                }
            }
        }

        /** Reads name(.name)* with optional spaces around the dots; null after refusing. */
        private String readPath() {
            StringBuilder sb = new StringBuilder();
            for (;;) {
                int start = pos;
                while (pos < expr.length() && Character.isJavaIdentifierPart(expr.charAt(pos))) {
                    pos++;
                }
                if (start == pos) {
                    refuse(pos, "a name is expected after '.'");
                    return null;
                }
                sb.append(expr, start, pos);
                int next = skipSpaces(pos);
                if (next < expr.length() && expr.charAt(next) == '.') {
                    sb.append('.');
                    pos = skipSpaces(next + 1);
                } else {
                    return sb.toString();
                }
            }
        }

        private static final Class<?> VOID = Void.class;

        /** The type a path names, or {@link #VOID} after refusing it. */
        private Class<?> resolve(String path, int at) {
            String[] parts = path.split("\\.");
            String head = parts[0];
            Class<?> type;
            int i = 1;
            if (parts.length == 1 && KEYWORDS.contains(head)) {
                return Object.class;
            }
            if (head.startsWith("$")) {
                type = bindings.get(head);
                if (type == null) {
                    refuse(at, "'" + head + "' is not bound by an earlier pattern of this rule");
                    return VOID;
                }
            } else if (ENUM_TYPES.containsKey(head)) {
                Class<?> enumType = ENUM_TYPES.get(head);
                if (parts.length < 2 || !isConstant(enumType, parts[1])) {
                    refuse(at, "'" + path + "': name a value of " + head + ", one of " + constants(enumType));
                    return VOID;
                }
                type = enumType;
                i = 2;
            } else {
                type = factType;
                i = 0;
            }
            for (; i < parts.length; i++) {
                Map<String, Class<?>> props = properties(type);
                Class<?> next = props.get(parts[i]);
                if (next == null) {
                    refuse(at, (parts.length == 1 ? "" : "'" + path + "': ") + "'" + parts[i] + "' is not " + (type == factType && i == 0
                            ? "a field of " + factType.getSimpleName() : "something a condition may read")
                            + (props.isEmpty() ? "" : "; expected one of " + props.keySet()));
                    return VOID;
                }
                type = next;
            }
            return type;
        }

        private boolean operator() {
            for (String op : new String[] {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "(", ")", ",", "!"}) {
                if (expr.startsWith(op, pos)) {
                    if (op.equals("!") && !expr.startsWith("!(", pos) && !expr.startsWith("! (", pos)) {
                        return false;
                    }
                    pos += op.length();
                    return true;
                }
            }
            if (expr.charAt(pos) == '-' && pos + 1 < expr.length() && Character.isDigit(expr.charAt(pos + 1))) {
                pos++; // a negative number
                return true;
            }
            return false;
        }

        private int skipSpaces(int from) {
            int i = from;
            while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
                i++;
            }
            return i;
        }

        private void refuse(int at, String message) {
            if (offset >= 0) {
                int[] lc = file.position(offset + at);
                file.refuse(lc[0], lc[1], message);
            } else {
                file.refuse(lineFallback, null, message);
            }
        }
    }

    /**
     * What a condition may read of a type: the fact types' and enums' own bean properties (never
     * inherited ones such as getClass or getDeclaringClass), and whether a set of symptoms is empty.
     */
    static Map<String, Class<?>> properties(Class<?> type) {
        if (Collection.class.isAssignableFrom(type)) {
            return Map.of("empty", boolean.class);
        }
        if (!FACT_TYPES.containsValue(type) && !ENUM_TYPES.containsValue(type)) {
            return Map.of();
        }
        Map<String, Class<?>> props = new LinkedHashMap<>();
        for (Method m : type.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
                continue;
            }
            String n = m.getName();
            String prop = n.startsWith("get") && n.length() > 3 ? n.substring(3)
                    : n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class ? n.substring(2) : null;
            if (prop != null) {
                props.put(Character.toLowerCase(prop.charAt(0)) + prop.substring(1), m.getReturnType());
            }
        }
        // Reflection lists methods in no particular order: name them in the request's order (the
        // history flags where history stands), then the rest alphabetically, the same on every JVM.
        List<String> order = new ArrayList<>();
        for (Fact fact : Fact.values()) {
            if (fact.kind() == Fact.Kind.FLAGS) {
                order.addAll(Fact.HistoryFlag.names());
            } else {
                order.add(fact.factName());
            }
        }
        Map<String, Class<?>> ordered = new LinkedHashMap<>();
        props.keySet().stream().sorted(Comparator.comparingInt((String n) -> order.contains(n) ? order.indexOf(n) : order.size())
                .thenComparing(Comparator.naturalOrder())).forEach(n -> ordered.put(n, props.get(n)));
        return ordered;
    }

    private static boolean isConstant(Class<?> enumType, String name) {
        return constants(enumType).contains(name);
    }

    private static List<String> constants(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(e -> ((Enum<?>) e).name()).toList();
    }

    private static Map<String, Class<?>> bySimpleName(Class<?>... types) {
        Map<String, Class<?>> m = new LinkedHashMap<>();
        for (Class<?> t : types) {
            m.put(t.getSimpleName(), t);
        }
        return Collections.unmodifiableMap(m); // in the order given: diagnostics list them
    }

    private static int lineOf(BaseDescr d) {
        return Math.max(1, d.getLine());
    }

    private static Integer columnOf(BaseDescr d) {
        return d.getColumn() >= 0 ? d.getColumn() + 1 : null;
    }

    /** A clinician's name for a descriptor: eval, from, accumulate, collect, forall ... */
    private static String construct(Object d) {
        String n = d.getClass().getSimpleName().replace("Descr", "");
        return switch (n) {
            case "Eval" -> "eval";
            case "From" -> "from";
            case "Accumulate" -> "accumulate";
            case "Collect" -> "collect";
            case "Forall" -> "forall";
            case "EntryPoint" -> "from entry-point";
            case "ConditionalBranch" -> "if ... do[...]";
            case "NamedConsequence" -> "do[...]";
            case "GroupBy" -> "groupby";
            case "Window" -> "from window";
            default -> n.toLowerCase(Locale.ROOT);
        };
    }
}
