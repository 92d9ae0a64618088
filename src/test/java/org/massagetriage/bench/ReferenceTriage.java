package org.massagetriage.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

/**
 * The default rules' criteria written as plain Java: the limit of what the logic costs, for the
 * benchmark to compare the rule engine against. Test code only; ReferenceTriageTests keeps it in
 * agreement with the rules. The service never uses it: clinicians edit rules, not this.
 */
public final class ReferenceTriage {

    public record Result(Outcome outcome, List<AdviceKey> advice, List<String> missingFacts) {
    }

    private static final List<AdviceKey> SELF_CARE = List.of(AdviceKey.HYDRATE, AdviceKey.APPLY_GENTLE_HEAT,
            AdviceKey.EPSOM_SALT_BATH, AdviceKey.GENTLE_STRETCHING, AdviceKey.LIGHT_MOVEMENT,
            AdviceKey.AVOID_STRENUOUS_ACTIVITY, AdviceKey.FOAM_ROLLING, AdviceKey.ANTI_INFLAMMATORY_FOODS,
            AdviceKey.ASK_BEFORE_PAIN_RELIEVERS, AdviceKey.EXPECT_RESOLUTION_IN_1_TO_3_DAYS);
    private static final List<AdviceKey> CONTACT = List.of(AdviceKey.CONTACT_THERAPIST_PROMPTLY,
            AdviceKey.KEEP_SORENESS_JOURNAL, AdviceKey.HYDRATE, AdviceKey.AVOID_STRENUOUS_ACTIVITY);
    private static final List<AdviceKey> URGENT = List.of(AdviceKey.SEEK_URGENT_ASSESSMENT, AdviceKey.REPORT_ALL_SYMPTOMS,
            AdviceKey.AVOID_STRENUOUS_ACTIVITY);
    private static final List<AdviceKey> EMERGENCY = List.of(AdviceKey.SEEK_MEDICAL_ATTENTION_IMMEDIATELY,
            AdviceKey.REPORT_ALL_SYMPTOMS);

    private ReferenceTriage() {
    }

    public static Result evaluate(Presentation p) {
        Set<Symptom> s = p.getSymptoms();
        Integer hours = p.getHoursSinceMassage();
        Integer severity = p.getPainSeverity();
        Trend trend = p.getTrend();
        PainCharacter character = p.getPainCharacter();

        Outcome outcome = null;
        if (s != null && (s.contains(Symptom.DIZZINESS) || s.contains(Symptom.FAINTING)
                || s.contains(Symptom.DIFFICULTY_MOVING) || s.contains(Symptom.BOWEL_OR_BLADDER_CHANGE))) {
            outcome = Outcome.EMERGENCY;
        } else if (character == PainCharacter.SHARP || trend == Trend.WORSENING || (s != null
                && (s.contains(Symptom.SWELLING) || s.contains(Symptom.BRUISING) || s.contains(Symptom.NUMBNESS)
                || s.contains(Symptom.WEAKNESS)))) {
            outcome = Outcome.URGENT_ASSESSMENT;
        } else if ((hours != null && hours > 72 && (trend == Trend.UNCHANGED || trend == Trend.WORSENING))
                || (severity != null && severity >= 7)
                || (s != null && (s.contains(Symptom.TINGLING) || s.contains(Symptom.ANXIETY_OR_DISTRESS)))) {
            outcome = Outcome.CONTACT_THERAPIST;
        } else if ((character == PainCharacter.DULL_ACHE || character == PainCharacter.STIFFNESS)
                && severity != null && severity < 7 && (trend == Trend.IMPROVING || trend == Trend.UNCHANGED)
                && s != null && s.isEmpty() && hours != null && (hours <= 72 || trend == Trend.IMPROVING)) {
            outcome = Outcome.SELF_CARE;
        }
        boolean safetyNet = outcome == null;
        if (safetyNet) {
            outcome = Outcome.CONTACT_THERAPIST;
        }

        Set<AdviceKey> advice = new LinkedHashSet<>(switch (outcome) {
            case SELF_CARE -> SELF_CARE;
            case CONTACT_THERAPIST -> CONTACT;
            case URGENT_ASSESSMENT -> URGENT;
            case EMERGENCY -> EMERGENCY;
        });
        if (s != null && s.contains(Symptom.ANXIETY_OR_DISTRESS)) {
            advice.add(AdviceKey.DISCUSS_FEELINGS_WITH_THERAPIST);
        }
        if (Boolean.TRUE.equals(p.getChronicLowBackPain()) || Boolean.TRUE.equals(p.getRecentSurgery())
                || Boolean.TRUE.equals(p.getPreExistingCondition()) || Boolean.TRUE.equals(p.getTakesMedication())) {
            advice.add(AdviceKey.INFORM_THERAPIST_OF_HISTORY);
        }
        if (Boolean.TRUE.equals(p.getChronicLowBackPain())) {
            advice.add(AdviceKey.CONSIDER_PHYSIOTHERAPY);
            advice.add(AdviceKey.MASSAGE_AS_PART_OF_BROADER_PLAN);
        }

        List<String> missing = new ArrayList<>(5);
        if (safetyNet && hours == null) {
            missing.add("hoursSinceMassage");
        }
        if (outcome.getUrgency() < 2 && character == null) {
            missing.add("painCharacter");
        }
        if (safetyNet && severity == null) {
            missing.add("painSeverity");
        }
        if (outcome.getUrgency() < 2 && trend == null) {
            missing.add("trend");
        }
        if (outcome != Outcome.EMERGENCY && s == null) {
            missing.add("symptoms");
        }
        return new Result(outcome, List.copyOf(advice), missing);
    }
}
