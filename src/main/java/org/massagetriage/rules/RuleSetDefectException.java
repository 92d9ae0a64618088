package org.massagetriage.rules;

/**
 * The active rule set could not decide safely for this input (no decision, a runaway loop, or an
 * unsafe SELF_CARE): a defect of the rules, not of the request. Answered 503, never a guess.
 */
public class RuleSetDefectException extends RuntimeException {

    public RuleSetDefectException(String version, String what) {
        super("Rule set " + version + ": " + what, null, false, false);
    }
}
