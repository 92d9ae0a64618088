package org.massagetriage.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.massagetriage.rules.ImpactReport;

/**
 * What a candidate rule set changes against the active one, as clinicians read it: on the recorded
 * decisions of the window ({@code triage.rules.impact.window}) and on generated boundary cases.
 */
@Schema(description = "What the candidate changes against the active rules, before it goes live")
public record ImpactView(String candidateVersion, String activeVersion,
                         @Schema(description = "Recorded decisions of the window, distinct fact sets once; null when"
                                 + " recording is off or the store cannot be read", nullable = true) Part recorded,
                         @Schema(description = "Every fact at the thresholds each side, every value, every symptom alone"
                                 + " and in pairs") Part generated,
                         boolean downTriage,
                         @Schema(description = "Recording is on but the recorded decisions could not be read: their impact"
                                 + " is unknown (held for approval under down-triage)") boolean recordedUnavailable,
                         long millis) {

    /**
     * @param outcomes before (active rules) -> after (candidate) -> cases
     * @param ruleFires rule id -> [fires under the active rules, fires under the candidate]
     */
    public record Part(int cases, int outcomeChanged, Map<String, Map<String, Integer>> outcomes,
                       @Schema(description = "Cases the candidate answers less urgently") int downTriage,
                       List<Example> examples, Map<String, Integer> adviceAdded, Map<String, Integer> adviceRemoved,
                       int missingFactsChanged, Map<String, int[]> ruleFires,
                       @Schema(description = "Cases the active rules decide and the candidate cannot") int candidateFailures) {
        static Part of(ImpactReport.Part p) {
            return p == null ? null : new Part(p.cases(), p.outcomeChanged(), p.outcomes(), p.downTriage(),
                    p.examples().stream().map(e -> new Example(e.decisionId(), e.facts(), e.before(), e.after(),
                            e.rulesBefore(), e.rulesAfter())).toList(),
                    p.adviceAdded(), p.adviceRemoved(), p.missingFactsChanged(), p.ruleFires(), p.candidateFailures());
        }
    }

    /** @param decisionId the recorded decision, or null for a generated case */
    public record Example(@Schema(nullable = true) UUID decisionId, String facts, String before, String after,
                          List<String> rulesBefore, List<String> rulesAfter) {
    }

    static ImpactView of(ImpactReport r) {
        return r == null ? null : new ImpactView(r.candidateVersion(), r.activeVersion(), Part.of(r.recorded()),
                Part.of(r.generated()), r.downTriage(), r.recordedUnavailable(), r.millis());
    }
}
