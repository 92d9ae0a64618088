package org.massagetriage.api;

import java.util.List;

/**
 * The v1 request: how the patient feels after a massage. Every field is optional; an omitted field
 * means "not asked" and the service escalates rather than assume it normal. The enums here are the
 * public contract and are kept apart from the rules' fact types, so that neither can change the
 * other by accident (a test checks that they stay in step).
 */
public record TriageRequest(Integer hoursSinceMassage, PainCharacter painCharacter, Integer painSeverity, Trend trend,
                            List<Symptom> symptoms, BodyRegion bodyRegion, History history) {

    public static final int MAX_HOURS_SINCE_MASSAGE = 8760;
    public static final int MAX_PAIN_SEVERITY = 10;

    public record History(Boolean chronicLowBackPain, Boolean recentSurgery, Boolean preExistingCondition,
                          Boolean takesMedication) {
    }

    public enum PainCharacter { DULL_ACHE, STIFFNESS, SHARP }

    public enum Trend { IMPROVING, UNCHANGED, WORSENING }

    public enum Symptom {
        SWELLING, BRUISING, NUMBNESS, TINGLING, WEAKNESS, DIZZINESS, FAINTING, DIFFICULTY_MOVING,
        BOWEL_OR_BLADDER_CHANGE, ANXIETY_OR_DISTRESS
    }

    public enum BodyRegion { LOWER_BACK, UPPER_BACK, NECK, SHOULDERS, ARMS, LEGS, OTHER }
}
