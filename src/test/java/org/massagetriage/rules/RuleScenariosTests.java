package org.massagetriage.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.massagetriage.facts.RuleConclusion;

/**
 * Runs every row of the real scenario tables in {@code rules/scenarios/} through the real rule
 * files, one test per row, so that a clinician's new row is a new test without any Java.
 */
class RuleScenariosTests {

    private static final RuleSet RULES;
    private static final List<Diagnostic> PARSE_PROBLEMS = new ArrayList<>();

    static {
        RuleSetCompiler.Compilation c = DefaultRules.compile();
        assertNotNull(c.ruleSet(), () -> "the rules do not compile: " + c.diagnostics());
        PARSE_PROBLEMS.addAll(c.diagnostics());
        RULES = c.ruleSet();
    }

    static Stream<Scenario> scenarios() {
        return RULES.scenarios().stream();
    }

    @AfterAll
    static void close() {
        RULES.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void shouldAnswerEveryScenarioRowExactly(Scenario s) {
        Evaluation e = RULES.evaluate(s.presentation());
        assertEquals(s.outcome(), e.outcome(), s.file() + ":" + s.line() + " outcome");
        assertEquals(s.advice(), e.advice(), s.file() + ":" + s.line() + " advice (exact, in order)");
        assertEquals(new TreeSet<>(s.rules()), new TreeSet<>(e.reasons().stream().map(RuleConclusion::ruleId).toList()),
                s.file() + ":" + s.line() + " rules that concluded");
        assertEquals(new TreeSet<>(s.missingFacts()), new TreeSet<>(e.missingFacts()),
                s.file() + ":" + s.line() + " missingFacts");
    }

    @Test
    void shouldReadEveryScenarioRowWithoutProblems() {
        assertEquals(List.of(), PARSE_PROBLEMS);
    }

    @Test
    void shouldExerciseEveryRuleInSomeScenario() {
        TreeSet<String> exercised = new TreeSet<>();
        RULES.scenarios().forEach(s -> exercised.addAll(RULES.evaluate(s.presentation()).firedRuleIds()));
        TreeSet<String> all = new TreeSet<>(RULES.rules().stream().map(RuleDescription::id).toList());
        assertEquals(all, exercised);
    }

    @Test
    void shouldAcceptTheDefaultRulesAsAWhole() throws IOException {
        RuleSetLoader.LoadResult result = RuleSetLoader.load(DefaultRules.source());
        try {
            assertEquals(List.of(), result.diagnostics());
        } finally {
            if (result.ruleSet() != null) {
                result.ruleSet().close();
            }
        }
    }
}
