package org.massagetriage.governance;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random triage requests biased to the edges the history tests' edits move (48 to 72 hours,
 * severity 7 and 8), every field sometimes omitted, so that the same cases answer differently
 * under successive rule sets.
 */
public final class TriageRequests {

    private static final String[] CHARACTERS = {"DULL_ACHE", "STIFFNESS", "SHARP"};
    private static final String[] TRENDS = {"IMPROVING", "UNCHANGED", "WORSENING"};
    private static final String[] SYMPTOMS = {"", "\"TINGLING\"", "\"SWELLING\"", "\"FAINTING\"", "\"ANXIETY_OR_DISTRESS\""};

    private TriageRequests() {
    }

    public static String random(Random r) {
        List<String> fields = new ArrayList<>();
        if (r.nextInt(8) > 0) {
            fields.add("\"hoursSinceMassage\": " + (40 + r.nextInt(40)));
        }
        if (r.nextInt(8) > 0) {
            fields.add("\"painCharacter\": \"" + CHARACTERS[r.nextInt(6) == 0 ? 2 : r.nextInt(2)] + "\"");
        }
        if (r.nextInt(8) > 0) {
            fields.add("\"painSeverity\": " + (4 + r.nextInt(5)));
        }
        if (r.nextInt(8) > 0) {
            fields.add("\"trend\": \"" + TRENDS[r.nextInt(5) == 0 ? 2 : r.nextInt(2)] + "\"");
        }
        if (r.nextInt(8) > 0) {
            fields.add("\"symptoms\": [" + SYMPTOMS[r.nextInt(4) == 0 ? 1 + r.nextInt(4) : 0] + "]");
        }
        return "{" + String.join(", ", fields) + "}";
    }
}
