package org.massagetriage.rules;

import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.jboss.logging.Logger;

/**
 * Turns a candidate source into a rule set fit to serve, or a list of reasons it is not: it must
 * compile, pass the structural checks, pass every scenario row, and every rule must be exercised
 * by at least one row. Nothing here activates anything.
 */
public final class RuleSetLoader {

    private static final Logger LOG = Logger.getLogger(RuleSetLoader.class);

    private RuleSetLoader() {
    }

    /** An accepted rule set (diagnostics empty), or null with the diagnostics that rejected it. */
    /** @param impact what the candidate changes against the active rules, when it was compared (else null) */
    public record LoadResult(RuleSet ruleSet, List<Diagnostic> diagnostics, ImpactReport impact) {
        public LoadResult(RuleSet ruleSet, List<Diagnostic> diagnostics) {
            this(ruleSet, diagnostics, null);
        }

        public boolean accepted() {
            return ruleSet != null;
        }

        LoadResult withImpact(ImpactReport report) {
            return new LoadResult(ruleSet, diagnostics, report);
        }
    }

    /** An abandoned check is interrupted; the compiler turns that into an exception of its own. */
    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InterruptedException || t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }

    public static LoadResult load(RuleSetSource source) {
        return load(source, CompiledRulesCache.OFF);
    }

    /** As {@link #load(RuleSetSource)}; the cache only spares the Java compiler, every check below still runs. */
    static LoadResult load(RuleSetSource source, CompiledRulesCache cache) {
        RuleSetCompiler.Compilation compilation;
        try {
            compilation = RuleSetCompiler.compile(source, cache);
        } catch (RuntimeException | StackOverflowError | NoClassDefFoundError e) {
            // Whatever the compiler throws, the candidate is rejected, never half-activated.
            // The class only: after the language check no rule code runs here, and an exception's text
            // must still never carry anything a rule could have put in it.
            if (Thread.currentThread().isInterrupted() || causedByInterrupt(e)) {
                LOG.debugf("An abandoned check stopped on its interrupt (%s)", e.getClass().getName());
            } else {
                LOG.errorf("Compiling the candidate rule set failed unexpectedly (%s)", e.getClass().getName());
            }
            return new LoadResult(null, List.of(Diagnostic.of(Diagnostic.Kind.COMPILE, source.displayRoot(), null,
                    "the rules could not be compiled (" + e.getClass().getSimpleName() + "); see the service log")));
        }
        RuleSet ruleSet = compilation.ruleSet();
        List<Diagnostic> diagnostics = new ArrayList<>(compilation.diagnostics());
        if (ruleSet == null) {
            return new LoadResult(null, diagnostics);
        }
        if (ruleSet.scenarios().isEmpty() && diagnostics.isEmpty()) {
            diagnostics.add(Diagnostic.of(Diagnostic.Kind.SCENARIO, source.displayPath("scenarios"), null,
                    "no scenario rows: every rule must be exercised by at least one row"));
        }
        Set<String> exercised = new TreeSet<>();
        for (Scenario s : ruleSet.scenarios()) {
            try {
                Evaluation e = ruleSet.evaluate(s.presentation());
                exercised.addAll(e.firedRuleIds());
                List<String> mismatches = s.mismatches(e);
                if (!mismatches.isEmpty()) {
                    diagnostics.add(new Diagnostic(Diagnostic.Kind.SCENARIO, s.file(), s.line(), null, null, s.id(),
                            String.join("; ", mismatches), s.compare(e)));
                }
            } catch (RuntimeException | StackOverflowError e) {
                diagnostics.add(new Diagnostic(Diagnostic.Kind.SCENARIO, s.file(), s.line(), null, null, s.id(),
                        "evaluation failed: " + RuleSet.describeFailure(e)));
            }
        }
        if (diagnostics.isEmpty()) {
            try {
                for (String problem : SafetyChecks.check(ruleSet)) {
                    diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, source.displayRoot(), null,
                            "safety check failed: " + problem));
                }
            } catch (RuntimeException | StackOverflowError e) {
                diagnostics.add(Diagnostic.of(Diagnostic.Kind.STRUCTURE, source.displayRoot(), null,
                        "safety check failed: evaluation failed: " + RuleSet.describeFailure(e)));
            }
        }
        for (RuleDescription r : ruleSet.rules()) {
            if (!exercised.contains(r.id())) {
                diagnostics.add(new Diagnostic(Diagnostic.Kind.STRUCTURE, r.file(), r.line(), null, r.name(), null,
                        "rule " + r.id() + " is not exercised by any scenario row; add a row in "
                                + source.displayPath("scenarios/") + " that makes it fire"));
            }
        }
        if (!diagnostics.isEmpty()) {
            ruleSet.close();
            return new LoadResult(null, diagnostics);
        }
        return new LoadResult(ruleSet, List.of());
    }
}
