package org.massagetriage.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;

/**
 * The history of rule sets, in the decision store: every rule set that became active, stored once by
 * version, and a log of every activation. Rule sets are never deleted (a retained decision may name
 * any of them); so a decision of last month can be shown and replayed under the exact rules that
 * made it. Every method throws {@link StoreUnavailableException} when the store cannot be used.
 */
public interface RuleSetArchive {

    /**
     * A stored rule set.
     *
     * @param files     every file of the rules directory, path relative to it -> content
     * @param rulesJson the rules as clients see them (JSON array), kept so a listing needs no compile
     * @param impactJson its impact report against the rule set it first replaced (JSON), or null
     */
    record ArchivedRuleSet(String version, Instant storedAt, SortedMap<String, String> files, String rulesJson,
                           int ruleCount, int scenarioCount, String impactJson) {
    }

    /** One activation of a rule set on one instance. */
    record Activation(UUID id, String version, String previousVersion, Instant activatedAt, String trigger,
                      String requestedBy, String approvedBy, String approvalComment, String instance) {
    }

    /** A rule set in a listing, without its files. */
    record Summary(String version, Instant storedAt, Instant lastActivatedAt, int ruleCount, int scenarioCount) {
    }

    /** Newest first; {@code nextCursor} null on the last page. */
    record Page(List<Summary> items, String nextCursor) {
    }

    /**
     * Stores the rule set unless its version is stored already, then logs the activation (again the
     * same activation is a no-op, so a write whose reply was lost can be retried).
     *
     * @throws StoreUnavailableException when the store cannot take it now (worth retrying)
     * @throws RejectedRecordException   when the store will never take it (too large, invalid)
     */
    void recordActivation(ArchivedRuleSet ruleSet, Activation activation);

    /**
     * Sets the impact report of a stored rule set that has none yet: a file edit without an approval
     * gate serves (and is stored) first, its impact is known seconds later. A report set already stays.
     *
     * @throws StoreUnavailableException when the store cannot take it now (worth retrying)
     */
    void recordImpact(String version, String impactJson);

    /**
     * An approval or rejection of a rule set that waited for approval, shared by the replicas that hold
     * the same files waiting (migration V6). A review is of one change: {@code replaces} is the version
     * that served when it was decided.
     *
     * @param decision {@code APPROVED} or {@code REJECTED}
     * @param instance the instance it was decided on
     */
    record Review(long id, String version, String replaces, String decision, String decidedBy, String comment,
                  Instant decidedAt, String instance) {
    }

    /**
     * Records a review unless one holds already for the same change, and returns the one that holds:
     * this one, or the first one recorded (another replica's, decided a moment earlier).
     *
     * @param review its {@code id} is ignored (the store numbers reviews)
     * @throws StoreUnavailableException when the store cannot take it now
     */
    Review recordReview(Review review);

    /**
     * The review that holds for replacing {@code replaces} with {@code version}: the first recorded
     * since {@code replaces} last went live other than at a start (a revert to it starts a new round,
     * in which earlier reviews of the same change no longer count); empty when there is none.
     *
     * @throws StoreUnavailableException when the store cannot be read
     */
    Optional<Review> findReview(String version, String replaces);

    /**
     * Records that {@code submittedBy} submitted replacing {@code replaces} with {@code version}
     * through the API on {@code instance}.
     *
     * @throws StoreUnavailableException when the store cannot take it now
     */
    void recordSubmission(String version, String replaces, String submittedBy, Instant at, String instance);

    /**
     * Whether {@code subject} ever submitted replacing {@code replaces} with {@code version} (on any
     * instance): they may not approve it.
     *
     * @throws StoreUnavailableException when the store cannot be read
     */
    boolean submitted(String version, String replaces, String subject);

    /** The store refuses the record itself, not for now: retrying cannot help. */
    class RejectedRecordException extends RuntimeException {
        public RejectedRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Optional<ArchivedRuleSet> find(String version);

    /** The latest {@code limit} activations of one version, oldest of them first. */
    List<Activation> activations(String version, int limit);

    /** How often a version was activated, on all instances. */
    int activationCount(String version);

    /**
     * Rule sets by their latest activation, most recent first (a rollback brings an old version back
     * to the top).
     *
     * @param cursor null for the first page, else a {@code nextCursor} of an earlier page
     */
    Page list(int limit, String cursor);

    /** False when recording is off: there is no store to keep history in. */
    boolean available();

    /** Whether {@code cursor} is one {@link #list} could have written (a client's bad cursor is a 400, not a 503). */
    static boolean isCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|", 2);
            Instant.parse(parts[0]);
            return parts.length == 2 && !parts[1].isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
