package org.massagetriage.facts;

/** The outcome of this evaluation, once decided; advice and missing-fact rules match on it. */
public final class Decided {
    private final Outcome outcome;

    public Decided(Outcome outcome) {
        this.outcome = outcome;
    }

    public Outcome getOutcome() {
        return outcome;
    }
}
