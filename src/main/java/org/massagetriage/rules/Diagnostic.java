package org.massagetriage.rules;

import java.util.List;

/**
 * One reason a candidate rule set was rejected, pointing a clinician at the real file and line.
 *
 * @param file   the real file path (never Drools' in-memory path), or null for the set as a whole
 * @param line   1-based, or null when unknown
 * @param column 1-based, or null when unknown
 * @param rule   the rule's name when the problem is inside one rule (Drools reports errors in a
 *               consequence at the rule's first line), else null
 * @param scenario the scenario id for a failed scenario row, else null
 */
public record Diagnostic(Kind kind, String file, Integer line, Integer column, String rule, String scenario,
                         String message, Comparison comparison) {

    public Diagnostic(Kind kind, String file, Integer line, Integer column, String rule, String scenario, String message) {
        this(kind, file, line, column, rule, scenario, message, null);
    }

    /** A failed scenario row: what the row expects and what the rules answered, to show side by side. */
    public record Comparison(Answer expected, Answer actual) {
    }

    /** @param rules the rule ids that concluded something, sorted; missing facts sorted too (a row lists them as a set) */
    public record Answer(String outcome, List<String> advice, List<String> rules, List<String> missingFacts) {
    }

    public enum Kind {
        /** A file uses a construct the rule language does not allow (code, calls, imports...); nothing was compiled. */
        LANGUAGE,
        /** The Drools compiler rejected a file. */
        COMPILE,
        /** The rules compile, but break a rule the service relies on (ids, sources, known keys, coverage). */
        STRUCTURE,
        /** A scenario row gave another answer than it expects, or could not be read. */
        SCENARIO
    }

    public static Diagnostic of(Kind kind, String file, Integer line, String message) {
        return new Diagnostic(kind, file, line, null, null, null, message);
    }

    /** One indented line per diagnostic, for logs. */
    public static String describeAll(List<Diagnostic> diagnostics) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : diagnostics) {
            sb.append(sb.length() == 0 ? "" : "\n").append("  ").append(d.describe());
        }
        return sb.toString();
    }

    /** One line, as a clinician would want to read it in a log: {@code file:line:column: message}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (file != null) {
            sb.append(file);
            if (line != null) {
                sb.append(':').append(line);
                if (column != null) {
                    sb.append(':').append(column);
                }
            }
            sb.append(": ");
        }
        if (rule != null) {
            sb.append("rule \"").append(rule).append("\": ");
        }
        if (scenario != null) {
            sb.append("scenario ").append(scenario).append(": ");
        }
        return sb.append(message).toString();
    }
}
