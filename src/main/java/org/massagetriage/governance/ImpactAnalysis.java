package org.massagetriage.governance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.StoreUnavailableException;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.BodyRegion;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.PainCharacter;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.RuleConclusion;
import org.massagetriage.facts.Symptom;
import org.massagetriage.facts.Threshold;
import org.massagetriage.facts.Trend;
import org.massagetriage.rules.CandidateReview;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.ImpactReport;
import org.massagetriage.rules.RuleSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The impact of a candidate rule set on real and on boundary cases: every recorded decision of the
 * window (distinct fact sets once) and a generated set (every fact's values at the thresholds the
 * rules compare against, each side; every symptom alone and in pairs) are evaluated under the
 * active rules and under the candidate. Runs on the rules thread (and one helper thread, see
 * {@link #compare}), never on a request's path.
 */
@ApplicationScoped
public class ImpactAnalysis implements CandidateReview {

    private static final Logger LOG = Logger.getLogger(ImpactAnalysis.class);

    private final AuditTrail audit;
    private final TriageConfig.Rules.Impact config;

    public ImpactAnalysis(AuditTrail audit, TriageConfig config) {
        this.audit = audit;
        this.config = config.rules().impact();
    }

    @Override
    public ImpactReport review(RuleSet candidate, RuleSet active) {
        long start = System.nanoTime();
        ImpactReport.Part recorded = null;
        boolean unavailable = false;
        if (audit.recording()) {
            try {
                // Distinct by the facts as read (symptom order and an empty history do not make another case);
                // the newest decision of each is named.
                Map<String, Case> cases = new LinkedHashMap<>();
                for (AuditTrail.RecordedCase c : audit.recentCases(Instant.now().minus(config.window()),
                        Math.max(1, config.maxCases()))) {
                    RecordedFacts.read(c.requestFacts()).ifPresent(p -> {
                        String facts = json(p);
                        cases.putIfAbsent(facts, new Case(c.decisionId(), facts, p));
                    });
                }
                recorded = compare(new ArrayList<>(cases.values()), candidate, active);
            } catch (StoreUnavailableException e) {
                unavailable = true;
                LOG.warnf("The impact of %s on recorded decisions is not known: the store cannot be read", candidate.version());
            }
        }
        ImpactReport.Part generated = compare(generated(candidate, active), candidate, active);
        return new ImpactReport(candidate.version(), active.version(), recorded, generated,
                (System.nanoTime() - start) / 1_000_000, unavailable);
    }

    record Case(UUID decisionId, String facts, Presentation presentation) {
    }

    /** Cases a thread takes at a time: small enough to keep both threads busy to the end. */
    private static final int CHUNK = 500;

    /**
     * Evaluates the cases on the calling thread and, with more than one core, on one helper thread: the
     * engine's work per case is what a report costs (issue 15: 50,000 cases in 5 s), and one more
     * thread is what a machine that answers decisions meanwhile can spare. Chunks of cases are counted
     * apart and merged in case order, so the report is the same as one thread's, examples included.
     */
    static ImpactReport.Part compare(List<Case> cases, RuleSet candidate, RuleSet active) {
        return compare(cases, candidate, active, CHUNK);
    }

    static ImpactReport.Part compare(List<Case> cases, RuleSet candidate, RuleSet active, int chunkSize) {
        int chunks = cases.isEmpty() ? 0 : (cases.size() - 1) / chunkSize + 1;
        Tally[] tallies = new Tally[chunks];
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> helperFailure = new AtomicReference<>();
        Thread helper = null;
        if (chunks > 1 && Runtime.getRuntime().availableProcessors() > 1) {
            helper = new Thread(() -> {
                try {
                    tallyChunks(cases, chunkSize, candidate, active, tallies, next, stop);
                } catch (Throwable e) {
                    helperFailure.set(e);
                    stop.set(true);
                }
            }, "impact-run-helper");
            helper.setDaemon(true);
            helper.start();
        }
        try {
            tallyChunks(cases, chunkSize, candidate, active, tallies, next, stop);
            if (helper != null) {
                try {
                    helper.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("stopping: the impact run was interrupted");
                }
            }
        } finally {
            stop.set(true); // a helper still running stops at its next case
            if (helper != null && helper.isAlive()) {
                // This run failed: wait for the helper's current case, so no evaluation outlives the run.
                try {
                    helper.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Throwable failure = helperFailure.get();
        if (failure instanceof RuntimeException e) {
            throw e; // a retired active rule set above all: the impact is unknown, never "no change"
        } else if (failure instanceof Error e) {
            throw e;
        }
        Tally total = new Tally();
        for (Tally t : tallies) {
            total.add(t);
        }
        return total.part();
    }

    /** Takes chunks until none is left; stops on this thread's interrupt, or when told to. */
    private static void tallyChunks(List<Case> cases, int chunkSize, RuleSet candidate, RuleSet active, Tally[] tallies,
            AtomicInteger next, AtomicBoolean stop) {
        for (int chunk; (chunk = next.getAndIncrement()) < tallies.length; ) {
            Tally tally = new Tally();
            for (Case c : cases.subList(chunk * chunkSize, Math.min(cases.size(), (chunk + 1) * chunkSize))) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("stopping: the impact run was interrupted");
                }
                if (stop.get()) {
                    return;
                }
                tally.add(c, candidate, active);
            }
            tallies[chunk] = tally;
        }
    }

    /** The counts of some consecutive cases; merged in case order they are the counts of all. */
    private static final class Tally {
        final Map<String, Map<String, Integer>> outcomes = new LinkedHashMap<>();
        int changed;
        int down;
        int missingChanged;
        int evaluated;
        int candidateFailures;
        final List<ImpactReport.Example> examples = new ArrayList<>();
        final Map<String, Integer> added = new TreeMap<>();
        final Map<String, Integer> removed = new TreeMap<>();
        final Map<String, int[]> fires = new TreeMap<>();

        Tally() {
            for (Outcome before : Outcome.values()) {
                Map<String, Integer> row = new LinkedHashMap<>();
                for (Outcome after : Outcome.values()) {
                    row.put(after.name(), 0);
                }
                outcomes.put(before.name(), row);
            }
        }

        void add(Case c, RuleSet candidate, RuleSet active) {
            Evaluation before;
            try {
                before = active.evaluate(c.presentation());
            } catch (RuleSet.RetiredException replaced) {
                throw replaced; // the comparison lost its reference: the impact is unknown, never "no change"
            } catch (RuntimeException e) {
                return; // a case the active rules cannot decide says nothing about the edit
            }
            Evaluation after;
            try {
                after = candidate.evaluate(c.presentation());
            } catch (RuleSet.RetiredException replaced) {
                throw replaced; // closed under the run: unknown, never a case the candidate "cannot decide"
            } catch (RuntimeException e) {
                candidateFailures++; // live, this case would be refused: a clinician must see it
                return;
            }
            evaluated++;
            outcomes.get(before.outcome().name()).merge(after.outcome().name(), 1, Integer::sum);
            if (before.outcome() != after.outcome()) {
                changed++;
            }
            if (after.outcome().getUrgency() < before.outcome().getUrgency()) {
                down++;
                if (examples.size() < ImpactReport.MAX_EXAMPLES) {
                    examples.add(new ImpactReport.Example(c.decisionId(), c.facts(), before.outcome().name(),
                            after.outcome().name(), ids(before), ids(after)));
                }
            }
            for (AdviceKey a : after.advice()) {
                if (!before.advice().contains(a)) {
                    added.merge(a.name(), 1, Integer::sum);
                }
            }
            for (AdviceKey a : before.advice()) {
                if (!after.advice().contains(a)) {
                    removed.merge(a.name(), 1, Integer::sum);
                }
            }
            if (!before.missingFacts().equals(after.missingFacts())) {
                missingChanged++;
            }
            for (String id : before.firedRuleIds()) {
                fires.computeIfAbsent(id, k -> new int[2])[0]++;
            }
            for (String id : after.firedRuleIds()) {
                fires.computeIfAbsent(id, k -> new int[2])[1]++;
            }
        }

        /** Adds the counts of the cases that follow this tally's. */
        void add(Tally t) {
            t.outcomes.forEach((before, row) -> row.forEach((after, n) -> outcomes.get(before).merge(after, n, Integer::sum)));
            changed += t.changed;
            down += t.down;
            missingChanged += t.missingChanged;
            evaluated += t.evaluated;
            candidateFailures += t.candidateFailures;
            for (ImpactReport.Example e : t.examples) {
                if (examples.size() < ImpactReport.MAX_EXAMPLES) {
                    examples.add(e);
                }
            }
            t.added.forEach((k, n) -> added.merge(k, n, Integer::sum));
            t.removed.forEach((k, n) -> removed.merge(k, n, Integer::sum));
            t.fires.forEach((id, n) -> {
                int[] sum = fires.computeIfAbsent(id, k -> new int[2]);
                sum[0] += n[0];
                sum[1] += n[1];
            });
        }

        ImpactReport.Part part() {
            return new ImpactReport.Part(evaluated, changed, outcomes, down, examples, added, removed, missingChanged,
                    fires, candidateFailures);
        }
    }

    private static List<String> ids(Evaluation e) {
        return e.reasons().stream().map(RuleConclusion::ruleId).toList();
    }

    /**
     * Boundary cases around normal soreness: one fact varied at a time from a confirmed normal case
     * (each threshold of either rule set, each side, and the ends of the range; every value; not
     * given), the same with the soreness improving, and every symptom alone and in pairs.
     */
    static List<Case> generated(RuleSet candidate, RuleSet active) {
        Set<Integer> edges = new TreeSet<>();
        for (RuleSet rules : List.of(candidate, active)) {
            for (Threshold t : rules.thresholds()) {
                edges.add(t.getValue() - 1);
                edges.add(t.getValue());
                edges.add(t.getValue() + 1);
            }
        }
        Map<String, Presentation> cases = new LinkedHashMap<>();
        for (Presentation base : List.of(normal(false), normal(true))) {
            add(cases, base);
            for (Fact fact : Fact.values()) {
                List<Object> values = new ArrayList<>();
                values.add(null);
                switch (fact.kind()) {
                    case WHOLE_NUMBER -> {
                        values.add(fact.min());
                        values.add(fact.max());
                        for (int e : edges) {
                            if (e >= fact.min() && e <= fact.max()) {
                                values.add(e);
                            }
                        }
                    }
                    case ONE_OF -> values.addAll(fact.constants());
                    case SET_OF -> values.add(Set.of());
                    case FLAGS -> {
                        for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                            Presentation.Builder b = Fact.copyOf(base);
                            flag.set(b, true);
                            add(cases, b.build());
                        }
                        values.clear();
                    }
                }
                for (Object v : values) {
                    Presentation.Builder b = Fact.copyOf(base);
                    fact.set(b, v);
                    add(cases, b.build());
                }
            }
        }
        // Every scenario row of either rule set, and each with its numbers at every edge and each history
        // flag not given: a rule that needs several facts at once (a blood thinner with sharp severe back
        // pain) is reached from its own rows, not from one normal case.
        for (RuleSet rules : List.of(active, candidate)) {
            for (var scenario : rules.scenarios()) {
                Presentation row = scenario.presentation();
                add(cases, row);
                for (Fact fact : List.of(Fact.HOURS_SINCE_MASSAGE, Fact.PAIN_SEVERITY)) {
                    for (int e : edges) {
                        if (e >= fact.min() && e <= fact.max()) {
                            Presentation.Builder b = Fact.copyOf(row);
                            fact.set(b, e);
                            add(cases, b.build());
                        }
                    }
                }
                for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                    if (flag.get(row) != null) {
                        Presentation.Builder b = Fact.copyOf(row);
                        flag.set(b, null);
                        add(cases, b.build());
                    }
                }
            }
        }
        Symptom[] symptoms = Symptom.values();
        for (int i = 0; i < symptoms.length; i++) {
            for (int j = i; j < symptoms.length; j++) {
                add(cases, Fact.copyOf(normal(false)).symptoms(EnumSet.of(symptoms[i], symptoms[j])).build());
            }
        }
        List<Case> out = new ArrayList<>();
        cases.forEach((json, p) -> out.add(new Case(null, json, p)));
        return out;
    }

    private static Presentation normal(boolean improving) {
        return Presentation.builder().hoursSinceMassage(24)
                .painCharacter(PainCharacter.DULL_ACHE).painSeverity(3)
                .trend(improving ? Trend.IMPROVING : Trend.UNCHANGED)
                .symptoms(Set.of()).bodyRegion(BodyRegion.LOWER_BACK)
                .chronicLowBackPain(false).recentSurgery(false).preExistingCondition(false).takesMedication(false)
                .takesAnticoagulant(false).build();
    }

    private static void add(Map<String, Presentation> cases, Presentation p) {
        cases.putIfAbsent(json(p), p);
    }

    /** The case as a request would send it (what a clinician reads in an example). */
    static String json(Presentation p) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Fact fact : Fact.values()) {
            if (fact.kind() == Fact.Kind.FLAGS) {
                ObjectNode flags = JsonNodeFactory.instance.objectNode();
                for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                    Boolean v = flag.get(p);
                    if (v != null) {
                        flags.put(flag.flagName(), v);
                    }
                }
                if (!flags.isEmpty()) {
                    out.set(fact.factName(), flags);
                }
                continue;
            }
            Object v = fact.get(p);
            if (v == null) {
                continue;
            }
            switch (fact.kind()) {
                case WHOLE_NUMBER -> out.put(fact.factName(), (Integer) v);
                case ONE_OF -> out.put(fact.factName(), ((Enum<?>) v).name());
                case SET_OF -> {
                    ArrayNode array = out.putArray(fact.factName());
                    ((Set<?>) v).stream().map(o -> (Enum<?>) o).sorted(Comparator.comparingInt(Enum::ordinal))
                            .forEach(constant -> array.add(constant.name()));
                }
                case FLAGS -> {
                }
            }
        }
        return out.toString();
    }
}
