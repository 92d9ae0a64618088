package org.massagetriage.rules;

import java.time.Instant;

/**
 * Fired (synchronously, on the rules thread) when a rule set becomes active, for the rule-set
 * history. Observers must return quickly: the next reload waits for them.
 *
 * @param source          the files the rule set was compiled from
 * @param previousVersion the version it replaced, or null at the first activation
 * @param requestedBy     the token subject of an API-requested reload, else null
 * @param impact          its impact against the rule set it replaced (null at the first activation)
 * @param approvedBy      the token subject that approved it, when it waited for approval
 */
public record RuleSetActivated(RuleSet ruleSet, RuleSetSource source, String previousVersion, Instant at,
                               ReloadAttempt.Trigger trigger, String requestedBy, ImpactReport impact, String approvedBy,
                               String approvalComment) {
}
