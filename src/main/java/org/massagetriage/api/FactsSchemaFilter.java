package org.massagetriage.api;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.facts.Fact;
import org.massagetriage.facts.Outcome;

/**
 * Writes the request's schema ({@code TriageRequest}, {@code History}, one enum schema per fact
 * enum), the {@code Outcome} and {@code AdviceKey} enums and the {@code MissingFact} names into the OpenAPI document from the one description of
 * the facts, {@link Fact}, so that the document can never disagree with what the reader accepts.
 */
public class FactsSchemaFilter implements OASFilter {

    static final String REQUEST = "TriageRequest";
    static final String HISTORY = "History";
    static final String MISSING_FACT = "MissingFact";
    /** A typical value for the document's readers; the request examples show whole requests. */
    private static final Map<Fact, Integer> EXAMPLES = Map.of(Fact.HOURS_SINCE_MASSAGE, 24, Fact.PAIN_SEVERITY, 3);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Schema request = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).additionalPropertiesBoolean(false)
                .description("How the patient feels after a massage. Every field is optional; omit what was not asked"
                        + " (null is refused). Unknown fields and duplicate keys are refused.");
        for (Fact fact : Fact.values()) {
            request.addProperty(fact.factName(), property(openAPI, fact));
        }
        openAPI.getComponents().addSchema(REQUEST, request);
        // The answer's vocabularies, named as clients know them.
        addEnum(openAPI, Outcome.class, "Triage outcomes, in rising urgency");
        addEnum(openAPI, AdviceKey.class, "Advice keys; their texts are in GET /api/v1/vocabulary");
        List<Object> names = new ArrayList<>(Fact.MISSING_NAMES);
        openAPI.getComponents().addSchema(MISSING_FACT, OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .description("A request field that was not given and could change the answer; a history flag is named"
                        + " with its path, such as history.takesAnticoagulant").enumeration(names));
        Schema response = openAPI.getComponents().getSchemas().get("TriageResponse");
        if (response != null && response.getProperties() != null && response.getProperties().get("missingFacts") != null) {
            response.getProperties().get("missingFacts").items(OASFactory.createSchema().ref(MISSING_FACT));
        }
    }

    private static Schema property(OpenAPI openAPI, Fact fact) {
        return switch (fact.kind()) {
            case WHOLE_NUMBER -> OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32")
                    .minimum(BigDecimal.valueOf(fact.min())).maximum(BigDecimal.valueOf(fact.max()))
                    .description(fact.description()).example(EXAMPLES.get(fact));
            case ONE_OF -> OASFactory.createSchema().ref(enumSchema(openAPI, fact)).description(fact.description());
            case SET_OF -> OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).uniqueItems(true)
                    .items(OASFactory.createSchema().ref(enumSchema(openAPI, fact))).description(fact.description());
            case FLAGS -> {
                Schema history = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).additionalPropertiesBoolean(false);
                for (Fact.HistoryFlag flag : Fact.HistoryFlag.values()) {
                    history.addProperty(flag.flagName(), OASFactory.createSchema().addType(Schema.SchemaType.BOOLEAN)
                            .description(flag.description()));
                }
                openAPI.getComponents().addSchema(HISTORY, history);
                yield OASFactory.createSchema().ref(HISTORY).description(fact.description());
            }
        };
    }

    private static void addEnum(OpenAPI openAPI, Class<? extends Enum<?>> type, String description) {
        openAPI.getComponents().addSchema(type.getSimpleName(), OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .description(description).enumeration(new ArrayList<>(List.of(type.getEnumConstants()).stream()
                        .map(Enum::name).toList())));
    }

    /** The enum's schema under its simple name (PainCharacter, Symptom ...), as the response enums are named. */
    private static String enumSchema(OpenAPI openAPI, Fact fact) {
        String name = fact.constants().get(0).getDeclaringClass().getSimpleName();
        openAPI.getComponents().addSchema(name, OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                .enumeration(new ArrayList<>(fact.constants().stream().map(Enum::name).toList())));
        return name;
    }
}
