package org.massagetriage.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.massagetriage.bench.Presentations;
import org.massagetriage.facts.Presentation;
import org.massagetriage.rules.DefaultRules;
import org.massagetriage.rules.ImpactReport;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetCompiler;
import org.massagetriage.rules.RuleSetSource;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The impact comparison split over threads in chunks reports exactly what one pass over all cases does. */
class ImpactCompareTests {

    @Test
    void shouldReportTheSameInChunksOnTwoThreadsAsInOnePass() throws Exception {
        try (RuleSet active = DefaultRules.load(); RuleSet candidate = severeFrom8()) {
            List<ImpactAnalysis.Case> cases = new ArrayList<>(ImpactAnalysis.generated(candidate, active));
            int i = 0;
            for (Presentation p : Presentations.mix(7, 3_000)) {
                cases.add(new ImpactAnalysis.Case(new UUID(0, i++), ImpactAnalysis.json(p), p));
            }
            ImpactReport.Part onePass = ImpactAnalysis.compare(cases, candidate, active, Integer.MAX_VALUE);
            ImpactReport.Part chunked = ImpactAnalysis.compare(cases, candidate, active, 37);

            // Examples spread over many chunks, so that their order and the cut at the maximum are tested.
            assertTrue(onePass.downTriage() > 2 * ImpactReport.MAX_EXAMPLES, "down-triaged: " + onePass.downTriage());
            ObjectMapper json = new ObjectMapper(); // int[] fire counts compare by content only as JSON
            assertEquals(json.writeValueAsString(onePass), json.writeValueAsString(chunked));
        }
    }

    /** Severe pain from 8 instead of 7: severity 7 is down-triaged (compiled only: its scenario rows are not the point). */
    private static RuleSet severeFrom8() {
        Map<String, String> files = new HashMap<>(DefaultRules.source().files());
        files.compute("thresholds.properties", (k, v) -> v.replace("severe-pain=7", "severe-pain=8"));
        RuleSetCompiler.Compilation c = RuleSetCompiler.compile(RuleSetSource.of("candidate", files));
        assertTrue(c.ruleSet() != null, () -> c.diagnostics().toString());
        return c.ruleSet();
    }
}
