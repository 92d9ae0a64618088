package org.massagetriage.facts;

/** Triage outcomes, in rising urgency; the urgency number is part of the public contract (0-3). */
public enum Outcome {
    SELF_CARE(0),
    CONTACT_THERAPIST(1),
    URGENT_ASSESSMENT(2),
    EMERGENCY(3);

    private final int urgency;

    Outcome(int urgency) {
        this.urgency = urgency;
    }

    public int getUrgency() {
        return urgency;
    }
}
