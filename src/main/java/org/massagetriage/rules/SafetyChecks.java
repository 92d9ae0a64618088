package org.massagetriage.rules;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Threshold;

/**
 * Safety invariants every rule set must keep, whatever clinicians write, checked on a fixed set
 * of generated presentations before a rule set is accepted (scenario rows only check the cases
 * someone thought of): SELF_CARE only with every confirming fact known; comfort advice never at
 * URGENT_ASSESSMENT or EMERGENCY, nor with {@link Symptom#ONE_LEG_PAIN_AND_SWELLING} (a possible clot);
 * adding a symptom never lowers the urgency; and below EMERGENCY, a fact that was not given and is
 * not named in missingFacts cannot change the answer (the outcome; for facts other than history
 * flags also the advice), so nothing the patient could still say is silently left unasked.
 */
final class SafetyChecks {

    static final Set<AdviceKey> COMFORT = EnumSet.of(AdviceKey.APPLY_GENTLE_HEAT, AdviceKey.EPSOM_SALT_BATH,
            AdviceKey.GENTLE_STRETCHING, AdviceKey.LIGHT_MOVEMENT, AdviceKey.FOAM_ROLLING);
    /** Longer-term plans: at URGENT_ASSESSMENT or EMERGENCY they dilute the message to get seen now (review 1b). */
    static final Set<AdviceKey> NOT_WHEN_URGENT = EnumSet.of(AdviceKey.CONSIDER_PHYSIOTHERAPY,
            AdviceKey.MASSAGE_AS_PART_OF_BROADER_PLAN);
    private static final int SAMPLES = 400;
    private static final int MAX_REPORTED = 5;

    private SafetyChecks() {
    }

    static boolean confirmsNormalSoreness(Presentation p) {
        return p.getHoursSinceMassage() != null && p.getPainCharacter() != null && p.getPainSeverity() != null
                && p.getTrend() != null && p.getSymptoms() != null;
    }

    /**
     * Problems found, one line each (at most a few), or an empty list. The cases: every scenario row,
     * every row with one given fact left out (a rule's own case with the fact it reads missing: what
     * an ask rule is for, which random cases reach only by luck), and seeded random cases.
     */
    static List<String> check(RuleSet rules) {
        List<String> problems = new ArrayList<>();
        Random random = new Random(20261126L);
        int[] hours = hourEdges(rules);
        List<Presentation> cases = new ArrayList<>();
        // Keyed by all facts: rows that differ in one fact often give the same case once it is left out.
        Map<String, Presentation> leftOut = new LinkedHashMap<>();
        for (Scenario s : rules.scenarios()) {
            cases.add(s.presentation());
            for (Presentation p : withOneFactLeftOut(s.presentation())) {
                leftOut.putIfAbsent(describe(p), p);
            }
        }
        for (int i = 0; i < SAMPLES; i++) {
            cases.add(generate(random, hours));
        }
        for (Presentation p : cases) {
            if (problems.size() >= MAX_REPORTED) {
                return problems;
            }
            check(rules, p, random, hours, true, problems);
        }
        // The cases with a fact left out are there for what is asked; the symptom checks add nothing
        // to them that the full cases do not already cover, and would double the checking time.
        for (Presentation p : leftOut.values()) {
            if (problems.size() >= MAX_REPORTED) {
                return problems;
            }
            check(rules, p, random, hours, false, problems);
        }
        return problems;
    }

    private static void check(RuleSet rules, Presentation p, Random random, int[] hours, boolean withSymptomChecks,
                              List<String> problems) {
        Evaluation e;
        try {
            e = rules.evaluate(p);
        } catch (RuleSetDefectException defect) {
            problems.add(defect.getMessage() + ", for " + describe(p));
            return;
        }
        if (e.outcome() == Outcome.SELF_CARE && !confirmsNormalSoreness(p)) {
            problems.add("SELF_CARE although a confirming fact was not given, for " + describe(p));
        }
        if (e.outcome().getUrgency() >= Outcome.URGENT_ASSESSMENT.getUrgency()) {
            if (e.advice().stream().anyMatch(COMFORT::contains)) {
                problems.add("comfort advice at " + e.outcome() + " for " + describe(p));
            }
            if (e.advice().stream().anyMatch(NOT_WHEN_URGENT::contains)) {
                problems.add("advice that dilutes the message to get seen now (" + NOT_WHEN_URGENT + ") at " + e.outcome()
                        + " for " + describe(p));
            }
        }
        if (e.outcome() != Outcome.EMERGENCY) {
            unaskedFactThatMatters(rules, p, e, hours).ifPresent(problems::add);
        }
        if (!withSymptomChecks) {
            return;
        }
        // Every case once more with pain and swelling in one leg: random cases rarely hold it, and
        // comfort measures (massage, heat) on a leg with a possible clot are what must never happen.
        Presentation leg = with(p, Symptom.ONE_LEG_PAIN_AND_SWELLING);
        if (rules.evaluate(leg).advice().stream().anyMatch(COMFORT::contains)) {
            problems.add("comfort advice with ONE_LEG_PAIN_AND_SWELLING for " + describe(leg));
        }
        Symptom added = Symptom.values()[random.nextInt(Symptom.values().length)];
        Evaluation more;
        try {
            more = rules.evaluate(with(p, added));
        } catch (RuleSetDefectException defect) {
            problems.add(defect.getMessage() + ", for " + describe(with(p, added)));
            return;
        }
        if (more.outcome().getUrgency() < e.outcome().getUrgency()) {
            problems.add("adding " + added + " lowered " + e.outcome() + " to " + more.outcome() + " for " + describe(p));
        }
    }

    /** {@code p} once per fact (and history flag) it gives, with that one left out. */
    private static List<Presentation> withOneFactLeftOut(Presentation p) {
        List<Presentation> out = new ArrayList<>();
        for (Fact fact : Fact.values()) {
            if (fact.kind() == Fact.Kind.FLAGS) {
                for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                    if (flag.get(p) != null) {
                        Presentation.Builder b = Fact.copyOf(p);
                        flag.set(b, null);
                        out.add(b.build());
                    }
                }
            } else if (fact.get(p) != null) {
                Presentation.Builder b = Fact.copyOf(p);
                fact.set(b, null);
                out.add(b.build());
            }
        }
        return out;
    }

    /**
     * The first fact not given and not named in missingFacts whose answer would change the outcome
     * (or, except for history flags, the advice), described; empty when there is none. History flags
     * only add advice about history the patient already knows to tell, so an unasked flag may change
     * the advice, never the outcome.
     */
    private static Optional<String> unaskedFactThatMatters(RuleSet rules, Presentation p, Evaluation e,
                                                                    int[] hours) {
        for (Fact fact : Fact.values()) {
            if (fact.kind() == Fact.Kind.FLAGS) {
                for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                    String name = fact.factName() + "." + flag.flagName();
                    if (flag.get(p) != null || e.missingFacts().contains(name)) {
                        continue;
                    }
                    for (boolean value : new boolean[] {true, false}) {
                        Presentation.Builder b = Fact.copyOf(p);
                        flag.set(b, value);
                        Evaluation other = rules.evaluate(b.build());
                        if (other.outcome() != e.outcome()) {
                            return Optional.of(name + " was not asked, yet " + value + " changes " + e.outcome()
                                    + " to " + other.outcome() + ", for " + describe(p));
                        }
                    }
                }
                continue;
            }
            if (fact.get(p) != null || e.missingFacts().contains(fact.factName())) {
                continue;
            }
            for (Object value : candidates(fact, hours)) {
                Presentation.Builder b = Fact.copyOf(p);
                fact.set(b, value);
                Evaluation other = rules.evaluate(b.build());
                if (other.outcome() != e.outcome() || !other.advice().equals(e.advice())) {
                    return Optional.of(fact.factName() + " was not asked, yet " + value + " changes the answer ("
                            + e.outcome() + " " + e.advice() + " to " + other.outcome() + " " + other.advice() + "), for "
                            + describe(p));
                }
            }
        }
        return Optional.empty();
    }

    /** The values tried for a fact not given: the edges of whole numbers, every constant, each symptom alone. */
    private static List<Object> candidates(Fact fact, int[] hours) {
        List<Object> values = new ArrayList<>();
        switch (fact.kind()) {
            case WHOLE_NUMBER -> {
                if (fact == Fact.HOURS_SINCE_MASSAGE) {
                    for (int h : hours) {
                        values.add(h);
                    }
                } else {
                    for (int v = fact.min(); v <= fact.max(); v++) {
                        values.add(v);
                    }
                }
            }
            case ONE_OF -> values.addAll(fact.constants());
            case SET_OF -> {
                values.add(Set.of());
                for (Object c : fact.constants()) {
                    values.add(Set.of(c));
                }
            }
            case FLAGS -> {
            }
        }
        return values;
    }

    /** Hours the rules care about: 0, a year, and each threshold and the hour after it (72, 73, 120, 121). */
    private static int[] hourEdges(RuleSet rules) {
        TreeSet<Integer> edges = new TreeSet<>(List.of(0, 24, 48, Fact.HOURS_SINCE_MASSAGE.max()));
        for (Threshold t : rules.thresholds()) {
            for (int h : new int[] {t.getValue(), t.getValue() + 1}) {
                if (h >= Fact.HOURS_SINCE_MASSAGE.min() && h <= Fact.HOURS_SINCE_MASSAGE.max()) {
                    edges.add(h);
                }
            }
        }
        return edges.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Every fact sometimes missing; hours often at the edges that rules use (thresholds and the hour after). */
    private static Presentation generate(Random r, int[] hours) {
        Presentation.Builder b = Presentation.builder();
        for (Fact fact : Fact.values()) {
            switch (fact.kind()) {
                case WHOLE_NUMBER -> {
                    if (r.nextInt(6) > 0) {
                        boolean edge = fact == Fact.HOURS_SINCE_MASSAGE && r.nextBoolean();
                        fact.set(b, edge ? hours[r.nextInt(hours.length)] : fact.min() + r.nextInt(fact.max() - fact.min() + 1));
                    }
                }
                case ONE_OF -> {
                    if (r.nextInt(6) > 0) {
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
                    // Each flag on its own: true, false or not given (a client may send some flags only).
                    for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                        int v = r.nextInt(4);
                        flag.set(b, v == 0 ? null : v == 1);
                    }
                }
            }
        }
        return b.build();
    }

    private static Presentation with(Presentation p, Symptom s) {
        Set<Symptom> more = EnumSet.noneOf(Symptom.class);
        if (p.getSymptoms() != null) {
            more.addAll(p.getSymptoms());
        }
        more.add(s);
        return Fact.copyOf(p).symptoms(more).build();
    }

    /** Every fact of the case, flags included. */
    private static String describe(Presentation p) {
        return Fact.describe(p, List.of(Fact.values()));
    }
}
