package org.massagetriage.facts;

/**
 * A registered clinical source a rule cites, from the source register ({@code rules/sources.csv}).
 *
 * @param id       the id a rule's {@code @source} names in brackets, such as {@code [nice-cks-sciatica]}
 * @param title    the full citation: authors, title, publication, year
 * @param url      where it can be read, or null when it has no public address
 * @param strength how much weight it carries
 * @param note     what a reader should know before relying on it (such as "seen only via a copy"), or null
 */
public record Citation(String id, String title, String url, Strength strength, String note) {

    /** Strength of evidence, as the clinical review grades it. */
    public enum Strength {
        /** National guidance: NHS, NICE CKS, GIRFT, BMJ Best Practice. */
        NATIONAL_GUIDANCE,
        /** Guidance of one NHS trust or local service, such as a patient leaflet. */
        LOCAL_GUIDANCE,
        /** A systematic review of published reports. */
        SYSTEMATIC_REVIEW,
        /** An observational or clinical study. */
        STUDY,
        /** A case report: shows that a harm exists, not how often. */
        CASE_REPORT,
        /** The article on soreness after massage that the first rules encoded. */
        ARTICLE
    }
}
