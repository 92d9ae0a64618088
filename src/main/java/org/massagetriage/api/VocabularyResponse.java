package org.massagetriage.api;

import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;
import org.massagetriage.facts.Symptom;
import org.massagetriage.triage.VocabularyService;

/**
 * Every outcome and advice key with the text a booking system can show, and every symptom with the
 * question to ask the patient; texts come from the rule set.
 */
public record VocabularyResponse(String rulesetVersion,
                                 @Schema(description = "The texts' language tag, as in Content-Language") String language,
                                 List<OutcomeText> outcomes, List<AdviceText> advice,
                                 List<SymptomQuestion> symptoms,
                                 @Schema(description = "Every fact of a triage request, in request order, with its kind"
                                         + " and its range or values: enough to build a form") List<FactField> facts) {

    /**
     * One request field.
     *
     * @param kind   WHOLE_NUMBER (min..max), ONE_OF or SET_OF (values), FLAGS (flags, each yes/no)
     * @param values the constants of a ONE_OF or SET_OF fact, else empty
     * @param flags  the yes/no flags of a FLAGS fact, else empty
     */
    public record FactField(String name, @Schema(enumeration = {"WHOLE_NUMBER", "ONE_OF", "SET_OF", "FLAGS"}) String kind,
                            String description, @Schema(nullable = true) Integer min, @Schema(nullable = true) Integer max,
                            List<String> values, List<Flag> flags) {
        static FactField of(Fact f) {
            boolean number = f.kind() == Fact.Kind.WHOLE_NUMBER;
            return new FactField(f.factName(), f.kind().name(), f.description(), number ? f.min() : null,
                    number ? f.max() : null, f.constants().stream().map(Enum::name).toList(),
                    f.kind() == Fact.Kind.FLAGS ? Arrays.stream(Fact.HistoryFlag.values())
                            .map(h -> new Flag(h.flagName(), h.description())).toList() : List.of());
        }
    }

    public record Flag(String name, String description) {
    }

    public record OutcomeText(String outcome, int urgency, String meaning) {
    }

    public record AdviceText(String key, String text) {
    }

    /** @param question what to ask the patient, saying what exactly counts */
    public record SymptomQuestion(@Schema(implementation = Symptom.class, type = SchemaType.STRING) String symptom,
                                  String question) {
    }

    /** In contract order: outcomes by urgency, advice keys and symptoms as declared. */
    static VocabularyResponse of(VocabularyService.Texts texts) {
        return new VocabularyResponse(texts.rulesetVersion(), texts.language(),
                Arrays.stream(Outcome.values()).map(o -> new OutcomeText(o.name(), o.getUrgency(),
                        texts.vocabulary().outcomes().get(o))).toList(),
                Arrays.stream(AdviceKey.values()).map(a -> new AdviceText(a.name(),
                        texts.vocabulary().advice().get(a))).toList(),
                Arrays.stream(Symptom.values()).map(s -> new SymptomQuestion(s.name(),
                        texts.vocabulary().symptoms().get(s))).toList(),
                Arrays.stream(Fact.values()).map(FactField::of).toList());
    }
}
