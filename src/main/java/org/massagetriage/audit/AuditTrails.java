package org.massagetriage.audit;

import java.sql.SQLException;
import java.time.Instant;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/** Chooses the audit trail once at start-up, from {@code triage.store.recording}, and runs its lifecycle. */
@ApplicationScoped
public class AuditTrails {

    private static final Logger LOG = Logger.getLogger(AuditTrails.class);

    private final ManagedAuditTrail trail;

    AuditTrails(TriageConfig config, MeterRegistry registry) throws SQLException {
        if (config.store().recording()) {
            trail = new StoreAuditTrail(config.store(), config.idempotency().retention(), registry);
        } else {
            LOG.warn("Decision recording is OFF (triage.store.recording=false): answers are not traceable."
                    + " Use this only to benchmark the bare decision path.");
            trail = new NoAuditTrail();
        }
    }

    @Produces
    @Singleton
    AuditTrail auditTrail() {
        return trail;
    }

    @Produces
    @Singleton
    RuleSetArchive ruleSetArchive() {
        return trail.ruleSets();
    }

    @Produces
    @Singleton
    CardFeedbackArchive cardFeedback() {
        return trail.cardFeedback();
    }

    /**
     * Starts the first migration attempt in the background as the very first start-up step, so it
     * overlaps the rules' compilation; {@link #awaitFirstMigration} then holds the start until it is
     * done, so a normal start answers at once.
     */
    void beginMigration(@Observes @Priority(1) StartupEvent event) {
        trail.beginMigration();
    }

    /** Runs after the other start-up steps (the rule compilation among them). */
    void awaitFirstMigration(@Observes @Priority(Integer.MAX_VALUE - 1) StartupEvent event) {
        trail.awaitFirstMigration();
    }

    /**
     * Waits (bounded) until the store's schema is migrated, for a start-up step that must read the
     * store; returns at once after that, and at once without a store.
     */
    public void awaitStore() {
        trail.awaitFirstMigration();
    }

    /**
     * Applies the retention setting; runs hourly, and does nothing while retention is 0 (keep forever).
     * {@code triage.store.maintenance-every=off} stops both jobs here (tests that place records years
     * back and apply the retention themselves, at a time of their choosing).
     */
    @Scheduled(every = "${triage.store.maintenance-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // Not while starting or stopping: a run that meets the shutdown of a refused start finds no container.
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void applyRetention() {
        trail.deleteExpired(Instant.now());
    }

    /**
     * PostgreSQL: makes the decision partitions of this month and the months ahead (also done once
     * after the start-up migration); every replica runs it, and they take turns in the database.
     */
    @Scheduled(every = "${triage.store.maintenance-every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // Not while starting or stopping: a run that meets the shutdown of a refused start finds no container.
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void makePartitionsAhead() {
        trail.makePartitionsAhead(Instant.now());
    }

    @PreDestroy
    void close() {
        trail.close();
    }
}
