package org.massagetriage.rules;

/**
 * Fired when the impact of a rule set that went live before its impact was known (a file edit
 * without an approval gate) has been computed, after its {@link RuleSetActivated}. Off the rules
 * thread; observers must still return quickly.
 *
 * @param version the active (or since replaced) version the impact belongs to
 * @param impact  its impact against the rule set it replaced, or null when it could not be computed
 */
public record RuleSetReviewed(String version, ImpactReport impact) {
}
