package org.massagetriage.api;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.massagetriage.governance.DecisionReplay;

/** {@code POST /api/v1/decisions/{id}/replay}: the recorded answer, the same facts again, and under today's rules. */
public record ReplayView(
        UUID decisionId,
        Answer recorded,
        @Schema(description = "Under the recorded rule set, compiled from the history; null with why when it cannot be",
                nullable = true) Answer underRecordedRules,
        @Schema(description = "The recorded answer came out again exactly: outcome, advice in order, reasons, missing facts")
        boolean reproduced,
        @Schema(description = "Which of outcome, advice, reasons, missingFacts differ from the recorded answer")
        List<String> differences,
        @Schema(nullable = true) String why,
        @Schema(description = "Under the active rules; null with whyNotActive when they cannot decide", nullable = true)
        Answer underActiveRules,
        @Schema(description = "Which parts the active rules answer differently from the recorded answer")
        List<String> changedUnderActive,
        @Schema(nullable = true) String whyNotActive) {

    /** @param reasons the ids of the rules that concluded something, in firing order */
    public record Answer(String rulesetVersion, String outcome, List<String> advice, List<String> reasons,
                         List<String> missingFacts) {
        static Answer of(DecisionReplay.Answer a) {
            return a == null ? null : new Answer(a.rulesetVersion(), a.outcome(), a.advice(), a.reasons(), a.missingFacts());
        }
    }

    static ReplayView of(DecisionReplay.Result r) {
        return new ReplayView(r.decisionId(), Answer.of(r.recorded()), Answer.of(r.underRecordedRules()), r.reproduced(),
                r.differences(), r.why(), Answer.of(r.underActiveRules()), r.changedUnderActive(), r.whyNotActive());
    }
}
