package org.massagetriage.facts;

/** Inserted when a classification rule concludes an outcome; the decision rule picks the most urgent one. */
public final class Finding {
    private final Outcome outcome;
    private final String ruleId;

    public Finding(Outcome outcome, String ruleId) {
        this.outcome = outcome;
        this.ruleId = ruleId;
    }

    public Outcome getOutcome() {
        return outcome;
    }

    public String getRuleId() {
        return ruleId;
    }
}
