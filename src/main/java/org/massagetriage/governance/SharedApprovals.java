package org.massagetriage.governance;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.audit.AuditTrails;
import org.massagetriage.audit.RuleSetArchive;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.SharedReviews;

import io.quarkus.scheduler.Scheduled;

/**
 * Approvals and rejections of waiting candidates in the store (table {@code ruleset_review}), so
 * that one approval through the load balancer releases the edit on every replica, and a replica that
 * sees the edit after it was approved (a slow watcher, a restart) does not wait for a second one.
 */
@ApplicationScoped
public class SharedApprovals implements SharedReviews {

    private final RuleSetArchive archive;
    private final RuleSetRegistry registry;
    private final AuditTrails store;
    private final String instance = RuleSetHistory.instanceName();

    public SharedApprovals(RuleSetArchive archive, RuleSetRegistry registry, AuditTrails store) {
        this.archive = archive;
        this.registry = registry;
        this.store = store;
    }

    @Override
    public boolean shared() {
        return archive.available();
    }

    @Override
    public Review record(String version, String replaces, Verdict verdict, String by, String comment) {
        store.awaitStore();
        return review(archive.recordReview(new RuleSetArchive.Review(0, version, replaces, verdict.name(), by, comment,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), instance)));
    }

    @Override
    public void submitted(String version, String replaces, String by) {
        store.awaitStore();
        archive.recordSubmission(version, replaces, by, Instant.now().truncatedTo(ChronoUnit.MILLIS), instance);
    }

    @Override
    public boolean submittedBy(String version, String replaces, String subject) {
        store.awaitStore();
        return archive.submitted(version, replaces, subject);
    }

    @Override
    public Optional<Review> find(String version, String replaces) {
        store.awaitStore(); // at start-up the review table may still be migrating
        return archive.findReview(version, replaces).map(SharedApprovals::review);
    }

    /**
     * The follower: a replica holding a candidate looks for a review made elsewhere. On the
     * scheduler's worker thread (the store read never blocks the event loop or the rules thread); the
     * registry returns at once when nothing waits.
     */
    @Scheduled(identity = "follow-shared-reviews", every = "${triage.rules.follow-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            // Not while starting or stopping: a run that meets the shutdown of a refused start finds no container.
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void follow() {
        if (shared()) {
            registry.followSharedReviews();
        }
    }

    private static Review review(RuleSetArchive.Review r) {
        return new Review(r.version(), r.replaces(), Verdict.valueOf(r.decision()), r.decidedBy(), r.comment(),
                r.decidedAt(), r.instance());
    }
}
