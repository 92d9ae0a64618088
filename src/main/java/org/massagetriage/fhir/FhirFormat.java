package org.massagetriage.fhir;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;

/**
 * FHIR R4 JSON in and out, through HAPI's model and parser. The {@link FhirContext} scans the whole
 * R4 model on creation (about a second and tens of MB, docs/performance.md), so it is made on the
 * first FHIR call, not at start-up: a service whose booking systems send plain JSON never pays for it.
 */
@ApplicationScoped
public class FhirFormat {

    public static final String MEDIA_TYPE = "application/fhir+json";

    private volatile FhirContext context;

    /** Thread-safe and reused; a parser is not, so each call makes its own (cheap once the context exists). */
    FhirContext context() {
        FhirContext c = context;
        if (c == null) {
            synchronized (this) {
                c = context;
                if (c == null) {
                    c = FhirContext.forR4();
                    context = c;
                }
            }
        }
        return c;
    }

    public String encode(IBaseResource resource) {
        return context().newJsonParser().setPrettyPrint(false).encodeResourceToString(resource);
    }

    /**
     * Parses strictly: an element FHIR does not define (a misspelt {@code answer}) or a value of the
     * wrong JSON type is an error, never dropped, so that it cannot turn into "not asked".
     */
    <T extends IBaseResource> T parse(Class<T> type, byte[] body) {
        IParser parser = context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        try {
            return parser.parseResource(type, new String(body, StandardCharsets.UTF_8));
        } catch (DataFormatException | IllegalArgumentException e) {
            throw new InvalidRequestException(List.of(new Problem.FieldError("$",
                    "not a FHIR R4 " + type.getSimpleName() + " in JSON: " + reason(e))));
        }
    }

    /** HAPI's message without its message code and without any parser location suffix. */
    private static String reason(Exception e) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^HAPI-\\d+: ", "");
        int source = message.indexOf("\n at [Source");
        message = source < 0 ? message : message.substring(0, source);
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }
}
