package org.massagetriage.governance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

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
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.RuleSetSource;

/**
 * Re-evaluates a recorded decision's facts under the rule set that made it (compiled from the files
 * kept in the history) and under the active one. Nothing is recorded: a replay is not a patient
 * decision. Compiled rule sets are kept in a small least-recently-used cache, since an audit tends
 * to replay many decisions of the same few versions.
 */
@ApplicationScoped
public class DecisionReplay {

    static final int CACHED_RULE_SETS = 4;

    private final AuditTrail audit;
    private final RuleSetArchive archive;
    private final RuleSetRegistry registry;
    /** Access-ordered: the eldest entry is the least recently used. Guarded by itself. */
    private final LinkedHashMap<String, RuleSet> compiled = new LinkedHashMap<>(8, 0.75f, true);

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
     * @param underRecordedRules null when the recorded rule set is not in the history (decided before
     *                           history was kept) or could not be compiled; {@code why} says which
     * @param reproduced         the recorded answer came out again, exactly
     * @param changedUnderActive the parts the active rules answer differently from the recorded answer
     */
    public record Result(UUID decisionId, Answer recorded, Answer underRecordedRules, boolean reproduced,
                         List<String> differences, String why, Answer underActiveRules, List<String> changedUnderActive) {
    }

    public Optional<DecisionRecord> recorded(UUID id) {
        return audit.find(id);
    }

    /** @param facts the recorded facts, read again as the request was */
    public Result replay(DecisionRecord record, Presentation facts) {
        Answer recorded = Answer.of(record);
        Answer again = null;
        Lookup rules = ruleSet(record.rulesetVersion());
        if (rules.ruleSet() != null) {
            again = Answer.of(record.rulesetVersion(), evaluate(rules.ruleSet(), facts));
        }
        String why = rules.why();
        List<String> differences = again == null ? List.of() : again.differencesFrom(recorded);
        RuleSet active = registry.active();
        if (active == null) {
            throw new NoActiveRuleSetException();
        }
        Answer now = Answer.of(active.version(), evaluate(active, facts));
        return new Result(record.decisionId(), recorded, again, again != null && differences.isEmpty(), differences, why,
                now, now.differencesFrom(recorded));
    }

    private static Evaluation evaluate(RuleSet rules, Presentation facts) {
        return rules.evaluate(facts);
    }

    /** A compiled rule set, or null with the reason it cannot be had. */
    private record Lookup(RuleSet ruleSet, String why) {
    }

    /** The compiled rule set of a stored version, from the cache or compiled now. */
    private Lookup ruleSet(String version) {
        RuleSet active = registry.active();
        if (active != null && active.version().equals(version)) {
            return new Lookup(active, null);
        }
        synchronized (compiled) {
            RuleSet cached = compiled.get(version);
            if (cached != null && !cached.isClosed()) {
                return new Lookup(cached, null);
            }
        }
        Optional<RuleSetArchive.ArchivedRuleSet> stored = archive.find(version);
        if (stored.isEmpty()) {
            return new Lookup(null, "rule set " + version + " is not in the rule-set history (decided before it was kept)");
        }
        RuleSetSource source = RuleSetSource.of("ruleset " + version, stored.get().files());
        if (!source.version().equals(version)) {
            // The same files under another engine rule (service:engine.drl) are another rule set.
            return new Lookup(null, "the stored files of " + version + " hash to " + source.version()
                    + " with this release's engine rules: they cannot be replayed exactly");
        }
        RuleSetCompiler.Compilation compilation = RuleSetCompiler.compile(source);
        if (compilation.ruleSet() == null) {
            return new Lookup(null, "the stored files of " + version + " do not compile with this release ("
                    + compilation.diagnostics().size() + " diagnostics)");
        }
        synchronized (compiled) {
            compiled.put(version, compilation.ruleSet());
            if (compiled.size() > CACHED_RULE_SETS) {
                Map.Entry<String, RuleSet> eldest = compiled.entrySet().iterator().next();
                compiled.remove(eldest.getKey());
                eldest.getValue().retire(); // closed once replays still using it finish
            }
        }
        return new Lookup(compilation.ruleSet(), null);
    }

    @PreDestroy
    void close() {
        synchronized (compiled) {
            compiled.values().forEach(RuleSet::retire);
            compiled.clear();
        }
    }
}
