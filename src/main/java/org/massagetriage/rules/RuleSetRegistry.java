package org.massagetriage.rules;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * Holds the active rule set and replaces it atomically. Every candidate (at start-up, on a file
 * change, on request) is compiled and checked on one background thread, never on a request
 * thread; only a candidate that compiles, passes the structural checks and every scenario is
 * swapped in. The replaced rule set is retired: requests that started on it finish on it, then it
 * is disposed. A rejected candidate leaves the last good one serving.
 */
@ApplicationScoped
public class RuleSetRegistry {

    private static final Logger LOG = Logger.getLogger(RuleSetRegistry.class);

    private final Path directory;
    private final TriageConfig.Rules config;
    private final AtomicReference<RuleSet> active = new AtomicReference<>();
    private final AtomicReference<ReloadAttempt> lastAttempt = new AtomicReference<>();
    /** One thread: reloads never overlap, and a swap is always from the version the reload compared against. */
    private final ExecutorService reloads;
    private final Event<ReloadAttempt> attempts;
    private RulesWatcher watcher;

    public RuleSetRegistry(TriageConfig config, Event<ReloadAttempt> attempts) {
        this.config = config.rules();
        this.attempts = attempts;
        this.directory = Path.of(this.config.directory());
        ClassLoader appLoader = Thread.currentThread().getContextClassLoader();
        this.reloads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rules-reload");
            t.setDaemon(true);
            // The rule compiler resolves fact classes through this loader (Quarkus' application loader).
            t.setContextClassLoader(appLoader);
            return t;
        });
    }

    /**
     * Loads the rules before the service takes requests. An invalid directory ends the start-up with
     * one clear message naming files and lines, rather than a stack trace.
     */
    void onStart(@Observes StartupEvent event) {
        ReloadAttempt attempt = reload(ReloadAttempt.Trigger.STARTUP);
        if (attempt.result() != ReloadAttempt.Result.ACCEPTED) {
            if (config.onInvalidAtStart() == TriageConfig.OnInvalidAtStart.EXIT) {
                LOG.errorf("The rules in '%s' cannot be served; the service stops. Fix these and start again:%n%s",
                        directory.toAbsolutePath(), Diagnostic.describeAll(attempt.diagnostics()));
                Quarkus.asyncExit(1);
                return;
            }
            LOG.errorf("The rules in '%s' cannot be served; not ready (503) until they are fixed:%n%s",
                    directory.toAbsolutePath(), Diagnostic.describeAll(attempt.diagnostics()));
        }
        if (config.watch()) {
            watcher = RulesWatcher.start(directory, config.debounce(), config.pollInterval(),
                    () -> reload(ReloadAttempt.Trigger.FILE_CHANGE));
        }
    }

    /** The rule set to decide with, or null when none is active (only before a good start-up). */
    public RuleSet active() {
        return active.get();
    }

    public ReloadAttempt lastAttempt() {
        return lastAttempt.get();
    }

    public Path directory() {
        return directory;
    }

    /**
     * Runs work on the single rules thread and waits for it: reloads never overlap, and candidate
     * validations queue behind them instead of compiling on many request threads at once.
     */
    public <T> T onReloadThread(java.util.concurrent.Callable<T> work) {
        try {
            return reloads.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the rules thread", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Work on the rules thread failed unexpectedly", e.getCause());
        }
    }

    /** Reads the directory, checks it, and swaps it in if it is good; waits for the result. */
    public ReloadAttempt reload(ReloadAttempt.Trigger trigger) {
        return onReloadThread(() -> doReload(trigger));
    }

    private ReloadAttempt doReload(ReloadAttempt.Trigger trigger) {
        long start = System.nanoTime();
        RuleSetSource source;
        try {
            source = RuleSetSource.read(directory);
        } catch (IOException e) {
            return record(trigger, start, ReloadAttempt.Result.REJECTED, null, List.of(Diagnostic.of(
                    Diagnostic.Kind.STRUCTURE, directory.toString(), null, "cannot read the directory: " + e.getMessage())));
        }
        RuleSet current = active.get();
        String version = source.version();
        if (current != null && current.version().equals(version) && source.readErrors().isEmpty()) {
            if (trigger == ReloadAttempt.Trigger.FILE_CHANGE) {
                return null; // a touch or an editor's temporary file: nothing to report
            }
            return record(trigger, start, ReloadAttempt.Result.UNCHANGED, version, List.of());
        }
        RuleSetLoader.LoadResult result = RuleSetLoader.load(source);
        if (!result.accepted()) {
            ReloadAttempt attempt = record(trigger, start, ReloadAttempt.Result.REJECTED, version, result.diagnostics());
            if (trigger != ReloadAttempt.Trigger.STARTUP) {
                LOG.errorf("Rules %s rejected (%s); %s keeps serving:%n%s", version, trigger,
                        current == null ? "nothing" : current.version(), Diagnostic.describeAll(result.diagnostics()));
            }
            return attempt;
        }
        RuleSet previous = active.getAndSet(result.ruleSet());
        if (previous != null) {
            previous.retire();
        }
        ReloadAttempt attempt = record(trigger, start, ReloadAttempt.Result.ACCEPTED, version, List.of());
        LOG.infof("Rule set %s active (%s, %d ms): %d rules from %s, %d scenarios passed", version, trigger,
                attempt.durationMillis(), result.ruleSet().rules().size(), directory, result.ruleSet().scenarios().size());
        return attempt;
    }

    private ReloadAttempt record(ReloadAttempt.Trigger trigger, long startNanos, ReloadAttempt.Result result,
                                 String version, List<Diagnostic> diagnostics) {
        RuleSet now = active.get();
        ReloadAttempt attempt = new ReloadAttempt(Instant.now().truncatedTo(ChronoUnit.MILLIS), trigger, result, version,
                now == null ? null : now.version(), (System.nanoTime() - startNanos) / 1_000_000, diagnostics);
        lastAttempt.set(attempt);
        attempts.fire(attempt);
        return attempt;
    }

    @PreDestroy
    void shutdown() {
        if (watcher != null) {
            watcher.close();
        }
        reloads.shutdownNow();
        try {
            // A reload still running could otherwise install a rule set after the one below is cleared.
            reloads.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RuleSet current = active.getAndSet(null);
        if (current != null) {
            current.retire();
        }
    }
}
