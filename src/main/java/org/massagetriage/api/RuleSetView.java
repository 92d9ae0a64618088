package org.massagetriage.api;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import org.massagetriage.audit.RuleSetArchive;
import org.massagetriage.governance.RuleSetDiff;

/** The rule-set history as clients see it ({@code /api/v1/rulesets}). */
public final class RuleSetView {

    private RuleSetView() {
    }

    static String href(String version) {
        return "/api/v1/rulesets/" + version;
    }

    /** One rule set in a listing; {@code active}: serving on the instance that answered. */
    public record Item(String version, Instant storedAt, Instant lastActivatedAt, boolean active, int rules, int scenarios,
                       String href) {
        static Item of(RuleSetArchive.Summary s, String activeVersion) {
            return new Item(s.version(), s.storedAt(), s.lastActivatedAt(), s.version().equals(activeVersion), s.ruleCount(),
                    s.scenarioCount(), RuleSetView.href(s.version()));
        }
    }

    /** By latest activation, most recent first; pass {@code nextCursor} back as {@code cursor} (null on the last page). */
    public record Page(List<Item> items, String nextCursor) {
    }

    /** One activation: where, when, why, and who asked or approved. */
    public record Activation(String version, String previousVersion, Instant activatedAt, String trigger,
                             String requestedBy, String approvedBy, String approvalComment, String instance) {
        static Activation of(RuleSetArchive.Activation a) {
            return new Activation(a.version(), a.previousVersion(), a.activatedAt(), a.trigger(), a.requestedBy(),
                    a.approvedBy(), a.approvalComment(), a.instance());
        }
    }

    /** {@code version} compared with {@code against}: files ADDED, REMOVED or CHANGED with a unified diff; rules by id. */
    public record Diff(String version, String against, List<FileDiff> files, List<RuleChange> rules) {
        static Diff of(String version, String against, RuleSetDiff.Result d) {
            return new Diff(version, against,
                    d.files().stream().map(f -> new FileDiff(f.path(), f.status().name(), f.unifiedDiff())).toList(),
                    d.rules().stream().map(r -> new RuleChange(r.id(), r.change().name(), r.changed(), RuleText.of(r.before()),
                            RuleText.of(r.after()))).toList());
        }
    }

    /** @param status ADDED, REMOVED or CHANGED */
    public record FileDiff(String path, String status, String unifiedDiff) {
    }

    /**
     * @param change  ADDED, REMOVED or CHANGED
     * @param changed the parts that differ: name, file, condition, outcome, advice, missing, source, attributes,
     *                thresholds (a value the rule reads changed)
     */
    public record RuleChange(String id, String change, List<String> changed, RuleText before, RuleText after) {
    }

    /** A rule as a clinician reads it in its file. */
    public record RuleText(String id, String name, String file, String condition, String outcome, List<String> advice,
                           List<String> missing, String source, String attributes, SortedMap<String, String> thresholds) {
        static RuleText of(RuleSetDiff.RuleText t) {
            return t == null ? null : new RuleText(t.id(), t.name(), t.file(), t.condition(), t.outcome(), t.advice(),
                    t.missing(), t.source(), t.attributes(), t.thresholds());
        }
    }

    /**
     * A stored rule set: every file, its rules (id, name, file, line, outcome, advice, missingFacts,
     * source, cited source ids), and its latest activations (oldest of them first) of {@code activationCount}.
     */
    public record Detail(String version, Instant storedAt, boolean active, int scenarios, SortedMap<String, String> files,
                         JsonNode rules, int activationCount, List<Activation> activations,
                         @Schema(description = "Its impact against the rule set it first replaced (as a reload answered it)",
                                 nullable = true) JsonNode impact) {
    }
}
