package org.massagetriage.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieContainer;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.KieSessionsPool;
import org.kie.api.runtime.conf.ThreadSafeOption;
import org.kie.api.runtime.rule.Agenda;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.facts.Threshold;
import org.massagetriage.facts.Triage;
import org.massagetriage.facts.TriageDefect;

/**
 * A compiled, checked rule set: immutable, shared by all requests that started on it. Sessions come
 * from a pool because creating a session per call dominated evaluation time.
 */
public final class RuleSet implements AutoCloseable {

    static final int MAX_FIRINGS = 1_000;

    /** The name of the DRL global every rule concludes through. */
    public static final String TRIAGE_GLOBAL = "triage";

    private final String version;
    private final Instant loadedAt;
    private final List<String> files;
    /** Null for rules built from the compiled cache: their rule base owns its class loaders. */
    private final KieContainer container;
    private final KieSessionsPool sessions;
    private final KieSessionConfiguration sessionConfig;
    private final Map<String, RuleConclusion> conclusionsByRuleId;
    private final List<RuleDescription> rules;
    private final Vocabulary vocabulary;
    /** By language tag, English first; each holds every text (checked at load). */
    private final Map<String, Vocabulary> vocabularies;
    private final List<Scenario> scenarios;
    private final List<Threshold> thresholds;
    /** The consequences' bytecode by class file path, for the compiled cache (shared with the rule base, not copied). */
    private final Map<String, byte[]> compiledClasses;
    private final boolean fromCompiledCache;
    /** Evaluations in progress; -1 once closed. */
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;

    RuleSet(String version, Instant loadedAt, List<String> files, KieContainer container, KieBase kieBase,
            Map<String, RuleConclusion> conclusionsByRuleId, List<RuleDescription> rules, Map<String, Vocabulary> vocabularies,
            List<Scenario> scenarios, List<Threshold> thresholds, Map<String, byte[]> compiledClasses,
            boolean fromCompiledCache) {
        this.version = version;
        this.loadedAt = loadedAt;
        this.files = List.copyOf(files);
        this.container = container;
        this.sessions = kieBase.newKieSessionsPool(Runtime.getRuntime().availableProcessors() * 2);
        // A pooled session serves one evaluation on one thread at a time, so the engine's internal
        // locking is pure cost (about 20% of an evaluation, measured with RulePathBenchmark).
        this.sessionConfig = KieServices.Factory.get().newKieSessionConfiguration();
        this.sessionConfig.setOption(ThreadSafeOption.NO);
        this.conclusionsByRuleId = Map.copyOf(conclusionsByRuleId);
        this.rules = List.copyOf(rules);
        this.vocabularies = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vocabularies));
        this.vocabulary = vocabularies.get(Vocabulary.DEFAULT_LANGUAGE);
        this.scenarios = List.copyOf(scenarios);
        this.thresholds = List.copyOf(thresholds);
        this.compiledClasses = java.util.Collections.unmodifiableMap(compiledClasses);
        this.fromCompiledCache = fromCompiledCache;
    }

    /**
     * Runs the rules over one presentation. Thread-safe: each call has its own session and collector.
     *
     * @throws RetiredException when this rule set was replaced and has already been closed; take
     *                          the active one again and retry
     */
    public Evaluation evaluate(Presentation presentation) {
        if (!tryAcquire()) {
            throw new RetiredException(version);
        }
        Triage triage = new Triage(conclusionsByRuleId);
        try {
            KieSession session = sessions.newKieSession(sessionConfig);
            try {
                session.setGlobal(TRIAGE_GLOBAL, triage);
                focusPhasesInOrder(session);
                for (Threshold t : thresholds) {
                    session.insert(t);
                }
                session.insert(presentation);
                // A decision fires a few dozen rules at most; a rule that keeps re-activating itself
                // (a loop a clinician did not mean) is stopped here instead of spinning forever.
                if (session.fireAllRules(MAX_FIRINGS) >= MAX_FIRINGS) {
                    throw new RuleSetDefectException(version, "more than " + MAX_FIRINGS + " rule firings for one decision");
                }
            } catch (RuntimeException | StackOverflowError e) {
                if (e instanceof RuleSetDefectException d) {
                    throw d;
                }
                // A rule failed (for example "decided twice"): the rules are at fault, not the input.
                throw new RuleSetDefectException(version, "a rule failed: " + describeFailure(e));
            } finally {
                session.dispose(); // returns a pooled session to the pool, reset
            }
        } finally {
            release();
        }
        if (triage.outcome() == null) {
            // The decision rule did not fire: a defect of the rule set that scenario checks should have caught.
            throw new RuleSetDefectException(version, "no decision reached");
        }
        Evaluation evaluation = Evaluation.of(triage);
        if (evaluation.outcome() == Outcome.SELF_CARE && !SafetyChecks.confirmsNormalSoreness(presentation)) {
            // Defence in depth behind the load-time safety checks: never SELF_CARE on a missing fact.
            throw new RuleSetDefectException(version, "SELF_CARE concluded with a confirming fact missing");
        }
        return evaluation;
    }

    /**
     * Stacks the phases so that the first runs first: each agenda group keeps the focus until it has
     * nothing left to fire, then the next one below takes it. Set on every evaluation: a pooled
     * session is reset on dispose, focus stack included.
     */
    private static void focusPhasesInOrder(KieSession session) {
        Agenda agenda = session.getAgenda();
        for (int i = PHASES.length - 1; i >= 0; i--) {
            agenda.getAgendaGroup(PHASES[i].groupName()).setFocus();
        }
    }

    private static final Phase[] PHASES = Phase.values();

    /**
     * What a clinician may read about a failure while rules ran: the service's own defect message,
     * else only the kind of failure. Messages of other exceptions can carry whatever the failing code
     * put in them, so they never reach an answer or a log line.
     */
    static String describeFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TriageDefect || t instanceof RuleSetDefectException) {
                return t.getMessage();
            }
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
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

    /** The English texts. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Every language's texts by language tag, English first. */
    public Map<String, Vocabulary> vocabularies() {
        return vocabularies;
    }

    public List<Scenario> scenarios() {
        return scenarios;
    }

    /** The thresholds inserted into every evaluation. */
    public List<Threshold> thresholds() {
        return thresholds;
    }

    Map<String, byte[]> compiledClasses() {
        return compiledClasses;
    }

    /** Built with the compiled cache's bytecode rather than the Java compiler's (checked all the same). */
    public boolean fromCompiledCache() {
        return fromCompiledCache;
    }

    /**
     * Marks this rule set as replaced: it is closed as soon as the last evaluation that started on it
     * finishes, so requests in flight complete on the rule set they started with.
     */
    public void retire() {
        retired = true;
        closeIfIdle();
    }

    /** Closes at once; for rule sets no request can be using (never activated, or in tests). */
    @Override
    public void close() {
        retire();
    }

    public boolean isClosed() {
        return users.get() < 0;
    }

    private boolean tryAcquire() {
        for (;;) {
            int n = users.get();
            if (n < 0) {
                return false;
            }
            if (users.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void release() {
        if (users.decrementAndGet() == 0 && retired) {
            closeIfIdle();
        }
    }

    private void closeIfIdle() {
        if (users.compareAndSet(0, -1)) {
            // KieContainers that are dropped without dispose() keep their class loaders: a leak per reload.
            sessions.shutdown();
            if (container != null) {
                container.dispose();
            }
        }
    }

    /** Thrown by {@link #evaluate} on a rule set that was replaced and closed meanwhile. */
    public static final class RetiredException extends RuntimeException {
        RetiredException(String version) {
            super("Rule set " + version + " was replaced", null, false, false);
        }
    }
}
