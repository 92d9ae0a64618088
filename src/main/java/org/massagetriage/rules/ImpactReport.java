package org.massagetriage.rules;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a candidate rule set would change, against the active one: on the recorded decisions of a
 * window and on a generated set of boundary cases. Part of a reload's result, a validation's answer
 * and the stored rule set, so that an edit's effect on real patients is seen before it goes live.
 *
 * @param activeVersion       the rule set the candidate is compared with (what the service answers now)
 * @param recordedUnavailable recording is on but the recorded decisions could not be read: their impact is unknown
 */
public record ImpactReport(String candidateVersion, String activeVersion, Part recorded, Part generated, long millis,
                           boolean recordedUnavailable) {

    /** Down-triage examples kept per part. */
    public static final int MAX_EXAMPLES = 20;

    /**
     * One set of cases.
     *
     * @param outcomes      before -> after -> count, for every case (unchanged ones on the diagonal)
     * @param downTriage    cases the candidate answers less urgently than the active rules
     * @param examples      up to {@link #MAX_EXAMPLES} down-triaged cases
     * @param adviceAdded   advice key -> cases that gain it
     * @param adviceRemoved advice key -> cases that lose it
     * @param missingFactsChanged cases whose missing facts differ
     * @param ruleFires     rule id -> [fires before, fires after] (rules that fire in either)
     * @param candidateFailures cases the active rules decide and the candidate cannot (it would refuse them live)
     */
    public record Part(int cases, int outcomeChanged, Map<String, Map<String, Integer>> outcomes, int downTriage,
                       List<Example> examples, Map<String, Integer> adviceAdded, Map<String, Integer> adviceRemoved,
                       int missingFactsChanged, Map<String, int[]> ruleFires, int candidateFailures) {
    }

    /**
     * A down-triaged case.
     *
     * @param decisionId the recorded decision, or null for a generated case
     * @param facts      the case's facts as JSON, as a request would send them
     */
    public record Example(UUID decisionId, String facts, String before, String after, List<String> rulesBefore,
                          List<String> rulesAfter) {
    }

    public boolean downTriage() {
        return (recorded != null && recorded.downTriage() > 0) || (generated != null && generated.downTriage() > 0);
    }

    /**
     * Whether a clinician must look before it serves under {@code down-triage}: a down-triage, a case
     * the candidate cannot decide, or recorded decisions that could not be read (safety first).
     */
    public boolean needsReview() {
        return downTriage() || recordedUnavailable
                || (recorded != null && recorded.candidateFailures() > 0) || (generated != null && generated.candidateFailures() > 0);
    }
}
