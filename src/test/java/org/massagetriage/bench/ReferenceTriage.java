package org.massagetriage.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

/**
 * The default rules' criteria (clinical content 1.1) written as plain Java: the limit of what the
 * logic costs, for the benchmark to compare the rule engine against, and a second, independent
 * encoding of the clinical review's issue that ReferenceTriageTests holds the rules to. Test code
 * only. The service never uses it: clinicians edit rules, not this.
 */
public final class ReferenceTriage {

    public record Result(Outcome outcome, List<AdviceKey> advice, List<String> missingFacts) {
    }

    // thresholds.properties
    private static final int NORMAL_SORENESS_HOURS = 72;
    private static final int IMPROVING_SORENESS_HOURS = 120;
    private static final int SEVERE_PAIN = 7;
    private static final int ANTICOAGULANT_SEVERE_BACK_PAIN = 8;

    private static final Set<Symptom> RED_FLAGS = EnumSet.of(Symptom.DIZZINESS, Symptom.FAINTING,
            Symptom.DIFFICULTY_MOVING, Symptom.BOWEL_OR_BLADDER_CHANGE, Symptom.CHEST_PAIN_OR_BREATHLESSNESS,
            Symptom.COUGHING_BLOOD, Symptom.SADDLE_NUMBNESS, Symptom.DIFFICULTY_PASSING_URINE_OR_INCONTINENCE,
            Symptom.LOSS_OF_BOWEL_CONTROL, Symptom.SYMPTOMS_IN_BOTH_LEGS, Symptom.SUDDEN_SEVERE_HEADACHE,
            Symptom.VISION_OR_SPEECH_PROBLEM, Symptom.ONE_SIDED_WEAKNESS_OR_NUMBNESS, Symptom.DARK_URINE);
    private static final Set<Symptom> URGENT_SIGNS = EnumSet.of(Symptom.SWELLING, Symptom.BRUISING, Symptom.NUMBNESS,
            Symptom.WEAKNESS, Symptom.TINGLING, Symptom.ONE_LEG_PAIN_AND_SWELLING, Symptom.FEVER,
            Symptom.LARGE_OR_SPREADING_BRUISE);
    private static final Set<Symptom> NERVE = EnumSet.of(Symptom.NUMBNESS, Symptom.WEAKNESS, Symptom.TINGLING);

    private static final List<AdviceKey> SELF_CARE = List.of(AdviceKey.HYDRATE, AdviceKey.APPLY_GENTLE_HEAT,
            AdviceKey.EPSOM_SALT_BATH, AdviceKey.GENTLE_STRETCHING, AdviceKey.LIGHT_MOVEMENT,
            AdviceKey.AVOID_STRENUOUS_ACTIVITY, AdviceKey.FOAM_ROLLING, AdviceKey.ANTI_INFLAMMATORY_FOODS,
            AdviceKey.ASK_BEFORE_PAIN_RELIEVERS);
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
        BodyRegion region = p.getBodyRegion();
        Boolean anticoagulant = p.getTakesAnticoagulant();
        boolean onAnticoagulant = Boolean.TRUE.equals(anticoagulant);
        boolean back = region == BodyRegion.LOWER_BACK || region == BodyRegion.UPPER_BACK;
        boolean nerve = s != null && s.stream().anyMatch(NERVE::contains);

        Outcome outcome = null;
        if (s != null && s.stream().anyMatch(RED_FLAGS::contains)
                || region == BodyRegion.NECK && nerve
                || onAnticoagulant && s != null && s.contains(Symptom.LARGE_OR_SPREADING_BRUISE)
                || onAnticoagulant && character == PainCharacter.SHARP && severity != null
                        && severity >= ANTICOAGULANT_SEVERE_BACK_PAIN && back) {
            outcome = Outcome.EMERGENCY;
        } else if (character == PainCharacter.SHARP || trend == Trend.WORSENING
                || s != null && s.stream().anyMatch(URGENT_SIGNS::contains)) {
            outcome = Outcome.URGENT_ASSESSMENT;
        } else if (hours != null && hours > NORMAL_SORENESS_HOURS && (trend == Trend.UNCHANGED || trend == Trend.WORSENING)
                || hours != null && hours > IMPROVING_SORENESS_HOURS
                || severity != null && severity >= SEVERE_PAIN
                || s != null && s.contains(Symptom.ANXIETY_OR_DISTRESS)) {
            outcome = Outcome.CONTACT_THERAPIST;
        } else if ((character == PainCharacter.DULL_ACHE || character == PainCharacter.STIFFNESS)
                && severity != null && severity < SEVERE_PAIN && s != null && s.isEmpty() && hours != null
                && (hours <= NORMAL_SORENESS_HOURS && (trend == Trend.IMPROVING || trend == Trend.UNCHANGED)
                    || hours <= IMPROVING_SORENESS_HOURS && trend == Trend.IMPROVING)) {
            outcome = Outcome.SELF_CARE;
        }
        boolean safetyNet = outcome == null;
        if (safetyNet) {
            outcome = Outcome.CONTACT_THERAPIST;
        }

        Set<AdviceKey> advice = new LinkedHashSet<>();
        if (safetyNet) {
            advice.add(AdviceKey.ANSWER_MISSING_QUESTIONS);
        }
        advice.addAll(switch (outcome) {
            case SELF_CARE -> SELF_CARE;
            case CONTACT_THERAPIST -> CONTACT;
            case URGENT_ASSESSMENT -> URGENT;
            case EMERGENCY -> EMERGENCY;
        });
        if (outcome == Outcome.SELF_CARE && hours <= NORMAL_SORENESS_HOURS) {
            advice.add(AdviceKey.EXPECT_RESOLUTION_IN_1_TO_3_DAYS);
        }
        if (outcome == Outcome.URGENT_ASSESSMENT && region == BodyRegion.LOWER_BACK && nerve) {
            advice.add(AdviceKey.WATCH_FOR_CAUDA_EQUINA_SIGNS);
        }
        if (outcome == Outcome.SELF_CARE) {
            advice.add(AdviceKey.SEEK_HELP_IF_NOT_SETTLING);
        }
        if (s != null && s.contains(Symptom.ANXIETY_OR_DISTRESS)) {
            advice.add(AdviceKey.DISCUSS_FEELINGS_WITH_THERAPIST);
        }
        if (Boolean.TRUE.equals(p.getChronicLowBackPain()) || Boolean.TRUE.equals(p.getRecentSurgery())
                || Boolean.TRUE.equals(p.getPreExistingCondition()) || Boolean.TRUE.equals(p.getTakesMedication())
                || onAnticoagulant) {
            advice.add(AdviceKey.INFORM_THERAPIST_OF_HISTORY);
        }
        if (Boolean.TRUE.equals(p.getChronicLowBackPain()) && outcome.getUrgency() <= Outcome.CONTACT_THERAPIST.getUrgency()) {
            advice.add(AdviceKey.CONSIDER_PHYSIOTHERAPY);
            advice.add(AdviceKey.MASSAGE_AS_PART_OF_BROADER_PLAN);
        }

        // Missing facts: not given, and with the other answers still missing able to change the answer.
        // The blood-thinner back-pain rule is still possible while each of its facts is unknown or fits.
        boolean anticoagulantOpen = anticoagulant == null || anticoagulant;
        boolean backOpen = region == null || back;
        boolean sharpOpen = character == null || character == PainCharacter.SHARP;
        boolean severeOpen = severity == null || severity >= ANTICOAGULANT_SEVERE_BACK_PAIN;
        boolean notEmergency = outcome != Outcome.EMERGENCY;
        List<String> missing = new ArrayList<>(7);
        if (safetyNet && hours == null) {
            missing.add("hoursSinceMassage");
        }
        if (character == null && (outcome.getUrgency() < Outcome.URGENT_ASSESSMENT.getUrgency()
                || outcome == Outcome.URGENT_ASSESSMENT && anticoagulantOpen && backOpen && severeOpen)) {
            missing.add("painCharacter");
        }
        if (severity == null && (safetyNet || notEmergency && anticoagulantOpen && backOpen && sharpOpen)) {
            missing.add("painSeverity");
        }
        if (outcome.getUrgency() < Outcome.URGENT_ASSESSMENT.getUrgency() && trend == null) {
            missing.add("trend");
        }
        if (notEmergency && s == null) {
            missing.add("symptoms");
        }
        if (notEmergency && region == null && (s == null || nerve || anticoagulantOpen && sharpOpen && severeOpen)) {
            missing.add("bodyRegion");
        }
        if (notEmergency && anticoagulant == null && (s == null || s.contains(Symptom.LARGE_OR_SPREADING_BRUISE)
                || backOpen && sharpOpen && severeOpen)) {
            missing.add("history.takesAnticoagulant");
        }
        return new Result(outcome, List.copyOf(advice), missing);
    }
}
