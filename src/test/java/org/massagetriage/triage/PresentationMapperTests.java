package org.massagetriage.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.massagetriage.api.TriageRequest;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

/** The contract's enums and the rules' fact enums are separate on purpose; they must stay in step. */
class PresentationMapperTests {

    @Test
    void shouldKeepContractAndFactVocabulariesInStep() {
        assertEquals(names(TriageRequest.PainCharacter.values()), names(PainCharacter.values()));
        assertEquals(names(TriageRequest.Trend.values()), names(Trend.values()));
        assertEquals(names(TriageRequest.Symptom.values()), names(Symptom.values()));
        assertEquals(names(TriageRequest.BodyRegion.values()), names(BodyRegion.values()));
    }

    @Test
    void shouldMapEveryFieldAndKeepNotAskedApartFromNone() {
        Presentation p = PresentationMapper.toPresentation(new TriageRequest(80, TriageRequest.PainCharacter.STIFFNESS, 4,
                TriageRequest.Trend.WORSENING, List.of(TriageRequest.Symptom.TINGLING, TriageRequest.Symptom.FAINTING),
                TriageRequest.BodyRegion.NECK, new TriageRequest.History(true, false, null, true)));
        assertEquals(80, p.getHoursSinceMassage());
        assertEquals(PainCharacter.STIFFNESS, p.getPainCharacter());
        assertEquals(4, p.getPainSeverity());
        assertEquals(Trend.WORSENING, p.getTrend());
        assertEquals(EnumSet.of(Symptom.TINGLING, Symptom.FAINTING), p.getSymptoms());
        assertEquals(BodyRegion.NECK, p.getBodyRegion());
        assertEquals(Boolean.TRUE, p.getChronicLowBackPain());
        assertEquals(Boolean.FALSE, p.getRecentSurgery());
        assertNull(p.getPreExistingCondition());
        assertEquals(Boolean.TRUE, p.getTakesMedication());

        Presentation none = PresentationMapper.toPresentation(new TriageRequest(null, null, null, null, List.of(), null, null));
        assertEquals(EnumSet.noneOf(Symptom.class), none.getSymptoms());
        Presentation notAsked = PresentationMapper.toPresentation(new TriageRequest(null, null, null, null, null, null, null));
        assertNull(notAsked.getSymptoms());
        assertNull(notAsked.getRecentSurgery());
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }
}
