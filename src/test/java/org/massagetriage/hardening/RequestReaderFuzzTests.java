package org.massagetriage.hardening;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.massagetriage.api.TriageRequestReader;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Presentation;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever bytes arrive, the request reader either returns a request or throws
 * InvalidRequestException naming fields: never another exception (which would become a 5xx).
 */
class RequestReaderFuzzTests {

    private final TriageRequestReader reader = new TriageRequestReader();

    @Property
    void arbitraryBytesGiveARequestOrAValidationError(@ForAll byte[] body) {
        read(body);
    }

    @Property
    void jsonLikeTextGivesARequestOrAValidationError(@ForAll("jsonish") String body) {
        read(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The two answers the reader may give, each checked for what the API then shows: a request
     * whose values are all in range (no null in the symptoms), or between 1 and 20 field errors,
     * each naming a field and saying what is wrong. Any other exception fails the property.
     */
    private void read(byte[] body) {
        Presentation request;
        try {
            request = reader.read(body).facts();
        } catch (InvalidRequestException e) {
            assertFalse(e.errors().isEmpty(), "a validation error without field errors");
            assertTrue(e.errors().size() <= MAX_ERRORS, () -> e.errors().size() + " field errors");
            for (Problem.FieldError error : e.errors()) {
                assertNotNull(error, "a null field error");
                assertTrue(error.field() != null && !error.field().isBlank(), () -> "no field named: " + error);
                assertTrue(error.detail() != null && !error.detail().isBlank(), () -> "no message: " + error);
            }
            return;
        }
        assertNotNull(request, "neither a request nor a validation error");
        assertInRange(request.getHoursSinceMassage(), Fact.HOURS_SINCE_MASSAGE.max(), "hoursSinceMassage");
        assertInRange(request.getPainSeverity(), Fact.PAIN_SEVERITY.max(), "painSeverity");
        if (request.getSymptoms() != null) {
            assertFalse(request.getSymptoms().contains(null), "a null symptom");
        }
    }

    /** As many field errors as a problem body lists at most (TriageRequestReader.MAX_ERRORS). */
    private static final int MAX_ERRORS = 20;

    private static void assertInRange(Integer value, int max, String field) {
        if (value != null) {
            assertTrue(value >= 0 && value <= max, () -> field + " out of range: " + value);
        }
    }

    /** Fragments of real requests, shuffled and joined: mostly almost-valid JSON, the interesting case. */
    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> token = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "null", "true", "false", "0", "-1",
                "7", "7.5", "1e400", "99999999999999999999", "\"hoursSinceMassage\"", "\"painCharacter\"", "\"painSeverity\"",
                "\"trend\"", "\"symptoms\"", "\"bodyRegion\"", "\"history\"", "\"recentSurgery\"", "\"SHARP\"", "\"FAINTING\"",
                "\"TINGLING\"", "\"IMPROVING\"", "\"x\"", " ", "\\u0000", "\\", "\uFFFF", "\uD800");
        return token.list().ofMaxSize(40).map(l -> String.join("", l));
    }
}
