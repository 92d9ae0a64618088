package org.massagetriage.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Variable interpolation as the Compose specification defines it (compose-spec, "Interpolation"),
 * for values read from a compose file: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}} (unset
 * or empty), {@code ${VAR-default}} (unset), {@code ${VAR:?error}} and {@code ${VAR?error}} (compose
 * refuses the file with the message), {@code ${VAR:+replacement}}, {@code ${VAR+replacement}}, and
 * {@code $$} for a literal {@code $}. Defaults may themselves hold variables, as Compose v2 allows.
 * An unset variable without a default becomes the empty string, as compose does (with a warning).
 */
final class ComposeInterpolation {

    /** Compose refuses the file: a required variable is unset (or empty, for {@code :?}). */
    static final class MissingRequiredVariable extends RuntimeException {
        final String variable;

        MissingRequiredVariable(String variable, String message) {
            super("required variable " + variable + " is missing a value: " + message);
            this.variable = variable;
        }
    }

    private final Map<String, String> variables;
    private final List<String> unsetWithoutDefault = new ArrayList<>();

    ComposeInterpolation(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** Variables used without a default and not set: compose warns and substitutes "". */
    List<String> unsetWithoutDefault() {
        return List.copyOf(unsetWithoutDefault);
    }

    String interpolate(String value) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c != '$' || i + 1 == value.length()) {
                out.append(c);
                i++;
            } else if (value.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (value.charAt(i + 1) == '{') {
                int end = closingBrace(value, i + 2);
                out.append(expand(value.substring(i + 2, end)));
                i = end + 1;
            } else if (isNameStart(value.charAt(i + 1))) {
                int end = i + 2;
                while (end < value.length() && isNamePart(value.charAt(end))) {
                    end++;
                }
                out.append(lookup(value.substring(i + 1, end)));
                i = end;
            } else {
                out.append(c); // a lone '$' stays, as compose leaves it
                i++;
            }
        }
        return out.toString();
    }

    private String expand(String expression) {
        int n = 0;
        if (expression.isEmpty() || !isNameStart(expression.charAt(0))) {
            throw new IllegalArgumentException("invalid interpolation format: ${" + expression + "}");
        }
        while (n < expression.length() && isNamePart(expression.charAt(n))) {
            n++;
        }
        String name = expression.substring(0, n);
        String operator = expression.substring(n);
        if (operator.isEmpty()) {
            return lookup(name);
        }
        boolean colon = operator.startsWith(":");
        String op = colon ? operator.substring(1) : operator;
        if (op.isEmpty()) {
            throw new IllegalArgumentException("invalid interpolation format: ${" + expression + "}");
        }
        String argument = op.substring(1);
        String current = variables.get(name);
        boolean missing = current == null || (colon && current.isEmpty());
        return switch (op.charAt(0)) {
            case '-' -> missing ? interpolate(argument) : current;
            case '?' -> {
                if (missing) {
                    throw new MissingRequiredVariable(name, interpolate(argument));
                }
                yield current;
            }
            case '+' -> missing ? "" : interpolate(argument);
            default -> throw new IllegalArgumentException("invalid interpolation format: ${" + expression + "}");
        };
    }

    private String lookup(String name) {
        String v = variables.get(name);
        if (v == null) {
            unsetWithoutDefault.add(name);
            return "";
        }
        return v;
    }

    private static int closingBrace(String value, int from) {
        int depth = 1;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("invalid interpolation format: unclosed ${ in " + value);
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    /**
     * A {@code .env} file as compose reads it, for the lines a test writes: {@code KEY=VALUE}, blank
     * lines and {@code #} comments, values optionally in single or double quotes.
     */
    static Map<String, String> readEnvFile(Path file) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not KEY=VALUE: " + line);
            }
            String value = trimmed.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            variables.put(trimmed.substring(0, eq).strip(), value);
        }
        return variables;
    }
}
