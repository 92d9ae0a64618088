package org.massagetriage.cdshooks;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A CDS Hooks 2.0 card, as sent. Field names and values are the spec's: {@code indicator} is
 * info, warning or critical; a link's {@code type} is absolute. No suggestions: the service advises,
 * it does not write into the EHR.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Card(String uuid, String summary, String detail, String indicator, Source source,
                   List<Coding> overrideReasons, List<Link> links) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Source(String label, String url, Coding topic) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Coding(String system, String code, String display) {
    }

    public record Link(String label, String url, String type) {
    }

    /** The answer of a hook call: the cards (always exactly one here). */
    public record Cards(List<Card> cards) {
    }
}
