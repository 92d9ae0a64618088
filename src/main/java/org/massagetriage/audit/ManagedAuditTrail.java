package org.massagetriage.audit;

import java.time.Instant;

/** An audit trail with the start-up and shutdown steps {@link AuditTrails} runs; nothing to do by default. */
interface ManagedAuditTrail extends AuditTrail {

    /** Starts migrating the store's schema in the background. */
    default void beginMigration() {
    }

    /** Waits (bounded) for the first migration attempt. */
    default void awaitFirstMigration() {
    }

    /** Makes the store's partitions for the month of {@code now} and those ahead, where it has any. */
    default void makePartitionsAhead(Instant now) {
    }

    default void close() {
    }

    /** The rule-set history kept in the same store. */
    RuleSetArchive ruleSets();

    /** The CDS clients' feedback on their cards, kept in the same store. */
    CardFeedbackArchive cardFeedback();
}
