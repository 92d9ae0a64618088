package org.massagetriage.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

/**
 * A fixed, seeded mix of presentations: every field sometimes missing, values biased towards the
 * common case (most patients report normal soreness), so that all outcomes and the safety net occur.
 */
public final class Presentations {

    private Presentations() {
    }

    public static List<Presentation> mix(long seed, int n) {
        Random r = new Random(seed);
        List<Presentation> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(random(r));
        }
        return out;
    }

    public static Presentation random(Random r) {
        Presentation.Builder b = Presentation.builder();
        if (r.nextInt(10) > 0) {
            b.hoursSinceMassage(r.nextInt(4) == 0 ? r.nextInt(8761) : r.nextInt(100));
        }
        if (r.nextInt(10) > 0) {
            b.painCharacter(r.nextInt(6) == 0 ? PainCharacter.SHARP : (r.nextBoolean() ? PainCharacter.DULL_ACHE : PainCharacter.STIFFNESS));
        }
        if (r.nextInt(10) > 0) {
            b.painSeverity(r.nextInt(11));
        }
        if (r.nextInt(10) > 0) {
            b.trend(Trend.values()[r.nextInt(6) == 0 ? 2 : r.nextInt(2)]);
        }
        if (r.nextInt(10) > 0) {
            Set<Symptom> s = EnumSet.noneOf(Symptom.class);
            if (r.nextInt(3) == 0) {
                int k = 1 + r.nextInt(3);
                for (int j = 0; j < k; j++) {
                    s.add(Symptom.values()[r.nextInt(Symptom.values().length)]);
                }
            }
            b.symptoms(s);
        }
        if (r.nextBoolean()) {
            b.bodyRegion(BodyRegion.values()[r.nextInt(BodyRegion.values().length)]);
        }
        if (r.nextBoolean()) {
            b.chronicLowBackPain(r.nextInt(5) == 0).recentSurgery(r.nextInt(8) == 0)
                    .preExistingCondition(r.nextInt(6) == 0).takesMedication(r.nextInt(4) == 0);
        }
        if (r.nextBoolean()) {
            b.takesAnticoagulant(r.nextInt(6) == 0);
        }
        return b.build();
    }
}
