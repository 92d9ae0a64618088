package org.massagetriage.rules;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * Runs {@link RuleSetLoader#load} (compile, scenario rows, safety checks) under a deadline. Each
 * candidate is checked on a thread of its own, so that one that takes too long can be abandoned:
 * neither the compiler nor a running evaluation can be interrupted, but the caller (the rules
 * thread) is free again at the deadline and the candidate is rejected. An abandoned check runs to
 * its end in the background and its result is discarded; the gauge {@link #abandonedRunning()}
 * says how many are still running.
 */
final class DeadlineLoader {

    private static final Logger LOG = Logger.getLogger(DeadlineLoader.class);
    private static final AtomicLong THREADS = new AtomicLong();

    private final ClassLoader loader;
    private final CompiledRulesCache cache;
    private final AtomicInteger abandonedRunning = new AtomicInteger();
    /** Checks past their deadline allowed to run on before new checks are refused. */
    static final int MAX_ABANDONED = 2;

    /**
     * @param loader the class loader the rule compiler resolves fact classes through (Quarkus' application loader)
     */
    DeadlineLoader(ClassLoader loader) {
        this(loader, CompiledRulesCache.OFF);
    }

    /** @param cache where compiled consequences of known rules are looked up (never written here) */
    DeadlineLoader(ClassLoader loader, CompiledRulesCache cache) {
        this.loader = loader;
        this.cache = cache;
    }

    /**
     * @param setting the configuration key of the deadline, named in the diagnostic
     */
    RuleSetLoader.LoadResult load(RuleSetSource source, Duration deadline, String setting) {
        if (abandonedRunning.get() >= MAX_ABANDONED) {
            // Each abandoned check still holds a core and memory; starting more would let repeated
            // slow candidates exhaust the service. They end on their own (interrupted, or done).
            LOG.warnf("Rules %s not checked: %d checks past their deadline are still running", source.version(),
                    abandonedRunning.get());
            return new RuleSetLoader.LoadResult(null, List.of(Diagnostic.of(Diagnostic.Kind.STRUCTURE, source.displayRoot(),
                    null, "not checked: earlier checks that ran past their deadline are still running;"
                            + " try again in a minute")));
        }
        CompletableFuture<RuleSetLoader.LoadResult> result = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                RuleSetLoader.LoadResult r = RuleSetLoader.load(source, cache);
                if (!result.complete(r)) {
                    // Abandoned at the deadline: nobody will serve this rule set, release it.
                    abandonedRunning.decrementAndGet();
                    if (r.ruleSet() != null) {
                        r.ruleSet().close();
                    }
                    LOG.warnf("An abandoned rules check of %s finished after its deadline; its result was discarded",
                            source.version());
                }
            } catch (Throwable t) {
                if (!result.completeExceptionally(t)) {
                    abandonedRunning.decrementAndGet();
                }
            }
        }, "rules-check-" + THREADS.incrementAndGet());
        worker.setDaemon(true);
        worker.setContextClassLoader(loader);
        worker.start();
        try {
            result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandonedRunning.incrementAndGet();
            if (result.complete(null)) {
                worker.interrupt();
                LOG.warnf("Checking rules %s took longer than %d ms; rejected, and the check was abandoned (%d still running)",
                        source.version(), deadline.toMillis(), abandonedRunning.get());
                return new RuleSetLoader.LoadResult(null, List.of(Diagnostic.of(Diagnostic.Kind.STRUCTURE,
                        source.displayRoot(), null, "checking these rules (compiling, scenario rows and safety checks)"
                                + " took longer than " + deadline.toMillis() + " ms (" + setting + "), so they"
                                + " are rejected; the default rules take about a second to check")));
            }
            abandonedRunning.decrementAndGet(); // finished in the same instant
        } catch (InterruptedException e) {
            // The service is stopping: abandon the check, so that a late result is closed, not leaked.
            result.complete(null);
            Thread.currentThread().interrupt();
            worker.interrupt();
            throw new IllegalStateException("Interrupted while checking rules", e);
        } catch (ExecutionException e) {
            // handled below, from the completed future
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while checking rules", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            // RuleSetLoader turns every failure into diagnostics; what reaches here is an Error.
            LOG.errorf("Checking rules %s failed unexpectedly (%s)", source.version(), cause.getClass().getName());
            return new RuleSetLoader.LoadResult(null, List.of(Diagnostic.of(Diagnostic.Kind.COMPILE, source.displayRoot(),
                    null, "the rules could not be checked (" + cause.getClass().getSimpleName() + "); see the service log")));
        }
    }

    /** Checks abandoned at their deadline that have not finished yet. */
    int abandonedRunning() {
        return abandonedRunning.get();
    }
}
