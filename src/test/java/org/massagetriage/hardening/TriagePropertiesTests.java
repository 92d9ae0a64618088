package org.massagetriage.hardening;

import org.massagetriage.rules.DefaultRules;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.RuleSet;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Safety invariants of the real rules, over generated presentations (every field may be missing):
 * more concerning facts never lower the urgency, taking a fact away never yields SELF_CARE where
 * there was none, comfort advice never reaches URGENT_ASSESSMENT or EMERGENCY, and the answer is a
 * function of the input. 1,000 tries per property in the normal run; 100,000 with -Preliability.
 */
class TriagePropertiesTests {

    static final Set<AdviceKey> COMFORT = EnumSet.of(AdviceKey.APPLY_GENTLE_HEAT, AdviceKey.EPSOM_SALT_BATH,
            AdviceKey.GENTLE_STRETCHING, AdviceKey.LIGHT_MOVEMENT, AdviceKey.FOAM_ROLLING);
    static final RuleSet RULES = load();

    static RuleSet load() {
        return DefaultRules.load();
    }

    @AfterContainer
    static void close() {
        RULES.close();
    }

    /** Mutable mirror of a presentation, so properties can change one fact at a time. */
    record Facts(Integer hours, PainCharacter character, Integer severity, Trend trend, Set<Symptom> symptoms,
                 BodyRegion region, Boolean chronic, Boolean surgery, Boolean condition, Boolean medication) {

        Presentation toPresentation() {
            return Presentation.builder().hoursSinceMassage(hours).painCharacter(character).painSeverity(severity)
                    .trend(trend).symptoms(symptoms).bodyRegion(region).chronicLowBackPain(chronic)
                    .recentSurgery(surgery).preExistingCondition(condition).takesMedication(medication).build();
        }

        Facts withSymptom(Symptom s) {
            Set<Symptom> more = symptoms == null ? EnumSet.noneOf(Symptom.class) : EnumSet.copyOf(symptoms.isEmpty()
                    ? EnumSet.noneOf(Symptom.class) : symptoms);
            more.add(s);
            return new Facts(hours, character, severity, trend, more, region, chronic, surgery, condition, medication);
        }

        Facts withTrend(Trend t) {
            return new Facts(hours, character, severity, t, symptoms, region, chronic, surgery, condition, medication);
        }

        Facts withSeverity(Integer s) {
            return new Facts(hours, character, s, trend, symptoms, region, chronic, surgery, condition, medication);
        }

        Facts without(int field) {
            return new Facts(field == 0 ? null : hours, field == 1 ? null : character, field == 2 ? null : severity,
                    field == 3 ? null : trend, field == 4 ? null : symptoms, field == 5 ? null : region,
                    field == 6 ? null : chronic, field == 6 ? null : surgery, field == 6 ? null : condition,
                    field == 6 ? null : medication);
        }
    }

    @Provide
    Arbitrary<Facts> facts() {
        return Builders.withBuilder(() -> new Object[10])
                .use(Arbitraries.integers().between(0, 8760).edgeCases(c -> c.add(72).add(73)).injectNull(0.15))
                .in((a, v) -> { a[0] = v; return a; })
                .use(Arbitraries.of(PainCharacter.class).injectNull(0.15)).in((a, v) -> { a[1] = v; return a; })
                .use(Arbitraries.integers().between(0, 10).injectNull(0.15)).in((a, v) -> { a[2] = v; return a; })
                .use(Arbitraries.of(Trend.class).injectNull(0.15)).in((a, v) -> { a[3] = v; return a; })
                .use(Arbitraries.of(Symptom.class).set().ofMaxSize(4).injectNull(0.15)).in((a, v) -> { a[4] = v; return a; })
                .use(Arbitraries.of(BodyRegion.class).injectNull(0.3)).in((a, v) -> { a[5] = v; return a; })
                .use(Arbitraries.of(Boolean.TRUE, Boolean.FALSE).injectNull(0.3).list().ofSize(4))
                .in((a, v) -> { a[6] = v.get(0); a[7] = v.get(1); a[8] = v.get(2); a[9] = v.get(3); return a; })
                .build(a -> new Facts((Integer) a[0], (PainCharacter) a[1], (Integer) a[2], (Trend) a[3],
                        asSymptoms(a[4]), (BodyRegion) a[5], (Boolean) a[6], (Boolean) a[7], (Boolean) a[8], (Boolean) a[9]));
    }

    @SuppressWarnings("unchecked")
    private static Set<Symptom> asSymptoms(Object o) {
        return o == null ? null : (Set<Symptom>) o;
    }

    static Evaluation eval(Facts f) {
        return RULES.evaluate(f.toPresentation());
    }

    @Property
    void addingAnySymptomNeverLowersUrgency(@ForAll("facts") Facts f, @ForAll Symptom s) {
        assertTrue(eval(f.withSymptom(s)).outcome().getUrgency() >= eval(f).outcome().getUrgency());
    }

    @Property
    void worseningNeverLowersUrgency(@ForAll("facts") Facts f) {
        assertTrue(eval(f.withTrend(Trend.WORSENING)).outcome().getUrgency() >= eval(f).outcome().getUrgency());
    }

    @Property
    void aHigherSeverityNeverLowersUrgency(@ForAll("facts") Facts f, @ForAll("severities") int higher) {
        if (f.severity() == null || higher <= f.severity()) {
            return;
        }
        assertTrue(eval(f.withSeverity(higher)).outcome().getUrgency() >= eval(f).outcome().getUrgency());
    }

    @Provide
    Arbitrary<Integer> severities() {
        return Arbitraries.integers().between(0, 10);
    }

    @Property
    void removingAFactNeverTurnsAConcernIntoSelfCare(@ForAll("facts") Facts f, @ForAll("fields") int field) {
        if (eval(f).outcome() != Outcome.SELF_CARE) {
            assertEquals(false, eval(f.without(field)).outcome() == Outcome.SELF_CARE, () -> "without field " + field);
        }
    }

    @Provide
    Arbitrary<Integer> fields() {
        return Arbitraries.integers().between(0, 6);
    }

    @Property
    void comfortAdviceNeverAtUrgentAssessmentOrEmergency(@ForAll("facts") Facts f) {
        Evaluation e = eval(f);
        if (e.outcome().getUrgency() >= Outcome.URGENT_ASSESSMENT.getUrgency()) {
            assertTrue(e.advice().stream().noneMatch(COMFORT::contains), e.advice()::toString);
        }
    }

    @Property
    void theSameInputAlwaysGivesTheSameAnswer(@ForAll("facts") Facts f) {
        Evaluation a = eval(f);
        Evaluation b = eval(f);
        assertEquals(a.outcome(), b.outcome());
        assertEquals(a.advice(), b.advice());
        assertEquals(a.missingFacts(), b.missingFacts());
        assertEquals(a.firedRuleIds(), b.firedRuleIds());
        assertEquals(List.copyOf(a.reasons()), List.copyOf(b.reasons()));
    }

    @Property
    void selfCareOnlyWhenEveryConfirmingFactIsKnown(@ForAll("facts") Facts f) {
        if (eval(f).outcome() == Outcome.SELF_CARE) {
            assertFalse(f.hours() == null || f.character() == null || f.severity() == null || f.trend() == null
                    || f.symptoms() == null);
        }
    }
}
