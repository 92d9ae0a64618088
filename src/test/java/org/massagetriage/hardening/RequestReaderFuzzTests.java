package org.massagetriage.hardening;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;

import org.massagetriage.api.TriageRequestReader;
import org.massagetriage.http.InvalidRequestException;

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

    private void read(byte[] body) {
        try {
            reader.read(body);
        } catch (InvalidRequestException e) {
            assertFalse(e.errors().isEmpty());
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
