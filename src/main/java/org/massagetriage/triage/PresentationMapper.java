package org.massagetriage.triage;

import java.util.EnumSet;
import java.util.Set;

import org.massagetriage.api.TriageRequest;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

/**
 * Maps the public request to the rules' facts. Contract enums map to fact enums by name;
 * PresentationMapperTests fails the build if the two vocabularies drift apart.
 */
public final class PresentationMapper {

    private PresentationMapper() {
    }

    public static Presentation toPresentation(TriageRequest r) {
        Presentation.Builder b = Presentation.builder()
                .hoursSinceMassage(r.hoursSinceMassage())
                .painCharacter(byName(PainCharacter.class, r.painCharacter()))
                .painSeverity(r.painSeverity())
                .trend(byName(Trend.class, r.trend()))
                .bodyRegion(byName(BodyRegion.class, r.bodyRegion()));
        if (r.symptoms() != null) {
            Set<Symptom> symptoms = EnumSet.noneOf(Symptom.class);
            r.symptoms().forEach(s -> symptoms.add(byName(Symptom.class, s)));
            b.symptoms(symptoms);
        }
        TriageRequest.History h = r.history();
        if (h != null) {
            b.chronicLowBackPain(h.chronicLowBackPain())
                    .recentSurgery(h.recentSurgery())
                    .preExistingCondition(h.preExistingCondition())
                    .takesMedication(h.takesMedication());
        }
        return b.build();
    }

    static <T extends Enum<T>> T byName(Class<T> type, Enum<?> value) {
        return value == null ? null : Enum.valueOf(type, value.name());
    }
}
