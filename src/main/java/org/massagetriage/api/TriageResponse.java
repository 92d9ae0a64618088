package org.massagetriage.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Outcome;

/**
 * The v1 answer. Outcome and advice are the rules' vocabulary by name; {@code reasons} explain
 * every rule that concluded something, with the passage of the clinical source it encodes.
 */
public record TriageResponse(
        UUID decisionId,
        @Schema(description = "When the decision was made (UTC)") Instant evaluatedAt,
        @Schema(implementation = Outcome.class, type = SchemaType.STRING) String outcome,
        @Schema(description = "0 SELF_CARE, 1 CONTACT_THERAPIST, 2 URGENT_ASSESSMENT, 3 EMERGENCY", minimum = "0",
                maximum = "3")
        int urgency,
        @Schema(description = "Unique advice keys, most important first", type = SchemaType.ARRAY,
                implementation = AdviceKey.class)
        List<String> advice,
        @Schema(description = "Every rule that concluded something, with the clinical passage it encodes")
        List<Reason> reasons,
        @Schema(description = "Request fields not given that could change the answer, in request order",
                type = SchemaType.ARRAY) // items: MissingFact, written by FactsSchemaFilter
        List<String> missingFacts,
        Ruleset ruleset,
        @Schema(description = "With ?include=texts only: the language tag of the texts, as in Content-Language",
                nullable = true)
        @JsonInclude(JsonInclude.Include.NON_NULL) String textsLanguage,
        @Schema(description = "With ?include=texts only: the outcome's text in the answer's language (Content-Language)",
                nullable = true)
        @JsonInclude(JsonInclude.Include.NON_NULL) String outcomeText,
        @Schema(description = "With ?include=texts only: each advice key's text, in advice order", nullable = true)
        @JsonInclude(JsonInclude.Include.NON_NULL) List<AdviceText> adviceTexts) {

    public record AdviceText(@Schema(implementation = AdviceKey.class, type = SchemaType.STRING) String key, String text) {
    }

    /** @param outcome null when the rule concluded only advice or missing facts */
    @JsonSerialize(using = ReasonSerializer.class)
    public record Reason(String ruleId, String rule,
                         @Schema(implementation = Outcome.class, type = SchemaType.STRING, nullable = true) String outcome,
                         @Schema(type = SchemaType.ARRAY, implementation = AdviceKey.class) List<String> advice,
                         @Schema(description = "The rule's source text: registered ids in brackets, each followed by"
                                 + " the quote or finding it rests on") String source,
                         @Schema(description = "The registered sources the source text cites, in order")
                         List<SourceCitation> citations) {
    }

    public record Ruleset(@Schema(description = "Content hash of the rule files that decided") String version,
                          Instant loadedAt) {
    }
}
