package org.massagetriage.governance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.audit.RuleSetArchive;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetCompiler;
import org.massagetriage.rules.RuleSetDefectException;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.RuleSetSource;
import org.massagetriage.rules.RulesBusyException;

/**
 * Re-evaluates a recorded decision's facts under the rule set that made it (compiled from the files
 * kept in the history) and under the active one. Nothing is recorded: a replay is not a patient
 * decision. Compiled rule sets are kept in a small least-recently-used cache, since an audit tends
 * to replay many decisions of the same few versions; compiling costs about a second of CPU, so
 * one compile runs at a time (identical requests share it) and a further one is answered 429.
 */
@ApplicationScoped
public class DecisionReplay {

    private static final Logger LOG = Logger.getLogger(DecisionReplay.class);
    static final int CACHED_RULE_SETS = 4;
    /** A rule set swapped out or evicted between look-up and evaluation is looked up again this often. */
    private static final int ATTEMPTS = 3;
    private static final long RETRY_AFTER_SECONDS = 2;

    private final AuditTrail audit;
    private final RuleSetArchive archive;
    private final RuleSetRegistry registry;
    /** Access-ordered: the eldest entry is the least recently used. Guarded by itself, as are the two below. */
    private final LinkedHashMap<String, RuleSet> compiled = new LinkedHashMap<>(8, 0.75f, true);
    /** Compiles in progress, shared by identical requests. */
    private final Map<String, CompletableFuture<Lookup>> compiling = new HashMap<>();
    /** Versions that cannot be replayed, and why: asked again, they are not compiled again. */
    private final LinkedHashMap<String, String> unreplayable = new LinkedHashMap<>(8, 0.75f, true);
    private final Semaphore compiles = new Semaphore(1);

    public DecisionReplay(AuditTrail audit, RuleSetArchive archive, RuleSetRegistry registry) {
        this.audit = audit;
        this.archive = archive;
        this.registry = registry;
    }

    /** An answer as the comparison needs it: what the patient was (or would be) told, and why. */
    public record Answer(String rulesetVersion, String outcome, List<String> advice, List<String> reasons,
                         List<String> missingFacts) {
        static Answer of(String version, Evaluation e) {
            return new Answer(version, e.outcome().name(), e.advice().stream().map(AdviceKey::name).toList(),
                    e.reasons().stream().map(RuleConclusion::ruleId).toList(), e.missingFacts());
        }

        static Answer of(DecisionRecord r) {
            return new Answer(r.rulesetVersion(), r.outcome(), r.advice(), r.firedRules(), r.missingFacts());
        }

        /** The parts that differ from {@code other}, named as in the answer: outcome, advice, reasons, missingFacts. */
        List<String> differencesFrom(Answer other) {
            List<String> out = new ArrayList<>();
            if (!outcome.equals(other.outcome)) {
                out.add("outcome");
            }
            if (!advice.equals(other.advice)) {
                out.add("advice");
            }
            if (!reasons.equals(other.reasons)) {
                out.add("reasons");
            }
            if (!missingFacts.equals(other.missingFacts)) {
                out.add("missingFacts");
            }
            return out;
        }
    }

    /**
     * @param underRecordedRules null when the recorded rule set cannot be evaluated again; {@code why} says why
     * @param reproduced         the recorded answer came out again, exactly
     * @param underActiveRules   null when the active rules cannot decide the case; {@code whyNotActive} says why
     * @param changedUnderActive the parts the active rules answer differently from the recorded answer
     */
    public record Result(UUID decisionId, Answer recorded, Answer underRecordedRules, boolean reproduced,
                         List<String> differences, String why, Answer underActiveRules, List<String> changedUnderActive,
                         String whyNotActive) {
    }

    public Optional<DecisionRecord> recorded(UUID id) {
        return audit.find(id);
    }

    /** A replay whose recorded facts this release no longer accepts as a request. */
    public Result unreadable(DecisionRecord record, String why) {
        return new Result(record.decisionId(), Answer.of(record), null, false, List.of(), why, null, List.of(), why);
    }

    /** @param facts the recorded facts, read again as the request was */
    public Result replay(DecisionRecord record, Presentation facts) {
        Answer recorded = Answer.of(record);
        Answer again = null;
        String why = null;
        for (int attempt = 1; attempt <= ATTEMPTS && again == null && why == null; attempt++) {
            Lookup rules = ruleSet(record.rulesetVersion());
            if (rules.ruleSet() == null) {
                why = rules.why();
                break;
            }
            try {
                again = Answer.of(record.rulesetVersion(), rules.ruleSet().evaluate(facts));
            } catch (RuleSet.RetiredException swappedMeanwhile) {
                // replaced or evicted between look-up and evaluation: look it up again
            } catch (RuleSetDefectException defect) {
                why = "the recorded rules cannot decide this case with this release: " + defect.getMessage();
            }
        }
        if (again == null && why == null) {
            why = "the recorded rule set was replaced " + ATTEMPTS + " times while being replayed; replay again";
        }
        List<String> differences = again == null ? List.of() : again.differencesFrom(recorded);
        Answer now = null;
        String whyNotActive = null;
        for (int attempt = 1; attempt <= ATTEMPTS && now == null && whyNotActive == null; attempt++) {
            RuleSet active = registry.active();
            if (active == null) {
                throw new NoActiveRuleSetException();
            }
            try {
                now = Answer.of(active.version(), active.evaluate(facts));
            } catch (RuleSet.RetiredException swappedMeanwhile) {
                // a reload swapped the active rules: take the new ones
            } catch (RuleSetDefectException defect) {
                whyNotActive = "the active rules cannot decide this case: " + defect.getMessage();
            }
        }
        return new Result(record.decisionId(), recorded, again, again != null && differences.isEmpty(), differences, why,
                now, now == null ? List.of() : now.differencesFrom(recorded), whyNotActive);
    }

    /** A compiled rule set, or null with the reason it cannot be had. */
    record Lookup(RuleSet ruleSet, String why) {
    }

    /**
     * The compiled rule set of a stored version: the active one, from the cache, or compiled now (one
     * compile at a time; a request for another version meanwhile gets {@link RulesBusyException}).
     */
    Lookup ruleSet(String version) {
        RuleSet active = registry.active();
        if (active != null && active.version().equals(version)) {
            return new Lookup(active, null);
        }
        CompletableFuture<Lookup> mine;
        CompletableFuture<Lookup> running;
        synchronized (compiled) {
            RuleSet cached = compiled.get(version);
            if (cached != null && !cached.isClosed()) {
                return new Lookup(cached, null);
            }
            String known = unreplayable.get(version);
            if (known != null) {
                return new Lookup(null, known);
            }
            running = compiling.get(version);
            if (running != null) {
                mine = null;
            } else {
                if (!compiles.tryAcquire()) {
                    throw new RulesBusyException(RETRY_AFTER_SECONDS);
                }
                mine = new CompletableFuture<>();
                compiling.put(version, mine);
            }
        }
        if (mine == null) {
            return running.join(); // outside the lock: the compiling thread needs it to finish
        }
        Lookup result;
        try {
            result = compile(version);
        } catch (RuntimeException storeDown) {
            synchronized (compiled) {
                compiling.remove(version);
            }
            mine.completeExceptionally(storeDown); // those waiting get the same failure
            throw storeDown;
        } finally {
            compiles.release();
        }
        synchronized (compiled) {
            compiling.remove(version);
            if (result.ruleSet() != null) {
                RuleSet replaced = compiled.put(version, result.ruleSet());
                if (replaced != null && replaced != result.ruleSet()) {
                    replaced.retire();
                }
                if (compiled.size() > CACHED_RULE_SETS) {
                    Map.Entry<String, RuleSet> eldest = compiled.entrySet().iterator().next();
                    compiled.remove(eldest.getKey());
                    eldest.getValue().retire(); // closed once replays still using it finish
                }
            } else if (result.why() != null && !result.why().startsWith("rule set ")) {
                unreplayable.put(version, result.why());
                if (unreplayable.size() > 64) {
                    unreplayable.remove(unreplayable.keySet().iterator().next());
                }
            }
        }
        mine.complete(result);
        return result;
    }

    private Lookup compile(String version) {
        Optional<RuleSetArchive.ArchivedRuleSet> stored = archive.find(version);
        if (stored.isEmpty()) {
            return new Lookup(null, "rule set " + version + " is not in the rule-set history (decided before the history"
                    + " was kept, or its history write did not reach the store)");
        }
        RuleSetSource source = RuleSetSource.of("ruleset " + version, stored.get().files());
        if (!source.version().equals(version)) {
            // The same files under another engine rule (service:engine.drl) are another rule set.
            return new Lookup(null, "the stored files of " + version + " hash to " + source.version()
                    + " with this release's engine rules: they cannot be replayed exactly");
        }
        try {
            RuleSetCompiler.Compilation compilation = RuleSetCompiler.compile(source);
            if (compilation.ruleSet() == null) {
                return new Lookup(null, "the stored files of " + version + " do not compile with this release ("
                        + compilation.diagnostics().size() + " diagnostics)");
            }
            return new Lookup(compilation.ruleSet(), null);
        } catch (RuntimeException | StackOverflowError | NoClassDefFoundError e) {
            LOG.errorf("Compiling stored rule set %s for a replay failed (%s)", version, e.getClass().getName());
            return new Lookup(null, "the stored files of " + version + " could not be compiled (" + e.getClass().getSimpleName()
                    + "); see the service log");
        }
    }

    @PreDestroy
    void close() {
        synchronized (compiled) {
            compiled.values().forEach(RuleSet::retire);
            compiled.clear();
        }
    }
}
