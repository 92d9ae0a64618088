package org.massagetriage.ops;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.massagetriage.rules.ReloadAttempt;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetRegistry;

/** Ready only while a valid rule set is active; shows its version and the last reload's result. */
@Readiness
@ApplicationScoped
public class RulesReadiness implements HealthCheck {

    private final RuleSetRegistry registry;

    public RulesReadiness(RuleSetRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        RuleSet active = registry.active();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("rules").status(active != null);
        if (active != null) {
            b.withData("version", active.version()).withData("loadedAt", active.loadedAt().toString());
        }
        // Checks past their deadline run on in the background: a rising number means CPU spent on them.
        b.withData("abandonedChecksRunning", registry.abandonedChecksRunning());
        ReloadAttempt last = registry.lastAttempt();
        if (last != null) {
            b.withData("lastReload", last.result().name() + " " + last.trigger().name() + " at " + last.at())
                    .withData("lastReloadDiagnostics", last.diagnostics().size());
        }
        return b.build();
    }
}
