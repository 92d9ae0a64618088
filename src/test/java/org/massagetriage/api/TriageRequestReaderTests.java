package org.massagetriage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Trend;

/**
 * Each request field lands in its own fact, and the audit record keeps the request as sent. The
 * history flags are given different values so that two flags swapped in the description of the
 * facts would show; "none of these" ([]) and "not asked" (absent) stay apart.
 */
class TriageRequestReaderTests {

    private final TriageRequestReader reader = new TriageRequestReader();

    private TriageRequestReader.Read read(String json) {
        return reader.read(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldMapEveryFieldToItsFact() {
        Presentation p = read("{\"hoursSinceMassage\": 80, \"painCharacter\": \"STIFFNESS\", \"painSeverity\": 6,"
                + " \"trend\": \"WORSENING\", \"symptoms\": [\"TINGLING\", \"BRUISING\"], \"bodyRegion\": \"NECK\","
                + " \"history\": {\"chronicLowBackPain\": true, \"recentSurgery\": false, \"takesMedication\": true}}").facts();
        assertEquals(80, p.getHoursSinceMassage());
        assertEquals(PainCharacter.STIFFNESS, p.getPainCharacter());
        assertEquals(6, p.getPainSeverity());
        assertEquals(Trend.WORSENING, p.getTrend());
        assertEquals(EnumSet.of(Symptom.TINGLING, Symptom.BRUISING), p.getSymptoms());
        assertEquals(BodyRegion.NECK, p.getBodyRegion());
        assertEquals(Boolean.TRUE, p.getChronicLowBackPain());
        assertEquals(Boolean.FALSE, p.getRecentSurgery());
        assertNull(p.getPreExistingCondition());
        assertEquals(Boolean.TRUE, p.getTakesMedication());
    }

    @Test
    void shouldKeepNoneOfTheseApartFromNotAsked() {
        assertEquals(Set.of(), read("{\"symptoms\": []}").facts().getSymptoms());
        Presentation notAsked = read("{}").facts();
        assertNull(notAsked.getSymptoms());
        assertNull(notAsked.getHoursSinceMassage());
        assertNull(notAsked.getChronicLowBackPain());
    }

    /** What the auditor reads back: the fields in contract order, symptoms in the order sent, an empty history kept. */
    @Test
    void shouldRecordTheRequestAsSent() {
        assertEquals("{\"painSeverity\":4,\"symptoms\":[\"TINGLING\",\"BRUISING\"],\"history\":{}}",
                read("{\"history\": {}, \"symptoms\": [\"TINGLING\", \"BRUISING\"], \"painSeverity\": 4}").recordedFacts());
        assertEquals("{\"history\":{\"recentSurgery\":true,\"takesMedication\":false}}",
                read("{\"history\": {\"takesMedication\": false, \"recentSurgery\": true}}").recordedFacts());
    }
}
