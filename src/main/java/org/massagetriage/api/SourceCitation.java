package org.massagetriage.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.massagetriage.facts.Citation;

/** A registered clinical source as clients see it, beside the quote of a rule or a reason. */
@Schema(description = "A registered clinical source (rules/sources.csv) that a rule's source text cites")
public record SourceCitation(
        @Schema(description = "The register's id, as the source text names it in brackets") String id,
        @Schema(description = "The full citation") String title,
        @Schema(description = "Where it can be read; absent when it has no public address", nullable = true) String url,
        @Schema(implementation = Citation.Strength.class, type = SchemaType.STRING) String strength,
        @Schema(description = "What to know before relying on it, such as a page seen only via a copy", nullable = true)
        String note) {

    static List<SourceCitation> all(List<Citation> citations) {
        return citations.stream().map(c -> new SourceCitation(c.id(), c.title(), c.url(), c.strength().name(), c.note())).toList();
    }
}
