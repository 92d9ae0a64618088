package org.massagetriage.rules;

import java.util.Arrays;
import java.util.List;

/**
 * The phases of one decision, in the order they run: the one list of them. A rule names its phase
 * with {@code agenda-group "classify"}; {@link RuleSet#evaluate} gives the phases the focus in this
 * order, and {@link RuleLanguage} refuses any other name. Salience orders rules inside a phase only.
 */
public enum Phase {

    /** Each matching rule records its {@code @outcome} as a finding; most urgent first. */
    CLASSIFY("classify", true),
    /** No finding: normal soreness was not confirmed (SN-01). */
    SAFETY_NET("safety-net", true),
    /** The most urgent finding decides the outcome: the service's own DEC-01, never a clinician's rule. */
    DECIDE("decide", false),
    /** Advice for the decided outcome, then for any outcome. */
    ADVISE("advise", true),
    /** The facts that were not given and could still change the answer (MF-xx). */
    ASK("ask", true);

    private final String groupName;
    private final boolean clinical;

    Phase(String groupName, boolean clinical) {
        this.groupName = groupName;
        this.clinical = clinical;
    }

    /** The agenda-group name a rule file writes. */
    public String groupName() {
        return groupName;
    }

    /** Whether a clinician's rule may run in this phase (the decision is the service's). */
    public boolean clinical() {
        return clinical;
    }

    /** The phases a clinician's rule may name, in order, for diagnostics. */
    static List<String> clinicalNames() {
        return Arrays.stream(values()).filter(Phase::clinical).map(Phase::groupName).toList();
    }

    /** The phase of this agenda-group name, or null. */
    static Phase ofGroupName(String name) {
        for (Phase p : values()) {
            if (p.groupName.equals(name)) {
                return p;
            }
        }
        return null;
    }
}
