package org.massagetriage.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.kie.api.KieBase;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionsPool;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.facts.Triage;

/**
 * A compiled, checked rule set: immutable, shared by all requests that started on it. Sessions come
 * from a pool because creating a session per call dominated evaluation time.
 */
public final class RuleSet implements AutoCloseable {

    /** The name of the DRL global every rule concludes through. */
    public static final String TRIAGE_GLOBAL = "triage";

    private final String version;
    private final Instant loadedAt;
    private final List<String> files;
    private final KieContainer container;
    private final KieSessionsPool sessions;
    private final Map<String, RuleConclusion> conclusionsByRuleId;
    private final List<RuleDescription> rules;
    private final Vocabulary vocabulary;
    private final List<Scenario> scenarios;

    RuleSet(String version, Instant loadedAt, List<String> files, KieContainer container, KieBase kieBase,
            Map<String, RuleConclusion> conclusionsByRuleId, List<RuleDescription> rules, Vocabulary vocabulary,
            List<Scenario> scenarios) {
        this.version = version;
        this.loadedAt = loadedAt;
        this.files = List.copyOf(files);
        this.container = container;
        this.sessions = kieBase.newKieSessionsPool(Runtime.getRuntime().availableProcessors() * 2);
        this.conclusionsByRuleId = Map.copyOf(conclusionsByRuleId);
        this.rules = List.copyOf(rules);
        this.vocabulary = vocabulary;
        this.scenarios = List.copyOf(scenarios);
    }

    /** Runs the rules over one presentation. Thread-safe: each call has its own session and collector. */
    public Evaluation evaluate(Presentation presentation) {
        Triage triage = new Triage(conclusionsByRuleId);
        KieSession session = sessions.newKieSession();
        try {
            session.setGlobal(TRIAGE_GLOBAL, triage);
            session.insert(presentation);
            session.fireAllRules();
        } finally {
            session.dispose(); // returns a pooled session to the pool, reset
        }
        if (triage.outcome() == null) {
            // The decision rule did not fire: a defect of the rule set that scenario checks should have caught.
            throw new IllegalStateException("Rule set " + version + " reached no decision");
        }
        return Evaluation.of(triage);
    }

    public String version() {
        return version;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    public List<String> files() {
        return files;
    }

    public List<RuleDescription> rules() {
        return rules;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public List<Scenario> scenarios() {
        return scenarios;
    }

    /** Frees the engine's resources; only call once no request can still be using this rule set. */
    @Override
    public void close() {
        sessions.shutdown();
        container.dispose();
    }
}
