package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;

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

    /** Every fact sometimes missing; hours often at the edges that rules use (72, 73, 8760). */
    private static Presentation generate(Random r) {
        Presentation.Builder b = Presentation.builder();
        for (Fact fact : Fact.values()) {
            switch (fact.kind()) {
                case WHOLE_NUMBER -> {
                    if (r.nextInt(6) > 0) {
                        boolean edge = fact == Fact.HOURS_SINCE_MASSAGE && r.nextBoolean();
                        fact.set(b, edge ? HOURS[r.nextInt(HOURS.length)] : fact.min() + r.nextInt(fact.max() - fact.min() + 1));
                    }
                }
                case ONE_OF -> {
                    // Where it is sore changes no safety invariant today; it stays unasked.
                    if (fact != Fact.BODY_REGION && r.nextInt(6) > 0) {
                        fact.set(b, fact.constants().get(r.nextInt(fact.constants().size())));
                    }
                }
                case SET_OF -> {
                    if (r.nextInt(6) > 0) {
                        Set<Object> values = new HashSet<>();
                        if (r.nextInt(3) == 0) {
                            values.add(fact.constants().get(r.nextInt(fact.constants().size())));
                        }
                        fact.set(b, values);
                    }
                }
                case FLAGS -> {
                    if (r.nextBoolean()) {
                        for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                            flag.set(b, r.nextBoolean());
                        }
                    }
                }
            }
        }
        return b.build();
    }

    private static final int[] HOURS = {0, 24, 48, 72, 73, 96, 8760};

    private static Presentation with(Presentation p, Symptom s) {
        Set<Symptom> more = EnumSet.noneOf(Symptom.class);
        if (p.getSymptoms() != null) {
            more.addAll(p.getSymptoms());
        }
        more.add(s);
        return Fact.copyOf(p).symptoms(more).build();
    }

    /** The facts that confirm normal soreness, which the checks are about. */
    private static String describe(Presentation p) {
        return Fact.describe(p, List.of(Fact.HOURS_SINCE_MASSAGE, Fact.PAIN_CHARACTER, Fact.PAIN_SEVERITY, Fact.TREND,
                Fact.SYMPTOMS));
    }
}
