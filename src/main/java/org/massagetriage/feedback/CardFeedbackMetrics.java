package org.massagetriage.feedback;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Card feedback at {@code /q/metrics}: {@code triage_card_overrides_total{rule}}, once per stored
 * overridden item for each rule that fired in its decision. Since this instance started, like the
 * rule fires beside it ({@code triage_rule_fires_total}); the rules view's durable count comes from
 * the store ({@link CardFeedbackService#overridesByRule}). Counters are created once and cached.
 */
@ApplicationScoped
public class CardFeedbackMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> overridesByRule = new ConcurrentHashMap<>();

    public CardFeedbackMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** One overridden item stored, about a decision in which {@code firedRuleIds} fired. */
    void overridden(Set<String> firedRuleIds) {
        for (String id : firedRuleIds) {
            overridesByRule.computeIfAbsent(id, r -> Counter.builder("triage.card.overrides")
                    .description("Overridden CDS cards (stored feedback items), by rule that fired in the card's decision")
                    .tag("rule", r).register(registry)).increment();
        }
    }
}
