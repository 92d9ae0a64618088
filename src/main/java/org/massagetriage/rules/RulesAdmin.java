package org.massagetriage.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Rule administration: what is serving, a manual reload, and validation of a candidate that
 * activates nothing. Reload and validation complete asynchronously on the rules thread, so a
 * caller never holds a request thread while it waits.
 */
@ApplicationScoped
public class RulesAdmin {

    private final RuleSetRegistry registry;

    public RulesAdmin(RuleSetRegistry registry) {
        this.registry = registry;
    }

    public record Snapshot(String version, Instant loadedAt, String directory, List<String> files,
                           List<RuleDescription> rules, ReloadAttempt lastReload) {
    }

    /** @param impact against the active rules, for a candidate that passed every check (else null) */
    public record Validation(String version, int rules, int scenarios, List<Diagnostic> diagnostics, ImpactReport impact) {
    }

    public Snapshot snapshot() {
        RuleSet active = registry.active();
        if (active == null) {
            throw new NoActiveRuleSetException();
        }
        return new Snapshot(active.version(), active.loadedAt(), registry.directory().toString(), active.files(),
                active.rules(), registry.lastAttempt());
    }

    /**
     * Reloads from the rules directory; concurrent requests share one reload.
     *
     * @param requestedBy the token subject, kept in the rule-set history if the reload activates a rule set
     */
    public CompletableFuture<ReloadAttempt> reload(String requestedBy) {
        return registry.requestReload(ReloadAttempt.Trigger.MANUAL, requestedBy);
    }

    /** The rule files of the directory as they are now. */
    public RuleSetSource directoryFiles() throws java.io.IOException {
        return registry.directoryFiles();
    }

    public RuleSetRegistry.StoredFile readFile(String name) {
        return registry.readFile(name);
    }

    /** Saves a rule file and puts it through the gate of an edit; see {@link RuleSetRegistry#saveFile}. */
    public CompletableFuture<ReloadAttempt> save(String name, String content, String expectedTag, String author) {
        return registry.saveFile(name, content, expectedTag, author);
    }

    /** The candidate waiting for approval, or null. */
    public RuleSetRegistry.Pending pending() {
        return registry.pending();
    }

    /** The files of the serving rule set (to diff a waiting candidate against), or null. */
    public RuleSetSource activeSource() {
        return registry.activeSource();
    }

    /** Activates the waiting candidate of {@code version}; the approver may not be its API submitter. */
    public CompletableFuture<ReloadAttempt> approve(String version, String approver, String comment) {
        return registry.approve(version, approver, comment);
    }

    /** Drops the waiting candidate of {@code version}. */
    public CompletableFuture<ReloadAttempt> reject(String version, String subject, String comment) {
        return registry.reject(version, subject, comment);
    }

    /**
     * Compiles and checks a candidate exactly as a reload would, then throws it away.
     *
     * @throws RulesBusyException when a check is running and another is waiting already
     */
    public CompletableFuture<Validation> validate(Map<String, String> files) {
        RuleSetSource source = RuleSetSource.of("candidate", files);
        return registry.requestCheck(source).thenApply(result -> {
            if (result.ruleSet() == null) {
                return new Validation(source.version(), 0, 0, result.diagnostics(), null);
            }
            // Shared between identical requests: read what is needed, the set is closed by the registry.
            return new Validation(source.version(), result.ruleSet().rules().size(), result.ruleSet().scenarios().size(),
                    List.of(), result.impact());
        });
    }
}
