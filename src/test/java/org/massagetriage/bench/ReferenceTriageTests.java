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
 * on every scenario row and on the benchmark's whole mix. Plain Java, a microsecond a case, also on
 * 20,000 more generated presentations; the DMN engines (about a millisecond a case on Camunda's) on the
 * benchmark's 1,000, which is what they are compared on.
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
        for (Presentation p : Presentations.mix(42, RulePathBenchmark.MIX)) {
            seen.merge(assertAgrees(p, "mix #" + i++, peers), 1, Integer::sum);
        }
        assertEquals(4, seen.size(), seen::toString);
    }

    @Test
    void shouldAgreeInPlainJavaOnAWiderMix() {
        int i = 0;
        for (Presentation p : Presentations.mix(7, 20_000)) {
            assertAgrees(p, "wider mix #" + i++, Map.of("plainJava", ReferenceTriage::evaluate));
        }
    }

    private static Outcome assertAgrees(Presentation p, String what) {
        return assertAgrees(p, what, peers);
    }

    private static Outcome assertAgrees(Presentation p, String what, Map<String, Function<Presentation, ReferenceTriage.Result>> to) {
        Evaluation e = rules.evaluate(p);
        to.forEach((peer, decide) -> {
            ReferenceTriage.Result r = decide.apply(p);
            assertEquals(e.outcome(), r.outcome(), () -> peer + ", " + what + ": outcome");
            assertEquals(e.advice(), r.advice(), () -> peer + ", " + what + ": advice");
            assertEquals(e.missingFacts(), r.missingFacts(), () -> peer + ", " + what + ": missing facts");
        });
        return e.outcome();
    }
}
