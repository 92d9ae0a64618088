package org.massagetriage.rules;

import java.nio.file.Path;
import java.util.List;

/**
 * Rule files an attacker with a rules-admin token, or anyone with write access to {@code rules/},
 * might try: each would run code with the service's rights if it were compiled. Every one must be
 * refused before anything is compiled or run. Each is a whole extra file, {@value #FILE}, added to
 * the default rules.
 *
 * <p>The files read the system property {@value #SECRET_PROPERTY} (a test sets it to a fresh random
 * value) or write the marker file {@link #MARKER}: if a refused file had run, the secret would show
 * up in an answer or a log line, or the marker would exist.
 */
public final class ForbiddenRules {

    public static final String FILE = "attack.drl";
    public static final String SECRET_PROPERTY = "forbidden-rules.test.secret";
    public static final Path MARKER = Path.of(System.getProperty("java.io.tmpdir"), "triage-forbidden-rule-ran");

    /**
     * @param name      what the file tries
     * @param drl       the file
     * @param line      where the first diagnostic points
     * @param column    its column, or null where the parser gives none
     * @param message   its exact message
     */
    public record Attack(String name, String drl, int line, Integer column, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String HEAD = """
            package triage;
            import org.massagetriage.facts.Presentation;
            global org.massagetriage.facts.Triage triage;
            """;

    /** A rule that fires for every case, with {@code then} standing for its consequence. */
    private static String rule(String annotations, String when, String then) {
        return rule(annotations, "", when, then);
    }

    private static String rule(String annotations, String attributes, String when, String then) {
        return HEAD + """
                rule "X-01 Attack"
                    @id("X-01")
                %s
                    @outcome("CONTACT_THERAPIST")%s
                when
                    %s
                then
                    %s
                end
                """.formatted(annotations, attributes, when, then);
    }

    private static final String SOURCE = "    @source(\"none\")";
    private static final String CONCLUDE = "triage.conclude(kcontext);";
    private static final String CONSEQUENCE = "the consequence must be exactly 'triage.conclude(kcontext);': what a rule"
            + " concludes goes in @outcome, @advice or @missing, never in code";
    private static final String TOUCH = "Runtime.getRuntime().exec(new String[] {\"touch\", \"" + MARKER + "\"});";

    public static final List<Attack> ALL = List.of(
            new Attack("System.exit in a consequence", rule(SOURCE, "Presentation()", "System.exit(0);"),
                    11, null, CONSEQUENCE),
            new Attack("Runtime.exec in a consequence", rule(SOURCE, "Presentation()", CONCLUDE + "\n    " + TOUCH),
                    11, null, CONSEQUENCE),
            new Attack("a file read in a consequence", rule(SOURCE, "Presentation()",
                    "throw new RuntimeException(new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(\"/etc/passwd\"))));"),
                    11, null, CONSEQUENCE),
            new Attack("getenv in a consequence", rule(SOURCE, "Presentation()",
                    "throw new RuntimeException(System.getProperty(\"" + SECRET_PROPERTY + "\") + System.getenv(\"PATH\"));"),
                    11, null, CONSEQUENCE),
            new Attack("a function called from eval", HEAD + """
                    function boolean touch() {
                        try { %s } catch (Exception e) { }
                        return System.getProperty("%s") == null;
                    }
                    rule "X-01 Attack"
                        @id("X-01")
                        @source("none")
                    when
                        Presentation()
                        eval( touch() )
                    then
                        triage.conclude(kcontext);
                    end
                    """.formatted(TOUCH, SECRET_PROPERTY),
                    4, null, "'function touch' is not allowed: a rule file holds rules only, never code"),
            new Attack("a loop in a consequence", rule(SOURCE, "Presentation()", "while (true) { }"),
                    11, null, CONSEQUENCE),
            new Attack("a sleep in a condition", rule(SOURCE, "Presentation( (Thread.sleep(60000)) == null )", CONCLUDE),
                    9, 20, "'Thread.sleep(...)' calls a method; conditions compare fields with values, they never call code"),
            new Attack("new in a condition", rule(SOURCE, "Presentation( symptoms == new java.util.HashSet() )", CONCLUDE),
                    9, 31, "'new' creates objects; conditions compare fields with values, they never run code"),
            new Attack("a static call in a condition", rule(SOURCE,
                    "Presentation( painSeverity > Integer.parseInt(System.getProperty(\"" + SECRET_PROPERTY + "\")) )", CONCLUDE),
                    9, 34, "'Integer.parseInt(...)' calls a method; conditions compare fields with values, they never call code"),
            new Attack("an extra import", HEAD.replace("import org.massagetriage.facts.Presentation;",
                    "import org.massagetriage.facts.Presentation;\nimport java.io.File;") + """
                    rule "X-01 Attack"
                        @id("X-01")
                        @source("none")
                    when
                        Presentation()
                    then
                        triage.conclude(kcontext);
                    end
                    """,
                    3, null, "import java.io.File: a rule file may import only the fact types [Presentation, Decided, Finding]"
                            + " and the enums [Outcome, PainCharacter, Trend, Symptom, BodyRegion] of org.massagetriage.facts"),
            // The compiler evaluates an unquoted metadata value, and GET /api/v1/rules would show the result.
            new Attack("code in a metadata value", rule("    @source(java.lang.System.getProperties())",
                    "Presentation()", CONCLUDE),
                    6, null, "@source must have one value in double quotes, without backslashes or line breaks, such as @source(\"...\")"),
            new Attack("code in a dynamic salience", rule(SOURCE, "\n    salience ( Runtime.getRuntime().availableProcessors() )",
                    "Presentation()", CONCLUDE),
                    8, null, "salience ( Runtime.getRuntime().availableProcessors() ): the value must be a literal (salience a whole number)"),
            new Attack("a pattern over an outside source", rule(SOURCE, "Presentation() from java.util.List.of()", CONCLUDE),
                    9, 5, "'from' is not allowed: a pattern matches the facts of the case"),
            new Attack("another global", HEAD + """
                    global java.util.List leak;
                    rule "X-01 Attack"
                        @id("X-01")
                        @source("none")
                    when
                        Presentation()
                    then
                        triage.conclude(kcontext);
                    end
                    """,
                    4, null, "global java.util.List leak: the only global is 'global org.massagetriage.facts.Triage triage;'"),
            // Found by review: each firing adds a finding, and four patterns match every quadruple of
            // them; an abandoned check of it filled a 1 GB heap in about ten seconds.
            new Attack("a rule that multiplies its own matches", HEAD.replace("Presentation;", "Finding;") + """
                    rule "X-01 Attack"
                        @id("X-01")
                        @source("none")
                        @outcome("SELF_CARE")
                    when
                        Finding() Finding() Finding() Finding()
                    then
                        triage.conclude(kcontext);
                    end
                    """,
                    4, null, "a rule may match Finding only once (use one pattern with all its conditions, or 'not' /"
                            + " 'exists' for another check)"));

    private ForbiddenRules() {
    }
}
