package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

/**
 * Safety invariants every rule set must keep, whatever clinicians write, checked on a fixed set
 * of generated presentations before a rule set is accepted (scenario rows only check the cases
 * someone thought of): SELF_CARE only with every confirming fact known; comfort advice never at
 * URGENT_ASSESSMENT or EMERGENCY; adding a symptom never lowers the urgency.
 */
final class SafetyChecks {

    static final Set<AdviceKey> COMFORT = EnumSet.of(AdviceKey.APPLY_GENTLE_HEAT, AdviceKey.EPSOM_SALT_BATH,
            AdviceKey.GENTLE_STRETCHING, AdviceKey.LIGHT_MOVEMENT, AdviceKey.FOAM_ROLLING);
    private static final int SAMPLES = 600;
    private static final int MAX_REPORTED = 5;

    private SafetyChecks() {
    }

    static boolean confirmsNormalSoreness(Presentation p) {
        return p.getHoursSinceMassage() != null && p.getPainCharacter() != null && p.getPainSeverity() != null
                && p.getTrend() != null && p.getSymptoms() != null;
    }

    /** Problems found, one line each (at most a few), or an empty list. */
    static List<String> check(RuleSet rules) {
        List<String> problems = new ArrayList<>();
        Random random = new Random(20261126L);
        for (int i = 0; i < SAMPLES && problems.size() < MAX_REPORTED; i++) {
            Presentation p = generate(random);
            Evaluation e;
            try {
                e = rules.evaluate(p);
            } catch (RuleSetDefectException defect) {
                problems.add(defect.getMessage() + ", for " + describe(p));
                continue;
            }
            if (e.outcome() == Outcome.SELF_CARE && !confirmsNormalSoreness(p)) {
                problems.add("SELF_CARE although a confirming fact was not given, for " + describe(p));
            }
            if (e.outcome().getUrgency() >= Outcome.URGENT_ASSESSMENT.getUrgency()
                    && e.advice().stream().anyMatch(COMFORT::contains)) {
                problems.add("comfort advice at " + e.outcome() + " for " + describe(p));
            }
            Symptom added = Symptom.values()[random.nextInt(Symptom.values().length)];
            Evaluation more;
            try {
                more = rules.evaluate(with(p, added));
            } catch (RuleSetDefectException defect) {
                problems.add(defect.getMessage() + ", for " + describe(with(p, added)));
                continue;
            }
            if (more.outcome().getUrgency() < e.outcome().getUrgency()) {
                problems.add("adding " + added + " lowered " + e.outcome() + " to " + more.outcome() + " for " + describe(p));
            }
        }
        return problems;
    }

    private static Presentation generate(Random r) {
        Presentation.Builder b = Presentation.builder();
        if (r.nextInt(6) > 0) {
            int[] hours = {0, 24, 48, 72, 73, 96, 8760};
            b.hoursSinceMassage(r.nextBoolean() ? hours[r.nextInt(hours.length)] : r.nextInt(8761));
        }
        if (r.nextInt(6) > 0) {
            b.painCharacter(PainCharacter.values()[r.nextInt(PainCharacter.values().length)]);
        }
        if (r.nextInt(6) > 0) {
            b.painSeverity(r.nextInt(11));
        }
        if (r.nextInt(6) > 0) {
            b.trend(Trend.values()[r.nextInt(Trend.values().length)]);
        }
        if (r.nextInt(6) > 0) {
            Set<Symptom> s = EnumSet.noneOf(Symptom.class);
            if (r.nextInt(3) == 0) {
                s.add(Symptom.values()[r.nextInt(Symptom.values().length)]);
            }
            b.symptoms(s);
        }
        if (r.nextBoolean()) {
            b.chronicLowBackPain(r.nextBoolean()).recentSurgery(r.nextBoolean())
                    .preExistingCondition(r.nextBoolean()).takesMedication(r.nextBoolean());
        }
        return b.build();
    }

    private static Presentation with(Presentation p, Symptom s) {
        Set<Symptom> more = EnumSet.noneOf(Symptom.class);
        if (p.getSymptoms() != null) {
            more.addAll(p.getSymptoms());
        }
        more.add(s);
        return Presentation.builder().hoursSinceMassage(p.getHoursSinceMassage()).painCharacter(p.getPainCharacter())
                .painSeverity(p.getPainSeverity()).trend(p.getTrend()).symptoms(more).bodyRegion(p.getBodyRegion())
                .chronicLowBackPain(p.getChronicLowBackPain()).recentSurgery(p.getRecentSurgery())
                .preExistingCondition(p.getPreExistingCondition()).takesMedication(p.getTakesMedication()).build();
    }

    private static String describe(Presentation p) {
        return "{hoursSinceMassage=" + p.getHoursSinceMassage() + ", painCharacter=" + p.getPainCharacter()
                + ", painSeverity=" + p.getPainSeverity() + ", trend=" + p.getTrend() + ", symptoms=" + p.getSymptoms() + "}";
    }
}
