package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kie.api.builder.Message;

/**
 * Turns the Drools compiler's messages into diagnostics a clinician can act on: the real file (not
 * the compiler's in-memory path), line, column (which Drools gives only inside its text), the rule
 * an error belongs to, and one readable sentence.
 */
final class DroolsMessages {

    private static final String PARSER_NULL_PACKAGE = "Parser returned a null Package";

    private DroolsMessages() {
    }

    static List<Diagnostic> diagnostics(RuleSetSource source, List<Message> errors,
                                                       Map<String, String> displayByKfsPath) {
        List<Diagnostic> out = new ArrayList<>();
        for (Message m : errors) {
            String rel = displayByKfsPath.get(m.getPath());
            boolean otherErrorInFile = errors.stream()
                    .anyMatch(o -> o != m && Objects.equals(o.getPath(), m.getPath())
                            && !o.getText().contains(PARSER_NULL_PACKAGE));
            if (m.getText().contains(PARSER_NULL_PACKAGE) && otherErrorInFile) {
                continue; // Drools adds this after every syntax error; the real error is reported already
            }
            String display = rel == null ? m.getPath() : RuleSetCompiler.displayPath(source, rel);
            Integer line = m.getLine() > 0 ? m.getLine() : null;
            Integer column = m.getColumn() > 0 ? Integer.valueOf(m.getColumn()) : columnIn(m.getText());
            String rule = rel == null || line == null ? null : ruleAt(RuleSetCompiler.contentOf(source, rel), line);
            out.add(new Diagnostic(Diagnostic.Kind.COMPILE, display, line, column, rule, null, oneLine(m.getText())));
        }
        return out;
    }

    private static final Pattern LINE_COLUMN =
            Pattern.compile("\\[Line: (\\d+), Column: (\\d+)\\]");

    private static final Pattern PARSER_LINE_COLUMN =
            Pattern.compile("\\bLine (\\d+):(\\d+)\\b");

    /**
     * The column, which Drools gives only inside its text: {@code [Line: 30, Column: 4]} from MVEL,
     * {@code Line 21:53} (0-based) from the parser.
     */
    static Integer columnIn(String text) {
        Matcher m = LINE_COLUMN.matcher(text);
        if (m.find()) {
            return Integer.valueOf(m.group(2));
        }
        Matcher p = PARSER_LINE_COLUMN.matcher(text);
        return p.find() ? Integer.valueOf(p.group(2)) + 1 : null;
    }

    /**
     * Drools' messages span lines with a caret drawing and a position the diagnostic already has;
     * a clinician needs the sentence, on one line.
     */
    static String oneLine(String text) {
        StringBuilder sb = new StringBuilder();
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.equals("^") || line.startsWith("[Near") || LINE_COLUMN.matcher(line).matches()) {
                continue;
            }
            if (line.startsWith("[Error: ") && line.endsWith("]")) {
                line = line.substring("[Error: ".length(), line.length() - 1);
            }
            sb.append(sb.length() == 0 ? "" : " ").append(line);
        }
        return sb.toString();
    }

    /**
     * The name of the rule whose declaration is at or above {@code line}, for errors that Drools
     * reports at a rule's first line although they are inside its consequence.
     */
    static String ruleAt(String content, int line) {
        String[] lines = content.split("\n", -1);
        for (int i = Math.min(line, lines.length) - 1; i >= 0; i--) {
            String t = lines[i].strip();
            if (t.startsWith("rule ")) {
                int q1 = t.indexOf('"');
                int q2 = q1 < 0 ? -1 : t.indexOf('"', q1 + 1);
                return q2 > q1 ? t.substring(q1 + 1, q2) : t.substring(5).strip();
            }
            if (t.equals("end") && i < line - 1) {
                return null;
            }
        }
        return null;
    }

}
