package org.massagetriage.rules;

import java.time.Instant;
import java.util.Optional;

/**
 * Approvals and rejections of waiting candidates, shared by the replicas that watch one rules
 * directory and write one store (implemented above the rules: it reads and writes the store).
 * Every replica checks the same files and holds the same version waiting; an approval or a
 * rejection reaches one of them, and the others follow it from here. A replica only ever follows a
 * review for a candidate it compiled and checked itself: the store says what was decided, never
 * which files to serve.
 */
public interface SharedReviews {

    enum Verdict { APPROVED, REJECTED }

    /**
     * One review of one change.
     *
     * @param replaces the version serving when it was decided (the impact the reviewer saw is against it)
     * @param instance the instance it was decided on
     */
    record Review(String version, String replaces, Verdict verdict, String by, String comment, Instant at,
                  String instance) {
    }

    /** False without a store: reviews stay on the instance that made them, as before. */
    boolean shared();

    /**
     * Records this instance's review unless one holds already for the same change.
     *
     * @return the review that holds: this one, or one recorded a moment earlier on another replica
     * @throws RuntimeException when the store cannot take it (the review is then not made at all)
     */
    Review record(String version, String replaces, Verdict verdict, String by, String comment);

    /**
     * Records that {@code by} submitted this change through the API on this instance.
     *
     * @throws RuntimeException when the store cannot take it
     */
    void submitted(String version, String replaces, String by);

    /**
     * Whether {@code subject} submitted this change through the API on any instance.
     *
     * @throws RuntimeException when the store cannot be read
     */
    boolean submittedBy(String version, String replaces, String subject);

    /**
     * The review that holds for replacing {@code replaces} with {@code version}, if any.
     *
     * @throws RuntimeException when the store cannot be read
     */
    Optional<Review> find(String version, String replaces);
}
