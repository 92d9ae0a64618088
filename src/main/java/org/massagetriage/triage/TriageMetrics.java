package org.massagetriage.triage;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.massagetriage.rules.ReloadAttempt;
import org.massagetriage.rules.RuleSetRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's own metrics, served in Prometheus format at {@code /q/metrics}: decisions by
 * outcome, fires by rule id, evaluation latency, reloads by result and the active rule-set version
 * (the decision-store write latency is the audit trail's own, {@code triage.store.write}). Meters are created once and cached: the decision path only
 * increments.
 */
@ApplicationScoped
public class TriageMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> decisionsByOutcome = new ConcurrentHashMap<>();
    private final Map<String, Counter> firesByRule = new ConcurrentHashMap<>();
    private final Timer evaluation;
    private final AtomicReference<Gauge> activeVersion = new AtomicReference<>();

    public TriageMetrics(MeterRegistry registry, RuleSetRegistry rules) {
        this.registry = registry;
        Gauge.builder("triage.rules.pending", rules, r -> r.pending() == null ? 0 : 1)
                .description("1 while a candidate rule set waits for approval (triage.rules.approval), else 0")
                .register(registry);
        this.evaluation = Timer.builder("triage.evaluation")
                .description("Time to evaluate one presentation through the active rules")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(1_000))
                .maximumExpectedValue(Duration.ofMillis(100))
                .register(registry);
    }

    public void decision(String outcome, Set<String> firedRuleIds, long evaluationNanos) {
        decisionsByOutcome.computeIfAbsent(outcome, o -> Counter.builder("triage.decisions")
                .description("Decisions answered, by outcome").tag("outcome", o).register(registry)).increment();
        for (String id : firedRuleIds) {
            firesByRule.computeIfAbsent(id, r -> Counter.builder("triage.rule.fires")
                    .description("Rule fires in answered decisions, by rule id").tag("rule", r).register(registry))
                    .increment();
        }
        evaluation.record(evaluationNanos, TimeUnit.NANOSECONDS);
    }

    /** How often a rule fired in answered decisions since this instance started. */
    public long firesSinceStart(String ruleId) {
        Counter c = firesByRule.get(ruleId);
        return c == null ? 0 : (long) c.count();
    }

    void reload(@Observes ReloadAttempt attempt) {
        Counter.builder("triage.rules.reloads").description("Rule-set reload attempts, by result and trigger")
                .tag("result", attempt.result().name()).tag("trigger", attempt.trigger().name())
                .register(registry).increment();
        String version = attempt.activeVersion();
        Gauge current = activeVersion.get();
        if (version != null && (current == null || !version.equals(current.getId().getTag("version")))) {
            Gauge next = Gauge.builder("triage.ruleset.active", () -> 1).description("The active rule-set version (value 1)")
                    .tag("version", version).register(registry);
            Gauge previous = activeVersion.getAndSet(next);
            if (previous != null) {
                registry.remove(previous);
            }
        }
    }
}
