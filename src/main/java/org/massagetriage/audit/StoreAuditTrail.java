package org.massagetriage.audit;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Decisions recorded in a database (H2 or PostgreSQL by JDBC URL). If the store cannot be reached,
 * decisions are refused (503) rather than answered unrecorded. At start-up the schema is migrated,
 * retried in the background while the store is unreachable, so the service can start before its
 * database.
 */
final class StoreAuditTrail implements ManagedAuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);

    private final TriageConfig.Store config;
    private final Duration keyRetention;
    private final DecisionStore store;
    private final GroupCommitWriter writer;
    private final ScheduledExecutorService migrations;
    private volatile boolean migrated;

    StoreAuditTrail(TriageConfig.Store config, Duration keyRetention, MeterRegistry registry) throws SQLException {
        this.config = config;
        this.keyRetention = keyRetention;
        Timer commits = Timer.builder("triage.store.write")
                .description("Time to commit one group of decision records")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(5))
                .register(registry);
        this.store = DecisionStore.open(this.config.jdbcUrl(), this.config.username(), this.config.password(),
                this.config.poolSize());
        this.writer = new GroupCommitWriter(store, this.config.queueCapacity(), this.config.maxBatch(),
                this.config.writeTimeout(), keyRetention, commits);
        this.migrations = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "decision-store-migration");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the first migration attempt in the background as the very first start-up step, so it
     * overlaps the rules' compilation (about 0.5 s and 1.5 s cold); {@link #awaitFirstMigration} then
     * holds the start until it is done, so a normal start answers at once.
     */
    @Override
    public void beginMigration() {
        firstAttempt = CompletableFuture.runAsync(this::migrateOrRetry, migrations);
    }

    @Override
    public void awaitFirstMigration() {
        if (firstAttempt != null) {
            try {
                firstAttempt.get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
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
            makePartitionsAhead(Instant.now());
        } catch (RuntimeException e) {
            Duration retry = config.retryInterval();
            LOG.errorf("Decision store unreachable (%s); decisions are refused with 503; retrying in %d ms: %s",
                    store.kind(), retry.toMillis(), rootMessage(e));
            migrations.schedule(this::migrateOrRetry, retry.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * PostgreSQL: makes the decision table's partitions for the month of {@code now} and the
     * configured months after it, where missing. A failure costs nothing yet (the default partition
     * takes a month without one); it is logged and tried again on the next hour.
     */
    @Override
    public void makePartitionsAhead(Instant now) {
        if (!migrated) {
            return;
        }
        store.partitions().ifPresent(partitions -> {
            try {
                var made = partitions.makeAhead(YearMonth.from(now.atZone(ZoneOffset.UTC)),
                        Math.max(0, config.partitionMonthsAhead()));
                if (!made.isEmpty()) {
                    LOG.infof("Decision store: made the partitions of %s", made);
                }
            } catch (SQLException e) {
                LOG.warnf("Decision store: could not make the partitions ahead (decisions of a month without one go to"
                        + " decision_default); retried hourly: %s", e.getMessage());
            }
        });
    }

    @Override
    public boolean recording() {
        return true;
    }

    /**
     * Commits the record; the stage completes when it is durable, or fails with
     * {@link StoreUnavailableException}. An answer is only sent once its record is durable.
     */
    @Override
    public CompletableFuture<Void> record(DecisionRecord record) {
        if (!migrated) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("The decision store is not ready", null));
        }
        return writer.write(record);
    }

    @Override
    public CompletableFuture<Optional<EarlierAnswer>> recordOnce(DecisionRecord record, IdempotencyKey key) {
        if (!migrated) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("The decision store is not ready", null));
        }
        return writer.write(record, key);
    }

    @Override
    public Optional<DecisionRecord> find(UUID id) {
        requireReady();
        try {
            return store.find(id);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The decision store cannot be read", e);
        }
    }

    @Override
    public DecisionPage list(DecisionQuery query) {
        requireReady();
        try {
            return store.list(query);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The decision store cannot be read", e);
        }
    }

    /** Null when the store answers; otherwise why not. */
    @Override
    public String unavailableReason() {
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

    @Override
    public List<RecordedCase> recentCases(Instant since, int max) {
        if (!migrated) {
            throw new StoreUnavailableException("The decision store is not ready", null);
        }
        try {
            return store.recentCases(since, max);
        } catch (SQLException e) {
            throw new StoreUnavailableException("The decision store cannot be read", e);
        }
    }

    @Override
    public RuleSetArchive ruleSets() {
        return new StoreRuleSetArchive(store.dataSource());
    }

    @Override
    public CardFeedbackArchive cardFeedback() {
        return new StoreCardFeedbackArchive(store.dataSource());
    }

    @Override
    public String kind() {
        return store.kind();
    }

    /**
     * Releases idempotency keys older than their retention (hourly, whatever {@code retention-days}
     * says: their stored answers are kept no longer than needed), and deletes decisions older than
     * {@code retention-days}, their keys and feedback with them: on PostgreSQL, months that expired
     * whole by dropping their partitions, then the expired rows of the month the cutoff falls in (and
     * of the default partition) one by one, as on H2, so no record outlives the retention by more than
     * the hour between runs. Returns how many decisions were deleted.
     */
    @Override
    public int deleteExpired(Instant now) {
        if (!migrated) {
            return 0;
        }
        try {
            int keys = store.deleteKeysOlderThan(now.minus(keyRetention));
            if (keys > 0) {
                LOG.infof("Retention: released %d idempotency keys older than %s", keys, keyRetention);
            }
        } catch (SQLException e) {
            LOG.errorf("Retention: could not release expired idempotency keys: %s", e.getMessage());
        }
        if (config.retentionDays() <= 0) {
            return 0;
        }
        Instant cutoff = now.minus(Duration.ofDays(config.retentionDays()));
        long dropped = 0;
        var partitions = store.partitions();
        if (partitions.isPresent()) {
            try {
                dropped = partitions.get().dropBefore(cutoff);
                if (dropped > 0) {
                    LOG.infof("Retention: dropped the partitions of months older than %d days, with %d decision records",
                            config.retentionDays(), dropped);
                }
            } catch (SQLException e) {
                // The row delete below still keeps the promise; the month is dropped next hour.
                LOG.warnf("Retention: could not drop an expired month's partition: %s", e.getMessage());
            }
        }
        try {
            int deleted = store.deleteOlderThan(cutoff);
            if (deleted > 0) {
                LOG.infof("Retention: deleted %d decision records older than %d days", deleted, config.retentionDays());
            }
            return (int) Math.min(Integer.MAX_VALUE, dropped + deleted);
        } catch (SQLException e) {
            LOG.errorf("Retention: could not delete expired decision records: %s", e.getMessage());
            return (int) Math.min(Integer.MAX_VALUE, dropped);
        }
    }

    private void requireReady() {
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

    @Override
    public void close() {
        migrations.shutdownNow();
        writer.close();
        store.close();
    }
}
