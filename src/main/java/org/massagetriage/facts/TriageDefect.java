package org.massagetriage.facts;

/**
 * A defect of the rules found by the triage collector itself (an outcome decided twice, a rule
 * without checked metadata). Its message is the service's own, so it may be shown to a clinician;
 * messages of other exceptions thrown while rules run are never shown or logged as text.
 */
public final class TriageDefect extends IllegalStateException {

    public TriageDefect(String message) {
        super(message);
    }
}
