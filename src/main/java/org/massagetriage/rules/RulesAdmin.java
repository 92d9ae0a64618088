package org.massagetriage.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.rules.NoActiveRuleSetException;

/** Rule administration: what is serving, a manual reload, and validation of a candidate that activates nothing. */
@ApplicationScoped
public class RulesAdmin {

    private final RuleSetRegistry registry;

    public RulesAdmin(RuleSetRegistry registry) {
        this.registry = registry;
    }

    public record Snapshot(String version, Instant loadedAt, String directory, List<String> files,
                           List<RuleDescription> rules, ReloadAttempt lastReload) {
    }

    public record Validation(String version, int rules, int scenarios, List<Diagnostic> diagnostics) {
    }

    public Snapshot snapshot() {
        RuleSet active = registry.active();
        if (active == null) {
            throw new NoActiveRuleSetException();
        }
        return new Snapshot(active.version(), active.loadedAt(), registry.directory().toString(), active.files(),
                active.rules(), registry.lastAttempt());
    }

    public ReloadAttempt reload() {
        return registry.reload(ReloadAttempt.Trigger.MANUAL);
    }

    /** Compiles and checks a candidate exactly as a reload would, then throws it away. */
    public Validation validate(Map<String, String> files) {
        return registry.onReloadThread(() -> check(files));
    }

    private static Validation check(Map<String, String> files) {
        RuleSetSource source = RuleSetSource.of("candidate", files);
        RuleSetLoader.LoadResult result = RuleSetLoader.load(source);
        if (result.ruleSet() == null) {
            return new Validation(source.version(), 0, 0, result.diagnostics());
        }
        try {
            return new Validation(source.version(), result.ruleSet().rules().size(), result.ruleSet().scenarios().size(),
                    List.of());
        } finally {
            result.ruleSet().close();
        }
    }
}
