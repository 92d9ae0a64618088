package org.massagetriage.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The one way tests reach rule files: the clinicians' live {@code rules/} (for tests whose
 * purpose is the real rules: scenarios, safety properties, benchmarks, appended attack files) and
 * the frozen fixture (for tests that pin lines and texts of a file, which a clinician's edit of
 * {@code rules/} must not break).
 */
public final class DefaultRules {

    /** The clinicians' rules, as the service loads them by default. */
    public static final Path DIRECTORY = Path.of("rules");

    /** A frozen copy of the rules; see its README. */
    public static final Path FIXTURE = Path.of("src/test/resources/rules-fixture");

    private DefaultRules() {
    }

    /** The live rules, read now. */
    public static RuleSetSource source() {
        try {
            return RuleSetSource.read(DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live rules, loaded and checked as the service does; fails with the diagnostics if they are rejected. */
    public static RuleSet load() {
        RuleSetLoader.LoadResult r = RuleSetLoader.load(source());
        if (!r.accepted()) {
            throw new AssertionError("the default rules are rejected: " + r.diagnostics());
        }
        return r.ruleSet();
    }

    /** The live rules, compiled without running the scenario rows (for tests that run each row themselves). */
    public static RuleSetCompiler.Compilation compile() {
        return RuleSetCompiler.compile(source());
    }
}
