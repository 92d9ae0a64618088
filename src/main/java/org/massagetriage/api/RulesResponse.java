package org.massagetriage.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;
import org.massagetriage.rules.Diagnostic;
import org.massagetriage.rules.ReloadAttempt;
import org.massagetriage.rules.RuleDescription;
import org.massagetriage.rules.RulesAdmin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answers of the rules endpoints, as explicit records of their own: what the engine keeps
 * internally can change without changing these JSON shapes.
 */
public final class RulesResponse {

    private RulesResponse() {
    }

    /** {@code GET /api/v1/rules}: the active rule set and the last reload attempt. */
    public record Active(String version, Instant loadedAt, String directory, List<String> files, List<Rule> rules,
                         Reload lastReload,
                         @Schema(description = "Per rule id, how often it fired in answered decisions since this"
                                 + " instance started (every rule of the set, 0 included)")
                         Map<String, Long> firedSinceStart,
                         @Schema(description = "The candidate waiting for approval (GET /api/v1/rules/pending), if any",
                                 nullable = true) String pendingVersion,
                         @Schema(description = "Per rule id, how many overridden CDS card feedback items name a decision"
                                 + " in which it fired, from the decision store (every rule of the set, 0 included);"
                                 + " null when the store cannot be read or recording is off", nullable = true)
                         Map<String, Long> overriddenByClinicians) {
        /** @param overrides per rule id, from the store (a rule never overridden absent); null when not available */
        static Active of(RulesAdmin.Snapshot s, ToLongFunction<String> fires, String pendingVersion,
                         Map<String, Long> overrides) {
            Map<String, Long> fired = new LinkedHashMap<>();
            s.rules().forEach(r -> fired.put(r.id(), fires.applyAsLong(r.id())));
            Map<String, Long> overridden = null;
            if (overrides != null) {
                overridden = new LinkedHashMap<>();
                for (RuleDescription r : s.rules()) {
                    overridden.put(r.id(), overrides.getOrDefault(r.id(), 0L));
                }
            }
            return new Active(s.version(), s.loadedAt(), s.directory(), s.files(),
                    s.rules().stream().map(Rule::of).toList(), Reload.of(s.lastReload()), fired, pendingVersion, overridden);
        }
    }

    /**
     * {@code POST /api/v1/rules/simulate}: what the rules answer for the facts; nothing is recorded.
     *
     * @param rules which rules answered: ACTIVE, PENDING (waiting for approval) or STORED (from the history)
     */
    public record Simulation(String version,
                             @Schema(enumeration = {"ACTIVE", "PENDING", "STORED"}) String rules,
                             @Schema(description = "Always false: a simulation is not a patient decision") boolean recorded,
                             @Schema(implementation = Outcome.class, type = SchemaType.STRING) String outcome, int urgency,
                             @Schema(type = SchemaType.ARRAY, implementation = AdviceKey.class) List<String> advice,
                             List<TriageResponse.Reason> reasons, List<String> missingFacts,
                             @Schema(description = "The outcome's text from the rules that answered") String outcomeText,
                             @Schema(description = "Each advice key's text from the rules that answered, in advice order")
                             List<TriageResponse.AdviceText> adviceTexts) {
    }

    /** {@code GET /api/v1/rules/files}: the rule files in the directory now (the serving ones, or an edit not live). */
    public record Files(String directory, List<FileEntry> files) {
    }

    /** @param tag send it back in If-Match when saving, so that nobody's edit is overwritten unseen */
    public record FileEntry(String name, String tag, int lines) {
    }

    /** {@code GET /api/v1/rules/files/{name}} as JSON. */
    public record File(String name, String tag, String content) {
    }

    /** A loaded rule: where it is, what it encodes, what it can conclude. */
    public record Rule(String id, String name, String source, List<SourceCitation> citations, String file, Integer line,
                       @Schema(implementation = Outcome.class, type = SchemaType.STRING, nullable = true) String outcome,
                       @Schema(type = SchemaType.ARRAY, implementation = AdviceKey.class) List<String> advice,
                       List<String> missingFacts) {
        static Rule of(RuleDescription r) {
            return new Rule(r.id(), r.name(), r.source(), SourceCitation.all(r.citations()), r.file(), r.line(), r.outcome() == null ? null : r.outcome().name(),
                    r.advice().stream().map(Enum::name).toList(), r.missingFacts());
        }
    }

    /** One reload attempt: {@code POST /api/v1/rules/reload} and {@code lastReload}. */
    public record Reload(Instant at,
                         @Schema(implementation = ReloadAttempt.Trigger.class, type = SchemaType.STRING) String trigger,
                         @Schema(implementation = ReloadAttempt.Result.class, type = SchemaType.STRING) String result,
                         String version, String activeVersion,
                         long durationMillis, List<DiagnosticView> diagnostics,
                         @Schema(nullable = true) ImpactView impact) {
        static Reload of(ReloadAttempt a) {
            return a == null ? null : new Reload(a.at(), a.trigger().name(), a.result().name(), a.version(),
                    a.activeVersion(), a.durationMillis(), DiagnosticView.all(a.diagnostics()), ImpactView.of(a.impact()));
        }
    }

    /**
     * {@code GET /api/v1/rules/pending}: the candidate waiting for approval, its impact, and what
     * changes against the serving rules.
     */
    public record Pending(String version, Instant at,
                          @Schema(implementation = ReloadAttempt.Trigger.class, type = SchemaType.STRING) String trigger,
                          @Schema(description = "The token subject of an API reload; it may not approve", nullable = true)
                          String requestedBy, String activeVersion, @Schema(nullable = true) ImpactView impact,
                          RuleSetView.Diff diff) {
    }

    /** {@code POST /api/v1/rules/validate}: the verdict on a candidate; nothing was activated. */
    public record Validation(boolean valid, String version, int rules, int scenarios, List<DiagnosticView> diagnostics,
                             @Schema(nullable = true) ImpactView impact) {
        static Validation of(RulesAdmin.Validation v) {
            return new Validation(v.diagnostics().isEmpty(), v.version(), v.rules(), v.scenarios(),
                    DiagnosticView.all(v.diagnostics()), ImpactView.of(v.impact()));
        }
    }

    /** One reason a candidate was rejected, at its file, line and column. */
    public record DiagnosticView(@Schema(implementation = Diagnostic.Kind.class, type = SchemaType.STRING) String kind,
                                 String file, Integer line, Integer column, String rule, String scenario,
                                 String message,
                                 @Schema(description = "For a failed scenario row only: what the row expects")
                                 @JsonInclude(JsonInclude.Include.NON_NULL) ScenarioAnswer expected,
                                 @Schema(description = "For a failed scenario row only: what the rules answered")
                                 @JsonInclude(JsonInclude.Include.NON_NULL) ScenarioAnswer actual) {
        static List<DiagnosticView> all(List<Diagnostic> diagnostics) {
            return diagnostics.stream().map(d -> new DiagnosticView(d.kind().name(), d.file(), d.line(), d.column(), d.rule(),
                    d.scenario(), d.message(), d.comparison() == null ? null : ScenarioAnswer.of(d.comparison().expected()),
                    d.comparison() == null ? null : ScenarioAnswer.of(d.comparison().actual()))).toList();
        }
    }

    /** One side of a failed scenario row; rules and missing facts sorted, as a row lists them. */
    public record ScenarioAnswer(String outcome, List<String> advice, List<String> rules, List<String> missingFacts) {
        static ScenarioAnswer of(Diagnostic.Answer a) {
            return new ScenarioAnswer(a.outcome(), a.advice(), a.rules(), a.missingFacts());
        }
    }
}
