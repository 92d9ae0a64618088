package org.massagetriage.governance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.massagetriage.facts.Presentation;
import org.massagetriage.rules.ImpactReport;
import org.massagetriage.rules.RuleSet;

/** The impact comparison as the bench harness ({@code bench.ProfileImpact}) drives it, without a store. */
public final class ImpactRuns {

    private ImpactRuns() {
    }

    /** Recorded cases as {@link ImpactAnalysis#review} builds them (fixed ids, so reports can be compared). */
    public static List<Object> recorded(List<Presentation> presentations) {
        List<Object> cases = new ArrayList<>(presentations.size());
        for (int i = 0; i < presentations.size(); i++) {
            Presentation p = presentations.get(i);
            cases.add(new ImpactAnalysis.Case(new UUID(0, i), ImpactAnalysis.json(p), p));
        }
        return cases;
    }

    @SuppressWarnings("unchecked")
    public static ImpactReport.Part compare(List<Object> cases, RuleSet candidate, RuleSet active) {
        return ImpactAnalysis.compare((List<ImpactAnalysis.Case>) (List<?>) cases, candidate, active);
    }

    public static ImpactReport.Part generated(RuleSet candidate, RuleSet active) {
        return ImpactAnalysis.compare(ImpactAnalysis.generated(candidate, active), candidate, active);
    }
}
