package org.massagetriage.api;

import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

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

    /** One rule set in a listing. */
    public record Item(String version, Instant storedAt, int rules, int scenarios, String href) {
        static Item of(RuleSetArchive.Summary s) {
            return new Item(s.version(), s.storedAt(), s.ruleCount(), s.scenarioCount(), RuleSetView.href(s.version()));
        }
    }

    /** Newest first; pass {@code nextCursor} back as {@code cursor} for the next page (null on the last). */
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
    public record Diff(String version, String against, List<RuleSetDiff.FileDiff> files, List<RuleSetDiff.RuleChange> rules) {
    }

    /** A stored rule set: every file, its rules as GET /api/v1/rules showed them, and its activations. */
    public record Detail(String version, Instant storedAt, int scenarios, SortedMap<String, String> files, JsonNode rules,
                         List<Activation> activations) {
    }
}
