package org.massagetriage.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The v1 request: how the patient feels after a massage. Every field is optional; an omitted field
 * means "not asked" and the service escalates rather than assume it normal. The enums here are the
 * public contract and are kept apart from the rules' fact types, so that neither can change the
 * other by accident (a test checks that they stay in step).
 */
@Schema(description = "How the patient feels after a massage. Every field is optional; omit what was not asked"
        + " (null is refused). Unknown fields and duplicate keys are refused.", additionalProperties = Schema.False.class)
public record TriageRequest(
        @Schema(description = "Hours since the massage ended", minimum = "0", maximum = "8760", example = "24")
        Integer hoursSinceMassage,
        @Schema(description = "How the pain feels") PainCharacter painCharacter,
        @Schema(description = "Numeric rating scale: 0 no pain, 10 worst imaginable", minimum = "0", maximum = "10",
                example = "3")
        Integer painSeverity,
        @Schema(description = "How the soreness is changing") Trend trend,
        @Schema(description = "Symptoms besides soreness; [] means none of these, each at most once", uniqueItems = true)
        List<Symptom> symptoms,
        @Schema(description = "Where it is sore") BodyRegion bodyRegion,
        @Schema(description = "Relevant history; each flag optional") History history) {

    public static final int MAX_HOURS_SINCE_MASSAGE = 8760;
    public static final int MAX_PAIN_SEVERITY = 10;

    @Schema(additionalProperties = Schema.False.class)
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
