package org.massagetriage.audit;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.ops.TriageMetrics;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The decision audit trail: every answered decision is committed before its answer leaves, and can
 * be read back. If the store cannot be reached, decisions are refused (503) rather than answered
 * unrecorded. At start-up the schema is migrated, retried in the background while the store is
 * unreachable, so the service can start before its database.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    private final TriageConfig.Store config;
    private final DecisionStore store;
    private final GroupCommitWriter writer;
    private final ScheduledExecutorService migrations;
    private volatile boolean migrated;

    public AuditTrail(TriageConfig config, TriageMetrics metrics) throws SQLException {
        this.config = config.store();
        if (!this.config.recording()) {
            LOG.warn("Decision recording is OFF (triage.store.recording=false): answers are not traceable."
                    + " Use this only to benchmark the bare decision path.");
            this.store = null;
            this.writer = null;
            this.migrations = null;
            return;
        }
        this.store = DecisionStore.open(this.config.jdbcUrl(), this.config.username(), this.config.password(),
                this.config.poolSize());
        this.writer = new GroupCommitWriter(store, this.config.queueCapacity(), this.config.maxBatch(),
                this.config.writeTimeout(), metrics.storeWriteTimer());
        this.migrations = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "decision-store-migration");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the first migration attempt in the background as the very first start-up step, so it
     * overlaps the rules' compilation (about 0.5 s and 1.5 s cold); {@link #awaitFirstAttempt} then
     * holds the start until it is done, so a normal start answers at once.
     */
    void beginMigration(@Observes @Priority(1) StartupEvent event) {
        if (store != null) {
            firstAttempt = CompletableFuture.runAsync(this::migrateOrRetry, migrations);
        }
    }

    /** Runs after the other start-up steps (the rule compilation among them). */
    void awaitFirstAttempt(@Observes @Priority(Integer.MAX_VALUE - 1) StartupEvent event) {
        if (firstAttempt != null) {
            try {
                firstAttempt.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                LOG.warnf("The first decision-store migration attempt did not finish: %s", rootMessage(e));
            }
        }
    }

    private volatile CompletableFuture<Void> firstAttempt;

    private void migrateOrRetry() {
        try {
            store.migrate();
            migrated = true;
            LOG.infof("Decision store ready (%s)", store.kind());
        } catch (RuntimeException e) {
            Duration retry = config.retryInterval();
            LOG.errorf("Decision store unreachable (%s); decisions are refused with 503; retrying in %d ms: %s",
                    store.kind(), retry.toMillis(), rootMessage(e));
            migrations.schedule(this::migrateOrRetry, retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public boolean recording() {
        return store != null;
    }

    /**
     * Commits the record; the stage completes when it is durable, or fails with
     * {@link StoreUnavailableException}. An answer is only sent once its record is durable.
     */
    public CompletableFuture<Void> record(DecisionRecord record) {
        if (store == null) {
            return DONE;
        }
        if (!migrated) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("The decision store is not ready", null));
        }
        return writer.write(record);
    }

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    public Optional<DecisionRecord> find(UUID id) {
        requireReady();
        try {
            return store.find(id);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The decision store cannot be read", e);
        }
    }

    public DecisionPage list(DecisionQuery query) {
        requireReady();
        try {
            return store.list(query);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The decision store cannot be read", e);
        }
    }

    /** Null when the store answers; otherwise why not. */
    public String unavailableReason() {
        if (store == null) {
            return null;
        }
        if (!migrated) {
            return "not migrated yet (store unreachable at start-up)";
        }
        try {
            store.ping();
            return writer.problem();
        } catch (SQLException e) {
            // Readiness is open to anyone by default: the driver's message (host, user, file) stays in the log.
            LOG.debugf("Decision store ping failed: %s", rootMessage(e));
            return "the store does not answer";
        }
    }

    public String kind() {
        return store == null ? "none (recording off)" : store.kind();
    }

    /** Applies the retention setting; runs hourly, and does nothing while retention is 0 (keep forever). */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void applyRetention() {
        deleteExpired(Instant.now());
    }

    /** Deletes what the retention setting says is expired at {@code now}; returns how many. */
    public int deleteExpired(Instant now) {
        if (store == null || config.retentionDays() <= 0 || !migrated) {
            return 0;
        }
        try {
            int deleted = store.deleteOlderThan(now.minus(Duration.ofDays(config.retentionDays())));
            if (deleted > 0) {
                LOG.infof("Retention: deleted %d decision records older than %d days", deleted, config.retentionDays());
            }
            return deleted;
        } catch (SQLException e) {
            LOG.errorf("Retention: could not delete expired decision records: %s", e.getMessage());
            return 0;
        }
    }

    private void requireReady() {
        if (store == null) {
            throw new StoreUnavailableException("Decision recording is off in this deployment", null);
        }
        if (!migrated) {
            throw new StoreUnavailableException("The decision store is not ready", null);
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    @PreDestroy
    void close() {
        if (store != null) {
            migrations.shutdownNow();
            writer.close();
            store.close();
        }
    }
}
