package org.massagetriage.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.kie.api.runtime.rule.RuleContext;

/**
 * The per-evaluation collector that rules write to through the global {@code triage}. A rule's
 * consequence says {@code triage.conclude(kcontext)}; what it concludes comes from the rule's own
 * metadata, so the consequence never hides clinical content. One instance per evaluation: not
 * thread-safe, and never shared between sessions.
 */
public final class Triage {

    private final Map<String, RuleConclusion> conclusionsByRuleId;
    private final List<RuleConclusion> reasons = new ArrayList<>(6);
    private Outcome outcome;
    private String decidedBy;

    public Triage(Map<String, RuleConclusion> conclusionsByRuleId) {
        this.conclusionsByRuleId = conclusionsByRuleId;
    }

    /** Records the firing rule's conclusion; an outcome also becomes a {@link Finding} for the decision rule. */
    public void conclude(RuleContext kcontext) {
        RuleConclusion conclusion = conclusionOf(kcontext);
        reasons.add(conclusion);
        if (conclusion.outcome() != null) {
            kcontext.getKieRuntime().insert(new Finding(conclusion.outcome(), conclusion.ruleId()));
        }
    }

    /** Fixes the outcome of this evaluation; called once, by the decision rule. */
    public void decide(RuleContext kcontext, Outcome decided) {
        if (outcome != null) {
            // Rules that decide twice are defective; the evaluation is refused, never half-used.
            throw new TriageDefect("Outcome decided twice: by " + decidedBy + " and "
                    + conclusionOf(kcontext).ruleId());
        }
        outcome = decided;
        decidedBy = conclusionOf(kcontext).ruleId();
        kcontext.getKieRuntime().insert(new Decided(decided));
    }

    private RuleConclusion conclusionOf(RuleContext kcontext) {
        Object id = kcontext.getRule().getMetaData().get("id");
        RuleConclusion conclusion = conclusionsByRuleId.get(id);
        if (conclusion == null) {
            // The loader checks every rule's metadata, so this means a rule set was used without that check.
            throw new TriageDefect("Rule '" + kcontext.getRule().getName() + "' has no checked metadata");
        }
        return conclusion;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String decidedBy() {
        return decidedBy;
    }

    /** Rules that concluded something, in firing order. */
    public List<RuleConclusion> reasons() {
        return reasons;
    }
}
