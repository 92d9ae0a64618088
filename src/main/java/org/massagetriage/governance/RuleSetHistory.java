package org.massagetriage.governance;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.massagetriage.audit.AuditTrails;
import org.massagetriage.audit.RuleSetArchive;
import org.massagetriage.audit.StoreUnavailableException;
import org.massagetriage.facts.Citation;
import org.massagetriage.rules.RuleDescription;
import org.massagetriage.rules.ImpactReport;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetActivated;
import org.massagetriage.rules.ReleasedRules;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.RuleSetReviewed;
import org.massagetriage.rules.RuleSetSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Keeps every rule set that becomes active, and every activation, in the decision store. Written off
 * the rules thread, in activation order, retried until the store takes it: at start-up the store's
 * schema may still be migrating, and a store that is down must neither stop a reload nor lose the
 * history (a decision recorded later names the version, and must stay reproducible).
 */
@ApplicationScoped
public class RuleSetHistory implements ReleasedRules {

    private static final Logger LOG = Logger.getLogger(RuleSetHistory.class);
    private static final Duration FIRST_RETRY = Duration.ofMillis(500);
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** One activation per start and per edit, on every replica: a rule set's page shows the latest ones. */
    public static final int SHOWN_ACTIVATIONS = 50;

    private final RuleSetArchive archive;
    private final RuleSetRegistry registry;
    private final AuditTrails store;
    private final ObjectMapper json = new ObjectMapper();
    private final String instance = instanceName();
    private final AtomicInteger pending = new AtomicInteger();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ruleset-history");
        t.setDaemon(true);
        return t;
    });

    public RuleSetHistory(RuleSetArchive archive, RuleSetRegistry registry, AuditTrails store) {
        this.archive = archive;
        this.registry = registry;
        this.store = store;
    }

    /** Read at start-up, before the first rule set serves: waits for the store's schema first. */
    @Override
    public Optional<Map<String, String>> lastActivated() {
        if (!archive.available()) {
            return Optional.empty();
        }
        store.awaitStore();
        List<RuleSetArchive.Summary> latest = archive.list(1, null).items();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        return archive.find(latest.get(0).version()).map(RuleSetArchive.ArchivedRuleSet::files);
    }

    void onActivation(@Observes RuleSetActivated event) {
        if (!archive.available()) {
            return;
        }
        RuleSetArchive.ArchivedRuleSet ruleSet = new RuleSetArchive.ArchivedRuleSet(event.ruleSet().version(),
                event.at(), new TreeMap<>(event.source().files()), rulesJson(event.ruleSet().rules(), event.source()),
                event.ruleSet().rules().size(), event.ruleSet().scenarios().size(), impactJson(event.impact()));
        RuleSetArchive.Activation activation = new RuleSetArchive.Activation(UUID.randomUUID(), event.ruleSet().version(),
                event.previousVersion(), event.at(), event.trigger().name(), event.requestedBy(), event.approvedBy(),
                event.approvalComment(), instance);
        pending.incrementAndGet(); // before the write can end, so pendingWrites() is never 0 while one waits
        try {
            writer.execute(() -> writeUntilStored(ruleSet, activation));
        } catch (RejectedExecutionException stopping) {
            pending.decrementAndGet();
            LOG.warnf("Stopping: rule set %s activated but not stored in the history", ruleSet.version());
        }
    }

    /** The impact of a file edit, computed after it went live: set on its stored rule set, after the activation. */
    void onReview(@Observes RuleSetReviewed event) {
        if (!archive.available() || event.impact() == null) {
            return;
        }
        String impact = impactJson(event.impact());
        pending.incrementAndGet();
        try {
            writer.execute(() -> writeUntilStored(event.version(), "the impact of rule set " + event.version(),
                    () -> archive.recordImpact(event.version(), impact)));
        } catch (RejectedExecutionException stopping) {
            pending.decrementAndGet();
            LOG.warnf("Stopping: the impact of rule set %s not stored in the history", event.version());
        }
    }

    private void writeUntilStored(RuleSetArchive.ArchivedRuleSet ruleSet, RuleSetArchive.Activation activation) {
        writeUntilStored(ruleSet.version(), "rule set " + ruleSet.version(), () -> archive.recordActivation(ruleSet, activation));
    }

    private void writeUntilStored(String version, String what, Runnable write) {
        Duration wait = FIRST_RETRY;
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    write.run();
                    if (attempt > 1) {
                        LOG.infof("%s stored in the history after %d attempts", what, attempt);
                    }
                    return;
                } catch (RuleSetArchive.RejectedRecordException e) {
                    // Retrying would hold every later activation behind this one for ever.
                    LOG.errorf("Rule set %s cannot be stored in the history, and its decisions cannot be replayed: %s",
                            version, e.getMessage());
                    return;
                } catch (StoreUnavailableException e) {
                    if (attempt == 1 || attempt % 10 == 0) {
                        LOG.warnf("%s not yet stored in the history (%s); retrying", what,
                                e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                    }
                    TimeUnit.MILLISECONDS.sleep(wait.toMillis());
                    wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
                }
            }
        } catch (InterruptedException e) {
            LOG.warnf("Stopping with %s not stored in the history", what);
            Thread.currentThread().interrupt();
        } finally {
            pending.decrementAndGet();
        }
    }

    /** Activations not yet in the store (for tests and operators). */
    public int pendingWrites() {
        return pending.get();
    }

    public RuleSetArchive.Page list(int limit, String cursor) {
        return archive.list(limit, cursor);
    }

    public Optional<RuleSetArchive.ArchivedRuleSet> find(String version) {
        return archive.find(version);
    }

    /** The latest activations of a version (at most {@link #SHOWN_ACTIVATIONS}), oldest of them first. */
    public List<RuleSetArchive.Activation> activations(String version) {
        return archive.activations(version, SHOWN_ACTIVATIONS);
    }

    public int activationCount(String version) {
        return archive.activationCount(version);
    }

    /** The version serving on this instance, or null before a good start-up. */
    public String activeVersion() {
        RuleSet active = registry.active();
        return active == null ? null : active.version();
    }

    /**
     * What changed from {@code against} to {@code version}, both stored; empty when either is not.
     * Files and rules are compared as stored, so the diff of last month's versions is exact.
     */
    public Optional<RuleSetDiff.Result> diff(String version, String against) {
        Optional<RuleSetArchive.ArchivedRuleSet> after = archive.find(version);
        Optional<RuleSetArchive.ArchivedRuleSet> before = after.isEmpty() ? Optional.empty() : archive.find(against);
        if (after.isEmpty() || before.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(RuleSetDiff.between(before.get().files(), after.get().files()));
    }

    /**
     * The rules, kept with the rule set so a listing needs no compile: as GET /api/v1/rules shows
     * them, with the cited sources by id and the file relative to the rules directory (the
     * directory's path on this server is not part of the rule set).
     */
    private String rulesJson(List<RuleDescription> rules, RuleSetSource source) {
        String root = source.displayRoot() + "/";
        List<Map<String, Object>> out = new ArrayList<>();
        for (RuleDescription r : rules) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.name());
            m.put("file", r.file() != null && r.file().startsWith(root) ? r.file().substring(root.length()) : r.file());
            m.put("line", r.line());
            m.put("outcome", r.outcome() == null ? null : r.outcome().name());
            m.put("advice", r.advice().stream().map(Enum::name).toList());
            m.put("missingFacts", r.missingFacts());
            m.put("source", r.source());
            m.put("citations", r.citations().stream().map(Citation::id).toList());
            out.add(m);
        }
        try {
            return json.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Rule descriptions are plain strings and lists", e);
        }
    }

    private String impactJson(ImpactReport impact) {
        if (impact == null) {
            return null;
        }
        try {
            // As the reload answered it: with the verdict, not only the parts.
            com.fasterxml.jackson.databind.node.ObjectNode node = json.valueToTree(impact);
            node.put("downTriage", impact.downTriage());
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("An impact report is plain strings, numbers, lists and maps", e);
        }
    }

    /** This instance in the history: host and process id. */
    static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + ":" + ProcessHandle.current().pid();
    }

    /** Lets writes in progress finish (bounded) before the store closes, so an activation is not lost on a stop. */
    @PreDestroy
    void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warnf("Stopping with %d rule-set history writes not done", pending.get());
                writer.shutdownNow();
            }
        } catch (InterruptedException e) {
            writer.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
