package org.massagetriage.bench;

import org.massagetriage.rules.DefaultRules;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.Scenario;

/**
 * The benchmark's plain-Java reference is only a fair limit, and its peer engines (the same criteria
 * as DMN decision tables on Camunda's and on the KIE DMN engine) only a fair comparison, if each
 * decides exactly like the rules: same outcome, same advice in the same order, same missing facts,
 * on every scenario row and on the benchmark's whole mix.
 */
class ReferenceTriageTests {

    static RuleSet rules;
    /** Everything the benchmark compares with the rules, by its benchmark name. */
    static Map<String, Function<Presentation, ReferenceTriage.Result>> peers;

    @BeforeAll
    static void load() throws IOException {
        rules = DefaultRules.load(); // fails with the diagnostics unless accepted
        peers = new LinkedHashMap<>();
        peers.put("plainJava", ReferenceTriage::evaluate);
        peers.put("camundaDmn", new CamundaDmnTriage()::evaluate);
        peers.put("kieDmn", new KieDmnTriage()::evaluate);
    }

    @AfterAll
    static void close() {
        rules.close();
    }

    @Test
    void shouldAgreeWithTheRulesOnEveryScenarioRow() {
        for (Scenario s : rules.scenarios()) {
            assertAgrees(s.presentation(), s.id());
        }
    }

    @Test
    void shouldAgreeWithTheRulesOnTheBenchmarkMixAndCoverEveryOutcome() {
        Map<Outcome, Integer> seen = new EnumMap<>(Outcome.class);
        int i = 0;
        for (Presentation p : Presentations.mix(42, 20_000)) {
            seen.merge(assertAgrees(p, "mix #" + i++), 1, Integer::sum);
        }
        assertEquals(4, seen.size(), seen::toString);
    }

    private static Outcome assertAgrees(Presentation p, String what) {
        Evaluation e = rules.evaluate(p);
        peers.forEach((peer, decide) -> {
            ReferenceTriage.Result r = decide.apply(p);
            assertEquals(e.outcome(), r.outcome(), () -> peer + ", " + what + ": outcome");
            assertEquals(e.advice(), r.advice(), () -> peer + ", " + what + ": advice");
            assertEquals(e.missingFacts(), r.missingFacts(), () -> peer + ", " + what + ": missing facts");
        });
        return e.outcome();
    }
}
