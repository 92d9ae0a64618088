package org.massagetriage.rules;

import java.time.Instant;
import java.util.List;

/**
 * What happened to one candidate rule set.
 *
 * @param version     the candidate's content hash (null if the directory could not be read)
 * @param activeVersion the version serving after the attempt (null if none is active)
 * @param impact        what an accepted candidate changes against the rules it replaced (null at start-up,
 *                      when nothing was compared)
 */
public record ReloadAttempt(Instant at, Trigger trigger, Result result, String version, String activeVersion,
                            long durationMillis, List<Diagnostic> diagnostics, ImpactReport impact) {

    /**
     * What started the attempt: the start, an edit seen in the directory, {@code POST
     * /api/v1/rules/reload}, an approval, or a file saved through {@code PUT /api/v1/rules/files/{name}}
     * (its author recorded as the requester).
     */
    public enum Trigger { STARTUP, FILE_CHANGE, MANUAL, APPROVAL, FILE_SAVE }

    public enum Result {
        /** Compiled, checked and now serving. */
        ACCEPTED,
        /** Rejected; the previous rule set keeps serving. */
        REJECTED,
        /** The files are the ones already serving; nothing was swapped. */
        UNCHANGED,
        /** Passed every check; waits for a second clinician's approval (triage.rules.approval); the previous rules serve. */
        PENDING_APPROVAL
    }

    public ReloadAttempt {
        diagnostics = List.copyOf(diagnostics);
    }
}
