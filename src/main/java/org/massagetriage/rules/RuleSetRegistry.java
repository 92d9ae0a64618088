package org.massagetriage.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * Holds the active rule set and replaces it atomically. Every candidate (at start-up, on a file
 * change, on request) is compiled and checked on one background thread, never on a request
 * thread and under a deadline ({@link DeadlineLoader}); only a candidate that keeps to the rule
 * language, compiles, passes the structural checks and every scenario in time is swapped in. The replaced rule set is retired: requests that started on it finish on it, then it
 * is disposed. A rejected candidate leaves the last good one serving.
 */
@ApplicationScoped
public class RuleSetRegistry {

    private static final Logger LOG = Logger.getLogger(RuleSetRegistry.class);

    private final Path directory;
    private final TriageConfig.Rules config;
    private final AtomicReference<RuleSet> active = new AtomicReference<>();
    private final AtomicReference<ReloadAttempt> lastAttempt = new AtomicReference<>();
    /** A candidate waiting for approval, and the files of the serving rule set (for its diff). Set on the rules thread. */
    private final AtomicReference<Pending> pending = new AtomicReference<>();
    private volatile RuleSetSource activeSource;
    /** One thread: reloads never overlap, and a swap is always from the version the reload compared against. */
    private final ExecutorService reloads;
    /**
     * One thread for the impact of a file edit that went live without a gate: the edit serves at
     * once, and the next edit is checked while the last one's impact is still being computed.
     */
    private final ExecutorService afterSwap;
    /** Set when the service stops: impacts queued but not begun are skipped. */
    private volatile boolean stopping;
    /** Reloads asked for and not started yet, at most one per trigger. */
    private final Map<ReloadAttempt.Trigger, CompletableFuture<ReloadAttempt>> queuedReloads =
            new EnumMap<>(ReloadAttempt.Trigger.class);
    /** Candidate checks queued or running, by candidate version. */
    private final Map<String, CompletableFuture<RuleSetLoader.LoadResult>> checks = new HashMap<>();
    /** One check running and one waiting: enough for a clinician, bounded for a flood. */
    private static final int MAX_CHECKS = 2;
    private final DeadlineLoader deadlineLoader;
    /** Read by every check, written only here, after a rule set went live. */
    private final CompiledRulesCache compiledCache;
    private final Event<ReloadAttempt> attempts;
    private final Event<RuleSetActivated> activations;
    private final Event<RuleSetReviewed> reviewed;
    private final Instance<CandidateReview> reviews;
    private final Instance<ReleasedRules> released;
    private final Instance<SharedReviews> sharedReviews;
    /**
     * When the serving rules went live here other than at a start (a file change, an approval, an
     * API reload), else null. A review decided before that is of an earlier round of the same change
     * (the files went back to what serves now): it no longer counts. Read with the store's own
     * check, which covers other replicas, because this replica's activation reaches the store later.
     */
    private volatile Instant activeReleasedAt;
    /** A review made elsewhere is being applied on the rules thread: the follower does not queue another. */
    private final AtomicBoolean following = new AtomicBoolean();
    private final TriageConfig.Approval approval;
    /** Who asked for the queued reload of each trigger (API reloads only); read when it runs. */
    private final Map<ReloadAttempt.Trigger, String> queuedBy = new EnumMap<>(ReloadAttempt.Trigger.class);
    private RulesWatcher watcher;

    public RuleSetRegistry(TriageConfig config, Event<ReloadAttempt> attempts, Event<RuleSetActivated> activations,
                           Event<RuleSetReviewed> reviewed, Instance<CandidateReview> reviews,
                           Instance<ReleasedRules> released, Instance<SharedReviews> sharedReviews) {
        this.reviewed = reviewed;
        this.released = released;
        this.sharedReviews = sharedReviews;
        this.config = config.rules();
        this.attempts = attempts;
        this.activations = activations;
        this.reviews = reviews;
        this.approval = this.config.approval().orElse(config.security().local()
                ? TriageConfig.Approval.NONE : TriageConfig.Approval.DOWN_TRIAGE);
        this.directory = Path.of(this.config.directory());
        ClassLoader appLoader = Thread.currentThread().getContextClassLoader();
        this.compiledCache = this.config.compiledCache().enabled()
                ? new CompiledRulesCache(Path.of(this.config.compiledCache().directory())) : CompiledRulesCache.OFF;
        this.deadlineLoader = new DeadlineLoader(appLoader, compiledCache);
        this.reloads = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rules-reload");
            t.setDaemon(true);
            // The rule compiler resolves fact classes through this loader (Quarkus' application loader).
            t.setContextClassLoader(appLoader);
            return t;
        });
        this.afterSwap = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rules-impact");
            t.setDaemon(true);
            t.setContextClassLoader(appLoader);
            return t;
        });
    }

    /**
     * Loads the rules before the service takes requests. An invalid directory ends the start-up with
     * one clear message naming files and lines, rather than a stack trace.
     */
    void onStart(@Observes StartupEvent event) {
        ReloadAttempt attempt = awaitFirstCheck();
        if (attempt == null) {
            return; // stopping
        }
        if (active.get() == null) {
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
                    () -> requestReload(ReloadAttempt.Trigger.FILE_CHANGE));
        }
    }

    /**
     * The first check, waited for; null when the service is told to stop meanwhile. Quarkus finishes
     * starting before it stops, so a SIGTERM during a long first check would otherwise wait for it.
     */
    private ReloadAttempt awaitFirstCheck() {
        CompletableFuture<ReloadAttempt> waiting = requestReload(ReloadAttempt.Trigger.STARTUP).copy();
        Thread stopWaiting = new Thread(() -> waiting.cancel(false), "rules-startup-stop");
        try {
            Runtime.getRuntime().addShutdownHook(stopWaiting);
        } catch (IllegalStateException alreadyStopping) {
            return null;
        }
        try {
            return waiting.join();
        } catch (CancellationException stopping) {
            LOG.info("Stopping during the start-up check of the rules");
            return null;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopWaiting);
            } catch (IllegalStateException alreadyStopping) {
                // the hook has run or is running: nothing to remove
            }
        }
    }

    /** The rule set to decide with, or null when none is active (only before a good start-up). */
    public RuleSet active() {
        return active.get();
    }

    /** Checks abandoned at their deadline that are still running in the background. */
    public int abandonedChecksRunning() {
        return deadlineLoader.abandonedRunning();
    }

    public ReloadAttempt lastAttempt() {
        return lastAttempt.get();
    }

    public Path directory() {
        return directory;
    }

    /**
     * Asks for a reload and returns at once; the attempt completes on the rules thread. Requests are
     * coalesced: while a reload of this trigger is queued and not yet started, every further request
     * shares it (it reads the files after all of them were made), so any number of callers cost at
     * most one running and one queued reload, and no caller holds a thread while it waits.
     * The attempt of a file change is null when the files turned out unchanged.
     */
    public CompletableFuture<ReloadAttempt> requestReload(ReloadAttempt.Trigger trigger) {
        return requestReload(trigger, null);
    }

    /**
     * As {@link #requestReload(ReloadAttempt.Trigger)}, naming who asked (the token subject of an API
     * reload) for the rule-set history; a request that joins a queued reload leaves its first asker.
     */
    public CompletableFuture<ReloadAttempt> requestReload(ReloadAttempt.Trigger trigger, String requestedBy) {
        synchronized (queuedReloads) {
            CompletableFuture<ReloadAttempt> queued = queuedReloads.get(trigger);
            if (queued != null) {
                return queued;
            }
            CompletableFuture<ReloadAttempt> attempt = new CompletableFuture<>();
            queuedReloads.put(trigger, attempt);
            if (requestedBy != null) {
                queuedBy.put(trigger, requestedBy);
            }
            try {
                reloads.execute(() -> {
                    String asker;
                    synchronized (queuedReloads) {
                        queuedReloads.remove(trigger, attempt);
                        asker = queuedBy.remove(trigger);
                    }
                    try {
                        attempt.complete(doReload(trigger, asker));
                    } catch (Throwable t) {
                        attempt.completeExceptionally(t);
                    }
                });
            } catch (RejectedExecutionException e) {
                queuedReloads.remove(trigger, attempt);
                attempt.completeExceptionally(new IllegalStateException("The service is stopping", e));
            }
            return attempt;
        }
    }

    /**
     * Checks a candidate exactly as a reload would, on the rules thread and under the same deadline,
     * and throws it away. At most one check runs and one waits; a request beyond that gets
     * {@link RulesBusyException}. A candidate identical to one already waiting or running shares its result.
     */
    public CompletableFuture<RuleSetLoader.LoadResult> requestCheck(RuleSetSource candidate) {
        String version = candidate.version();
        synchronized (checks) {
            CompletableFuture<RuleSetLoader.LoadResult> same = checks.get(version);
            if (same != null) {
                return same;
            }
            if (checks.size() >= MAX_CHECKS || deadlineLoader.abandonedRunning() >= DeadlineLoader.MAX_ABANDONED) {
                throw new RulesBusyException(retryAfterSeconds());
            }
            CompletableFuture<RuleSetLoader.LoadResult> check = new CompletableFuture<>();
            checks.put(version, check);
            try {
                reloads.execute(() -> {
                    try {
                        RuleSetLoader.LoadResult result = deadlineLoader.load(candidate, config.checkTimeout(),
                                "triage.rules.check-timeout");
                        if (result.ruleSet() != null) {
                            result = result.withImpact(review(result.ruleSet()));
                            // A check activates nothing: keep the counts, release the compiled rules now.
                            result.ruleSet().close();
                        }
                        check.complete(result);
                    } catch (Throwable t) {
                        check.completeExceptionally(t);
                    } finally {
                        synchronized (checks) {
                            checks.remove(version, check);
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                checks.remove(version, check);
                throw new RulesBusyException(retryAfterSeconds());
            }
            return check;
        }
    }

    /** A client told to come back waits about one check's deadline. */
    private long retryAfterSeconds() {
        return Math.max(1, (config.checkTimeout().toMillis() + 999) / 1000);
    }

    private ReloadAttempt doReload(ReloadAttempt.Trigger trigger, String requestedBy) {
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
            dropPendingOtherThan(version); // the files went back to what serves: nothing waits any more
            if (trigger == ReloadAttempt.Trigger.FILE_CHANGE) {
                return null; // a touch or an editor's temporary file: nothing to report
            }
            return record(trigger, start, ReloadAttempt.Result.UNCHANGED, version, List.of());
        }
        ReloadAttempt last = lastAttempt.get();
        if (trigger == ReloadAttempt.Trigger.FILE_CHANGE && last != null && last.result() == ReloadAttempt.Result.REJECTED
                && last.trigger() == ReloadAttempt.Trigger.FILE_SAVE && version.equals(last.version())
                && source.readErrors().isEmpty()) {
            // The files a save through the API just wrote and saw rejected, seen again by the watcher:
            // nothing new to say, and the rejection keeps its own trigger.
            return null;
        }
        Pending waiting = pending.get();
        if (waiting != null && waiting.ruleSet().version().equals(version) && source.readErrors().isEmpty()) {
            // The same files wait already: keep who submitted them (a file event after an API reload must
            // not erase the submitter, who may not approve their own edit); one who asks for them through
            // the API becomes their submitter.
            if (waiting.requestedBy() == null && requestedBy != null) {
                pending.compareAndSet(waiting, new Pending(waiting.ruleSet(), waiting.source(), waiting.impact(),
                        waiting.trigger(), requestedBy, waiting.at()));
            }
            if (requestedBy != null && current != null) {
                shareSubmission(version, current.version(), requestedBy);
            }
            return trigger == ReloadAttempt.Trigger.FILE_CHANGE ? null
                    : record(trigger, start, ReloadAttempt.Result.PENDING_APPROVAL, version, List.of(), waiting.impact());
        }
        // The first check compiles cold (class loading, no JIT yet): it gets its own, longer deadline.
        RuleSetLoader.LoadResult result = trigger == ReloadAttempt.Trigger.STARTUP
                ? deadlineLoader.load(source, config.startupCheckTimeout(), "triage.rules.startup-check-timeout")
                : deadlineLoader.load(source, config.checkTimeout(), "triage.rules.check-timeout");
        if (!result.accepted() && current == null && approvalPolicy() != TriageConfig.Approval.NONE) {
            // Behind a gate, files that fail at start (say a broken save) do not leave the service
            // without rules: the ones released last serve, and the rejection is reported as usual.
            current = resumeLastReleased(source, start).ruleSet();
        }
        if (!result.accepted()) {
            dropPendingOtherThan(version); // the waiting files are no longer on disk
            ReloadAttempt attempt = record(trigger, start, ReloadAttempt.Result.REJECTED, version, result.diagnostics());
            if (trigger != ReloadAttempt.Trigger.STARTUP) {
                LOG.errorf("Rules %s rejected (%s); %s keeps serving:%n%s", version, trigger,
                        current == null ? "nothing" : current.version(), Diagnostic.describeAll(result.diagnostics()));
            }
            return attempt;
        }
        if (current == null && approvalPolicy() != TriageConfig.Approval.NONE) {
            Resume resume = resumeLastReleased(source, start);
            if (resume.unknown() != null) {
                result.ruleSet().close();
                return record(trigger, start, ReloadAttempt.Result.REJECTED, version, List.of(resume.unknown()));
            }
            current = resume.ruleSet();
        }
        if (current != null && approvalPolicy() == TriageConfig.Approval.NONE) {
            return activateThenReview(result.ruleSet(), source, trigger, requestedBy, start);
        }
        ImpactReport impact = review(result.ruleSet());
        if (current != null && needsApproval(impact)) {
            // Another replica may have decided on these very files already (its watcher was quicker, or
            // this replica restarted): follow that decision rather than wait for a second one. Safe,
            // because the candidate is this replica's own, compiled and checked here.
            SharedReviews.Review earlier = reviewedElsewhere(version, current.version());
            if (earlier != null && earlier.verdict() == SharedReviews.Verdict.APPROVED) {
                LOG.infof("Rule set %s was approved by %s on %s at %s: it goes live here without a second approval",
                        version, earlier.by(), earlier.instance(), earlier.at());
                return activate(result.ruleSet(), source, ReloadAttempt.Trigger.APPROVAL, requestedBy, impact, earlier.by(),
                        earlier.comment(), start);
            }
            if (earlier != null) {
                result.ruleSet().close();
                Pending replaced = pending.getAndSet(null);
                if (replaced != null) {
                    replaced.ruleSet().close(); // a newer edit replaces the waiting one, as below
                }
                LOG.warnf("Rule set %s was rejected by %s on %s at %s: it does not wait again; %s keeps serving",
                        version, earlier.by(), earlier.instance(), earlier.at(), current.version());
                return record(trigger, start, ReloadAttempt.Result.REJECTED, version,
                        List.of(rejectedElsewhere(source, earlier)), impact);
            }
            if (requestedBy != null) {
                shareSubmission(version, current.version(), requestedBy);
            }
            Pending replaced = pending.getAndSet(new Pending(result.ruleSet(), source, impact, trigger, requestedBy,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS)));
            if (replaced != null) {
                replaced.ruleSet().close(); // a newer edit replaces the waiting one
            }
            ReloadAttempt attempt = record(trigger, start, ReloadAttempt.Result.PENDING_APPROVAL, version, List.of(), impact);
            LOG.warnf("Rule set %s waits for approval (%s; %s): %s keeps serving", version, trigger,
                    impact == null ? "impact unknown" : "down-triage: " + impact.downTriage(), current.version());
            return attempt;
        }
        return activate(result.ruleSet(), source, trigger, requestedBy, impact, null, null, start);
    }

    /**
     * What a start behind an approval gate serves: the rule set released last again, nothing to
     * resume (the files on disk are the released ones, or nothing was ever released), or unknown.
     *
     * @param ruleSet the rule set now serving again, or null
     * @param unknown why the files on disk must not serve: the history cannot say what was released
     */
    private record Resume(RuleSet ruleSet, Diagnostic unknown) {
    }

    /**
     * At start-up behind an approval gate: the rule set released last serves again, when the files
     * on disk differ from it, so that they go through the gate (a candidate that was waiting at the
     * stop, or an edit made while the service was down). When the history cannot be read the files
     * on disk are not served either (they may be an edit that waits for approval): the service is
     * not ready until a reload can read it. When the released rules no longer pass this release's
     * checks, the files on disk serve (an upgrade must not leave a service without rules), logged
     * as an error.
     */
    private Resume resumeLastReleased(RuleSetSource onDisk, long start) {
        if (!released.isResolvable()) {
            return new Resume(null, null);
        }
        Optional<Map<String, String>> files;
        try {
            files = released.get().lastActivated();
        } catch (RuntimeException e) {
            LOG.errorf("The rule-set history cannot be read (%s): with approval %s the files on disk (%s) are not served"
                    + " until it can; reload when the store is back", e.getClass().getSimpleName(), approvalPolicy(),
                    onDisk.version());
            return new Resume(null, Diagnostic.of(Diagnostic.Kind.STRUCTURE, onDisk.displayRoot(), null,
                    "the rule-set history cannot be read, so it cannot tell which rules were released last; with"
                            + " triage.rules.approval=" + approvalPolicy().name().toLowerCase(java.util.Locale.ROOT)
                            + " these files (perhaps an edit waiting for approval) are not served until it can."
                            + " Reload (POST /api/v1/rules/reload) or restart once the decision store answers"));
        }
        if (files.isEmpty()) {
            return new Resume(null, null);
        }
        RuleSetSource last = RuleSetSource.of(onDisk.displayRoot(), files.get());
        if (last.version().equals(onDisk.version())) {
            return new Resume(null, null);
        }
        RuleSetLoader.LoadResult result = deadlineLoader.load(last, config.startupCheckTimeout(),
                "triage.rules.startup-check-timeout");
        if (!result.accepted()) {
            LOG.errorf("The rule set released last (%s) no longer passes this release's checks: the files on disk (%s)"
                    + " serve without approval:%n%s", last.version(), onDisk.version(),
                    Diagnostic.describeAll(result.diagnostics()));
            return new Resume(null, null);
        }
        activate(result.ruleSet(), last, ReloadAttempt.Trigger.STARTUP, null, null, null, null, start);
        LOG.infof("Rule set %s, released last, serves again; the files on disk (%s) are a candidate for approval",
                last.version(), onDisk.version());
        return new Resume(result.ruleSet(), null);
    }

    /** Swaps in a checked rule set and tells the history; on the rules thread. */
    private ReloadAttempt activate(RuleSet ruleSet, RuleSetSource source, ReloadAttempt.Trigger trigger, String requestedBy,
                                   ImpactReport impact, String approvedBy, String comment, long start) {
        Pending waiting = pending.getAndSet(null);
        if (waiting != null && waiting.ruleSet() != ruleSet) {
            waiting.ruleSet().close(); // a newer rule set went live: the waiting one is out of date
        }
        RuleSet previous = active.getAndSet(ruleSet);
        activeSource = source;
        if (previous != null) {
            previous.retire();
        }
        cacheCompiled(ruleSet, source);
        ReloadAttempt attempt = record(trigger, start, ReloadAttempt.Result.ACCEPTED, ruleSet.version(), List.of(), impact);
        activeReleasedAt = trigger == ReloadAttempt.Trigger.STARTUP ? null : attempt.at();
        try {
            activations.fire(new RuleSetActivated(ruleSet, source, previous == null ? null : previous.version(),
                    attempt.at(), trigger, requestedBy, impact, approvedBy, comment));
        } catch (RuntimeException e) {
            // The rules are live already: an observer's failure must not turn this reload into an error.
            LOG.errorf("An observer of the activation of %s failed (%s)", ruleSet.version(), e.getClass().getName());
        }
        LOG.infof("Rule set %s active (%s, %d ms): %d rules from %s, %d scenarios passed", ruleSet.version(), trigger,
                attempt.durationMillis(), ruleSet.rules().size(), directory, ruleSet.scenarios().size());
        return attempt;
    }

    /**
     * Keeps the compiled code of rules that just went live, for the next start: only now, after
     * every gate (a rejected or waiting candidate is never kept), and on the impact thread, so that
     * neither the rules thread nor the start waits for the disk.
     */
    private void cacheCompiled(RuleSet ruleSet, RuleSetSource source) {
        if (!compiledCache.enabled() || ruleSet.fromCompiledCache()) {
            return; // read from the cache, which marked the entry as recent
        }
        try {
            afterSwap.execute(() -> compiledCache.write(source, ruleSet.compiledClasses()));
        } catch (RejectedExecutionException stopping) {
            LOG.debugf("Stopping: the compiled rules %s are not cached", ruleSet.version());
        }
    }

    /**
     * Without an approval gate the impact decides nothing, so it does not delay the edit: the
     * candidate serves at once and is compared with the rules it replaced right after (those are
     * retired only then). An API reload waits for that (its caller reads the impact in the answer,
     * and the history gets the activation with it). A file edit does not: the history is told at
     * once (decisions under the new version are being recorded already), the impact is computed on
     * its own thread so the rules thread is free for the next edit, and follows.
     */
    private ReloadAttempt activateThenReview(RuleSet ruleSet, RuleSetSource source, ReloadAttempt.Trigger trigger,
                                             String requestedBy, long start) {
        Pending waiting = pending.getAndSet(null);
        if (waiting != null) {
            waiting.ruleSet().close();
        }
        RuleSet previous = active.getAndSet(ruleSet);
        activeSource = source;
        cacheCompiled(ruleSet, source);
        // Reported as soon as it serves; the same attempt with its impact replaces it once known.
        ReloadAttempt live = record(trigger, start, ReloadAttempt.Result.ACCEPTED, ruleSet.version(), List.of(), null);
        activeReleasedAt = trigger == ReloadAttempt.Trigger.STARTUP ? null : live.at();
        if (trigger != ReloadAttempt.Trigger.FILE_CHANGE) {
            ReloadAttempt attempt = reviewAfterSwap(ruleSet, previous, live, false);
            fireActivated(new RuleSetActivated(ruleSet, source, previous.version(), live.at(), trigger, requestedBy,
                    attempt.impact(), null, null));
            return attempt;
        }
        fireActivated(new RuleSetActivated(ruleSet, source, previous.version(), live.at(), trigger, requestedBy, null,
                null, null));
        Runnable followUp = () -> {
            if (stopping) {
                previous.retire();
                LOG.infof("Stopping: the impact of rule set %s is not computed", ruleSet.version());
                return;
            }
            ReloadAttempt attempt = reviewAfterSwap(ruleSet, previous, live, true);
            try {
                reviewed.fire(new RuleSetReviewed(ruleSet.version(), attempt.impact()));
            } catch (RuntimeException e) {
                LOG.errorf("An observer of the impact of %s failed (%s)", ruleSet.version(), e.getClass().getName());
            }
        };
        try {
            afterSwap.execute(followUp);
        } catch (RejectedExecutionException stopping) {
            followUp.run();
        }
        return live;
    }

    /** The impact of a rule set that serves already against the one it replaced, which is retired after. */
    private ReloadAttempt reviewAfterSwap(RuleSet ruleSet, RuleSet previous, ReloadAttempt live, boolean onImpactThread) {
        ImpactReport impact;
        try {
            impact = review(ruleSet, previous);
        } finally {
            if (onImpactThread) {
                previous.retire();
            } else {
                // The replaced rules may still be a file edit whose own impact waits on the impact thread:
                // retired after it there, so that review never meets a closed rule set.
                retireAfterPendingReviews(previous);
            }
        }
        ReloadAttempt attempt = new ReloadAttempt(live.at(), live.trigger(), live.result(), live.version(), live.activeVersion(),
                live.durationMillis(), live.diagnostics(), impact);
        lastAttempt.compareAndSet(live, attempt);
        LOG.infof("Rule set %s active (%s, %d ms; its impact %d ms later): %d rules from %s, %d scenarios passed",
                ruleSet.version(), live.trigger(), live.durationMillis(),
                Duration.between(live.at(), Instant.now()).toMillis(), ruleSet.rules().size(), directory,
                ruleSet.scenarios().size());
        return attempt;
    }

    private void retireAfterPendingReviews(RuleSet ruleSet) {
        try {
            afterSwap.execute(ruleSet::retire);
        } catch (RejectedExecutionException stopping) {
            ruleSet.retire();
        }
    }

    private void fireActivated(RuleSetActivated event) {
        try {
            activations.fire(event);
        } catch (RuntimeException e) {
            // The rules are live already: an observer's failure must not turn this reload into an error.
            LOG.errorf("An observer of the activation of %s failed (%s)", event.ruleSet().version(), e.getClass().getName());
        }
    }

    /** The effective approval policy: the setting, else none in local mode and down-triage otherwise. */
    private TriageConfig.Approval approvalPolicy() {
        return approval;
    }

    /** Down-triage with an impact that could not be computed is held too: safety first. */
    private boolean needsApproval(ImpactReport impact) {
        return switch (approvalPolicy()) {
            case NONE -> false;
            case ALWAYS -> true;
            case DOWN_TRIAGE -> impact == null || impact.needsReview();
        };
    }

    /** A waiting candidate whose files are no longer the directory's is withdrawn: nobody may approve it. */
    private void dropPendingOtherThan(String version) {
        Pending p = pending.get();
        if (p != null && !p.ruleSet().version().equals(version) && pending.compareAndSet(p, null)) {
            p.ruleSet().close();
            LOG.infof("Rule set %s no longer waits for approval: the files changed to %s", p.ruleSet().version(), version);
        }
    }

    /** A candidate that passed every check and waits for approval; the previous rules keep serving. */
    public record Pending(RuleSet ruleSet, RuleSetSource source, ImpactReport impact, ReloadAttempt.Trigger trigger,
                          String requestedBy, Instant at) {
    }

    /** The candidate waiting for approval, or null. */
    public Pending pending() {
        return pending.get();
    }

    /** The files of the serving rule set, or null before a good start-up. */
    public RuleSetSource activeSource() {
        return activeSource;
    }

    /**
     * Activates the waiting candidate of {@code version}, on the rules thread.
     *
     * @throws ApprovalRefusedException (through the future) when nothing of that version waits, or the
     *                                  approver is the subject that submitted it through the API
     */
    public CompletableFuture<ReloadAttempt> approve(String version, String approver, String comment) {
        return onRulesThread(() -> {
            Pending p = waiting(version);
            if (p.requestedBy() != null && p.requestedBy().equals(approver) || submittedElsewhere(version, approver)) {
                throw new ApprovalRefusedException(403, "Rule set " + version + " was submitted by " + approver
                        + "; a second clinician approves it");
            }
            // Shared first: if the store cannot take it, nothing goes live here either (a replica that
            // served an approval the others cannot see would serve another version than they do).
            SharedReviews.Review holding = share(version, SharedReviews.Verdict.APPROVED, approver, comment);
            if (holding != null && holding.verdict() == SharedReviews.Verdict.REJECTED) {
                dropRejected(p, holding);
                throw new ApprovalRefusedException(409, "Rule set " + version + " was rejected by " + holding.by() + " on "
                        + holding.instance() + " at " + holding.at() + "; it no longer waits");
            }
            return activate(p.ruleSet(), p.source(), ReloadAttempt.Trigger.APPROVAL, p.requestedBy(), p.impact(),
                    holding == null ? approver : holding.by(), holding == null ? comment : holding.comment(), System.nanoTime());
        });
    }

    /** Drops the waiting candidate of {@code version}; the serving rules stay. */
    public CompletableFuture<ReloadAttempt> reject(String version, String subject, String comment) {
        return onRulesThread(() -> {
            Pending p = waiting(version);
            SharedReviews.Review holding = share(version, SharedReviews.Verdict.REJECTED, subject, comment);
            if (holding != null && holding.verdict() == SharedReviews.Verdict.APPROVED) {
                // A rejection never puts anything live: the follower releases the candidate here if that
                // approval holds for this round (it also checks it against this replica's own release).
                throw new ApprovalRefusedException(409, "Rule set " + version + " was approved by " + holding.by() + " on "
                        + holding.instance() + " at " + holding.at() + "; this rejection is not recorded");
            }
            return dropRejected(p, holding != null ? holding
                    : new SharedReviews.Review(version, null, SharedReviews.Verdict.REJECTED, subject, comment, null, null));
        });
    }

    /** Drops a waiting candidate that was rejected (here or on another replica); the serving rules stay. On the rules thread. */
    private ReloadAttempt dropRejected(Pending p, SharedReviews.Review rejection) {
        pending.compareAndSet(p, null);
        p.ruleSet().close();
        LOG.infof("Rule set %s rejected by %s%s%s", p.ruleSet().version(), rejection.by(),
                rejection.instance() == null ? "" : " on " + rejection.instance(),
                rejection.comment() == null ? "" : ": " + rejection.comment());
        return record(ReloadAttempt.Trigger.APPROVAL, System.nanoTime(), ReloadAttempt.Result.REJECTED, p.ruleSet().version(),
                List.of(), p.impact());
    }

    /**
     * Records who submitted a waiting candidate through the API, for the other replicas' approval
     * check. A store that cannot take it is logged: approving needs the store as well (an approval
     * is shared before it counts), so an approval made while the record is missing can only follow
     * an outage in between.
     */
    private void shareSubmission(String version, String replaces, String by) {
        if (!sharedReviews.isResolvable() || !sharedReviews.get().shared()) {
            return;
        }
        try {
            sharedReviews.get().submitted(version, replaces, by);
        } catch (RuntimeException e) {
            LOG.errorf("The submitter %s of rule set %s cannot be recorded in the store (%s): other replicas cannot"
                    + " refuse their approval of it", by, version, e.getClass().getSimpleName());
        }
    }

    /** Whether {@code subject} submitted the change to {@code version} from the serving rules through another replica. */
    private boolean submittedElsewhere(String version, String subject) {
        if (!sharedReviews.isResolvable() || !sharedReviews.get().shared()) {
            return false;
        }
        try {
            return sharedReviews.get().submittedBy(version, active.get().version(), subject);
        } catch (RuntimeException e) {
            throw new ApprovalRefusedException(503, "The decision store does not answer, so who submitted rule set "
                    + version + " cannot be checked; the approval is not done (it still waits). Retry shortly");
        }
    }

    /**
     * Records this replica's review of the waiting candidate for the other replicas; null without a
     * store. Returns the review that holds: another replica's, when one decided a moment earlier.
     */
    private SharedReviews.Review share(String version, SharedReviews.Verdict verdict, String by, String comment) {
        if (!sharedReviews.isResolvable() || !sharedReviews.get().shared()) {
            return null;
        }
        try {
            return sharedReviews.get().record(version, active.get().version(), verdict, by, comment);
        } catch (RuntimeException e) {
            LOG.errorf("The %s of rule set %s by %s cannot be recorded in the store (%s): not done", verdict, version, by,
                    e.getCause() == null ? e.getClass().getSimpleName() : e.getCause().getMessage());
            throw new ApprovalRefusedException(503, "The decision store does not answer, so this "
                    + (verdict == SharedReviews.Verdict.APPROVED ? "approval" : "rejection") + " cannot reach the other"
                    + " replicas; it is not done (rule set " + version + " still waits). Retry shortly");
        }
    }

    /**
     * The review another replica made of replacing {@code replaces} with {@code version}, still of
     * this round (decided after the serving rules went live here); null when there is none or the
     * store cannot say (then the candidate waits, and the follower looks again).
     */
    private SharedReviews.Review reviewedElsewhere(String version, String replaces) {
        try {
            return lookUp(version, replaces).orElse(null);
        } catch (RuntimeException e) {
            LOG.warnf("Reviews of rule set %s cannot be read from the store (%s): it waits for approval here, and is"
                    + " looked for again every %s", version, e.getClass().getSimpleName(), config.followInterval());
            return null;
        }
    }

    private Optional<SharedReviews.Review> lookUp(String version, String replaces) {
        if (!sharedReviews.isResolvable() || !sharedReviews.get().shared()) {
            return Optional.empty();
        }
        Instant releasedHere = activeReleasedAt;
        return sharedReviews.get().find(version, replaces)
                .filter(r -> releasedHere == null || r.at().isAfter(releasedHere));
    }

    private static Diagnostic rejectedElsewhere(RuleSetSource source, SharedReviews.Review r) {
        return Diagnostic.of(Diagnostic.Kind.STRUCTURE, source.displayRoot(), null, "rejected by " + r.by() + " on "
                + r.instance() + " at " + r.at() + (r.comment() == null ? "" : " (" + r.comment() + ")")
                + ": these files do not wait for approval again while " + r.replaces() + " serves; change them to"
                + " submit another edit");
    }

    /**
     * Follows an approval or rejection made on another replica of the candidate waiting here. Called
     * by the scheduler (off the event loop and the rules thread: the store is read here); returns at
     * once when nothing waits. The decision is applied on the rules thread, and only if the same
     * candidate still waits against the same serving rules: a newer edit or a reload meanwhile wins.
     */
    public void followSharedReviews() {
        Pending p = pending.get();
        RuleSet serving = active.get();
        if (p == null || serving == null || following.get()) {
            return;
        }
        SharedReviews.Review review;
        try {
            review = lookUp(p.ruleSet().version(), serving.version()).orElse(null);
        } catch (RuntimeException e) {
            LOG.debugf("Reviews of rule set %s cannot be read from the store (%s); looking again later",
                    p.ruleSet().version(), e.getClass().getSimpleName());
            return;
        }
        if (review == null || !following.compareAndSet(false, true)) {
            return;
        }
        onRulesThread(() -> {
            if (pending.get() != p || active.get() != serving) {
                return null;
            }
            if (review.verdict() == SharedReviews.Verdict.REJECTED) {
                return dropRejected(p, review);
            }
            LOG.infof("Rule set %s approved by %s on %s at %s: it goes live here too", p.ruleSet().version(), review.by(),
                    review.instance(), review.at());
            return activate(p.ruleSet(), p.source(), ReloadAttempt.Trigger.APPROVAL, p.requestedBy(), p.impact(),
                    review.by(), review.comment(), System.nanoTime());
        }).whenComplete((attempt, failure) -> {
            following.set(false);
            if (failure != null) {
                LOG.errorf("The review of rule set %s by %s could not be followed (%s)", p.ruleSet().version(),
                        review.by(), failure.getClass().getName());
            }
        });
    }

    /** A file of the rules directory, as saved there now, and its tag for a conditional save. */
    public record StoredFile(String name, String content, String tag) {
    }

    /** The rules directory's files (relative names), as they are now: the serving files, or an edit not (yet) live. */
    public RuleSetSource directoryFiles() throws IOException {
        return RuleSetSource.read(directory);
    }

    /**
     * Writes one file of the rules directory and puts it through the same gate as an edit on disk
     * (compile, checks, scenarios, impact, approval), on the rules thread: a save and the watcher's
     * reload of the same edit never race, and the author is the requester of the attempt (kept in
     * the history; the author may not approve their own edit).
     *
     * @param name        a file the directory has now, relative (e.g. {@code scenarios/self-care.csv})
     * @param expectedTag the tag of the content the author edited, or null to overwrite whatever is there
     * @throws RuleFileException when the name is not a rule file of the directory, or the file changed meanwhile
     */
    public CompletableFuture<ReloadAttempt> saveFile(String name, String content, String expectedTag, String author) {
        return onRulesThread(() -> {
            Path target = ruleFile(name);
            try {
                // Through a link (a ConfigMap volume's entries, a linked folder), a save would replace the link
                // or write where it points: such files are edited where they come from, not through the API.
                if (!target.toRealPath().equals(directory.toRealPath().resolve(name).normalize())) {
                    throw new RuleFileException(409, name + " is reached through a link (a mounted ConfigMap or a"
                            + " linked folder): edit it where it comes from");
                }
                String now = Files.readString(target, java.nio.charset.StandardCharsets.UTF_8);
                if (expectedTag != null && !expectedTag.equals(tag(now))) {
                    throw new RuleFileException(412, name + " was changed by someone else since it was opened;"
                            + " open it again and redo the edit");
                }
                // Written whole, then moved over the file: the watcher never reads half a file.
                Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".saving");
                try {
                    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(temp,
                            java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                        while (bytes.hasRemaining()) {
                            channel.write(bytes);
                        }
                        channel.force(true); // on disk before it replaces the file: a crash leaves the old or the new
                    }
                    try {
                        // A temporary file is private to its owner; the saved file keeps the file's own permissions.
                        Files.setPosixFilePermissions(temp, Files.getPosixFilePermissions(target));
                    } catch (UnsupportedOperationException notPosix) {
                        // nothing to keep
                    }
                    Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("Cannot write " + name + " in the rules directory", e);
            }
            LOG.infof("%s saved through the API by %s", name, author);
            ReloadAttempt attempt = doReload(ReloadAttempt.Trigger.FILE_SAVE, author);
            return attempt != null ? attempt : lastAttempt.get();
        });
    }

    /** One file of the rules directory as it is now. */
    public StoredFile readFile(String name) {
        Path file = ruleFile(name);
        try {
            String content = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
            return new StoredFile(name, content, tag(content));
        } catch (IOException e) {
            throw new RuleFileException(404, name + " cannot be read: " + e.getClass().getSimpleName());
        }
    }

    /** A content tag for conditional saves: the file's SHA-256, in hex. */
    public static String tag(String content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /**
     * The path of a rule file the directory has now: only names the directory lists (its .drl,
     * .properties and .csv files), so a caller can neither create files nor leave the directory.
     */
    private Path ruleFile(String name) {
        RuleSetSource now;
        try {
            now = RuleSetSource.read(directory);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read the rules directory", e);
        }
        if (name == null || !now.files().containsKey(name)) {
            throw new RuleFileException(404, "No rule file '" + name + "' in the rules directory; the files are "
                    + String.join(", ", now.files().keySet()));
        }
        Path file = directory.resolve(name).normalize();
        if (!file.startsWith(directory.normalize())) {
            throw new RuleFileException(404, "No rule file '" + name + "' in the rules directory");
        }
        return file;
    }

    private Pending waiting(String version) {
        Pending p = pending.get();
        if (p == null || !p.ruleSet().version().equals(version)) {
            throw new ApprovalRefusedException(404, "No rule set " + version + " waits for approval"
                    + (p == null ? "" : "; " + p.ruleSet().version() + " does"));
        }
        return p;
    }

    private <T> CompletableFuture<T> onRulesThread(java.util.function.Supplier<T> work) {
        CompletableFuture<T> done = new CompletableFuture<>();
        try {
            reloads.execute(() -> {
                try {
                    done.complete(work.get());
                } catch (Throwable t) {
                    done.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            done.completeExceptionally(new IllegalStateException("The service is stopping", e));
        }
        return done;
    }

    private ReloadAttempt record(ReloadAttempt.Trigger trigger, long startNanos, ReloadAttempt.Result result,
                                 String version, List<Diagnostic> diagnostics) {
        return record(trigger, startNanos, result, version, diagnostics, null);
    }

    private ReloadAttempt record(ReloadAttempt.Trigger trigger, long startNanos, ReloadAttempt.Result result,
                                 String version, List<Diagnostic> diagnostics, ImpactReport impact) {
        RuleSet now = active.get();
        ReloadAttempt attempt = new ReloadAttempt(Instant.now().truncatedTo(ChronoUnit.MILLIS), trigger, result, version,
                now == null ? null : now.version(), (System.nanoTime() - startNanos) / 1_000_000, diagnostics, impact);
        lastAttempt.set(attempt);
        attempts.fire(attempt);
        return attempt;
    }

    /**
     * The candidate's impact against the active rules, on the rules thread; null when nothing is
     * active (start-up) or no review is installed. A failed review is logged, never a reason to
     * refuse rules that passed every check.
     */
    private ImpactReport review(RuleSet candidate) {
        return review(candidate, active.get());
    }

    private ImpactReport review(RuleSet candidate, RuleSet current) {
        if (current == null || !reviews.isResolvable()) {
            return null;
        }
        try {
            return reviews.get().review(candidate, current);
        } catch (RuntimeException | StackOverflowError e) {
            LOG.errorf("The impact of %s against %s could not be computed (%s)", candidate.version(), current.version(),
                    e.getClass().getName());
            return null;
        }
    }

    @PreDestroy
    void shutdown() {
        if (watcher != null) {
            watcher.close();
        }
        reloads.shutdownNow();
        // The impact being computed still reaches the history; impacts of edits not yet begun are skipped
        // (their activations stay in the history without one): queued work must not outlive the service.
        stopping = true;
        afterSwap.shutdown();
        try {
            // A reload still running could otherwise install a rule set after the one below is cleared.
            reloads.awaitTermination(10, TimeUnit.SECONDS);
            afterSwap.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending waiting = pending.getAndSet(null);
        if (waiting != null) {
            waiting.ruleSet().close();
        }
        RuleSet current = active.getAndSet(null);
        if (current != null) {
            current.retire();
        }
    }
}
