package org.massagetriage.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.massagetriage.fhir.CheckInResponseReader;
import org.massagetriage.fhir.FhirFormat;
import org.massagetriage.http.AcceptLanguage;
import org.massagetriage.http.Callers;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.security.Roles;
import org.massagetriage.triage.TriageService;
import org.massagetriage.triage.VocabularyService;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;

/**
 * {@code POST /api/v1/triage}: reads the request strictly, hands it to the service, returns its answer.
 * A FHIR QuestionnaireResponse ({@code application/fhir+json}) is first turned into the JSON request
 * it stands for, then read by the same reader: one decision path, one audit shape.
 */
@Path("/api/v1/triage")
@RolesAllowed(Roles.TRIAGE_CLIENT)
public class TriageResource {

    private final TriageRequestReader reader;
    private final TriageService service;
    private final CheckInResponseReader checkIn;
    private final ObjectMapper mapper;

    public TriageResource(TriageRequestReader reader, TriageService service, CheckInResponseReader checkIn,
                          ObjectMapper mapper) {
        this.reader = reader;
        this.service = service;
        this.checkIn = checkIn;
        this.mapper = mapper;
    }

    /** The body is taken as bytes so that the strict reader, not lenient data binding, sees every field. */
    @Operation(summary = "Triage how a patient feels after a massage",
            description = "Every request field is optional; an omitted field means 'not asked' and is never assumed"
                    + " normal. The answer is recorded in the audit trail before it is sent. With Content-Type"
                    + " application/fhir+json the body is a FHIR R4 QuestionnaireResponse to"
                    + " GET /fhir/Questionnaire/post-massage-check-in, answered and recorded as the equivalent JSON request.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = FactsSchemaFilter.REQUEST), examples = {
                    @ExampleObject(name = "normal soreness", value = OpenApiExamples.SELF_CARE_REQUEST),
                    @ExampleObject(name = "beyond 72 hours, unchanged", value = OpenApiExamples.CONTACT_THERAPIST_REQUEST),
                    @ExampleObject(name = "sharp pain with swelling", value = OpenApiExamples.URGENT_ASSESSMENT_REQUEST),
                    @ExampleObject(name = "fainting", value = OpenApiExamples.EMERGENCY_REQUEST),
                    @ExampleObject(name = "facts missing", value = OpenApiExamples.SAFETY_NET_REQUEST)}))
    @APIResponse(responseCode = "200", description = "The decision, recorded; or, for a retry with an Idempotency-Key,"
            + " the first request's decision again",
            headers = @Header(name = IdempotencyKeyHeader.REPLAYED, description = "true when this is the answer of an"
                    + " earlier request with the same Idempotency-Key (nothing new was recorded); absent otherwise",
                    schema = @Schema(type = SchemaType.STRING, enumeration = "true")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TriageResponse.class),
                    examples = {
                            @ExampleObject(name = "SELF_CARE", value = OpenApiExamples.SELF_CARE_RESPONSE),
                            @ExampleObject(name = "CONTACT_THERAPIST", value = OpenApiExamples.CONTACT_THERAPIST_RESPONSE),
                            @ExampleObject(name = "URGENT_ASSESSMENT", value = OpenApiExamples.URGENT_ASSESSMENT_RESPONSE),
                            @ExampleObject(name = "EMERGENCY", value = OpenApiExamples.EMERGENCY_RESPONSE),
                            @ExampleObject(name = "CONTACT_THERAPIST (safety net)", value = OpenApiExamples.SAFETY_NET_RESPONSE)}))
    @APIResponse(responseCode = "400", description = "Invalid request: each offending field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class),
                    examples = @ExampleObject(name = "misspelt field", value = OpenApiExamples.INVALID)))
    @APIResponse(responseCode = "401", description = "No bearer token, or one that is not valid for this service",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The token's roles do not include triage-client",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body too large",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not application/json or application/fhir+json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "No valid rule set active, or the decision cannot be recorded; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "This Idempotency-Key was used before by this client with other"
            + " facts: use a new key for a new request",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "501", description = "Idempotency-Key sent while decision recording is off (benchmark"
            + " deployments only): no store to hold the key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    // Read from the headers, not bound: a header sent twice must be refused, not half read.
    @Parameter(in = ParameterIn.HEADER, name = IdempotencyKeyHeader.NAME, description = IDEMPOTENCY_KEY,
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = IdempotencyKeyHeader.MAX_LENGTH,
                    pattern = "^[\\x21-\\x7E]+$"))
    public CompletionStage<Response> triage(@Context HttpHeaders headers, @Context SecurityContext security,
            @Parameter(description = "texts: add outcomeText, adviceTexts and their language in the language"
                    + " Accept-Language picks (named in Content-Language); without it the answer is exactly v1's",
                    schema = @Schema(enumeration = {"texts"})) @QueryParam("include") String include,
            @Parameter(description = "Language preferences for the texts (with include=texts); English when none is"
                    + " available") @HeaderParam(AcceptLanguage.HEADER) String acceptLanguage,
            @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        return decide(headers, security, include, acceptLanguage, () -> reader.read(body));
    }

    static final String IDEMPOTENCY_KEY = "Optional. A retry with the same key and the same facts, from the same client"
            + " (token subject and issuer), within triage.idempotency.retention (24 h by default), is answered with the"
            + " first request's decision again, byte for byte, with Idempotent-Replayed: true, and records nothing; with"
            + " other facts, 422. A retry while the first is still being decided waits for its answer. Later than the"
            + " retention, the key starts a new decision. 1 to 255 visible ASCII characters, compared exactly.";

    /**
     * The same decision for a QuestionnaireResponse to {@code GET /fhir/Questionnaire/post-massage-check-in}.
     * Blocking: the first FHIR call creates HAPI's context (about a second), which must not hold an event loop.
     * The OpenAPI document merges this method into the JSON one (one operation, two request content types,
     * the JSON method's summary), so that one says the FHIR body is accepted too.
     */
    @Operation(summary = "Triage a FHIR check-in",
            description = "A FHIR R4 QuestionnaireResponse to the Questionnaire post-massage-check-in gets the same"
                    + " answer, and the same audit record, as the equivalent JSON request. An item left out means"
                    + " 'not asked'; symptoms answered NONE_OF_THESE means none. An unknown linkId, a wrong answer type,"
                    + " a code outside the item's options, another questionnaire, or two answers to a question that"
                    + " takes one is a 400 naming the linkId.")
    @RequestBody(required = true, content = @Content(mediaType = FhirFormat.MEDIA_TYPE,
            schema = @Schema(description = "FHIR R4 QuestionnaireResponse"),
            examples = @ExampleObject(name = "sharp pain", value = OpenApiExamples.FHIR_URGENT_ASSESSMENT_REQUEST)))
    @APIResponse(responseCode = "200", description = "The decision, recorded (as for a JSON request)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TriageResponse.class)))
    @APIResponse(responseCode = "400", description = "Invalid response: each offending item is named by its linkId",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No bearer token, or one that is not valid for this service",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The token's roles do not include triage-client",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "No valid rule set active, or the decision cannot be recorded; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @POST
    @Consumes(FhirFormat.MEDIA_TYPE)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public CompletionStage<Response> triageCheckIn(@Context HttpHeaders headers, @Context SecurityContext security,
            @QueryParam("include") String include, @HeaderParam(AcceptLanguage.HEADER) String acceptLanguage,
            @Parameter(hidden = true) byte[] body) {
        return decide(headers, security, include, acceptLanguage, () -> reader.read(checkIn.toTriageRequest(body)));
    }

    /**
     * One path for both wire formats: every problem with the key, the parameters and the body is
     * reported at once; a keyed request is decided once per client and key.
     */
    private CompletionStage<Response> decide(HttpHeaders headers, SecurityContext security, String include,
                                             String acceptLanguage, Supplier<TriageRequestReader.Read> read) {
        // Checked here: with two methods on this path (JSON and FHIR bodies) the framework no longer refuses it.
        if (headers.getAcceptableMediaTypes().stream().noneMatch(m -> m.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
            throw new NotAcceptableException();
        }
        List<Problem.FieldError> errors = new ArrayList<>(1);
        String key = IdempotencyKeyHeader.read(headers, errors);
        boolean texts = false;
        List<Locale.LanguageRange> languages = List.of();
        try {
            texts = includesTexts(include);
            languages = texts ? AcceptLanguage.ranges(acceptLanguage) : List.of();
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
        }
        TriageRequestReader.Read request;
        try {
            request = read.get();
        } catch (InvalidRequestException e) {
            errors.addAll(e.errors());
            throw new InvalidRequestException(errors);
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        boolean withTexts = texts;
        List<Locale.LanguageRange> accepted = languages;
        if (key == null) {
            return service.triage(request.facts(), request.recordedFacts(), Callers.identity(security))
                    .thenApply(d -> {
                        String language = withTexts ? VocabularyService.language(d.texts(), accepted) : null;
                        return withLanguage(Response.ok(TriageResponses.of(d, language)), language).build();
                    });
        }
        // The answer is stored as sent and replayed byte for byte, texts included: a retry gets what the first
        // request got (its language is in the answer, so Content-Language can be told again).
        return service.triageOnce(request.facts(), request.recordedFacts(), Callers.identity(security), key,
                        d -> json(TriageResponses.of(d, withTexts ? VocabularyService.language(d.texts(), accepted) : null)))
                .thenApply(a -> {
                    Response.ResponseBuilder r = withLanguage(Response.ok(a.json(), MediaType.APPLICATION_JSON_TYPE),
                            languageOf(a.json()));
                    return (a.replayed() ? r.header(IdempotencyKeyHeader.REPLAYED, "true") : r).build();
                });
    }

    private static Response.ResponseBuilder withLanguage(Response.ResponseBuilder r, String language) {
        return language == null ? r : r.header(HttpHeaders.CONTENT_LANGUAGE, language).header(HttpHeaders.VARY,
                AcceptLanguage.HEADER);
    }

    /** The texts' language of a stored answer, or null when it has no texts. */
    private String languageOf(String json) {
        if (!json.contains("\"textsLanguage\"")) {
            return null; // most answers: no parse
        }
        try {
            return mapper.readTree(json).path("textsLanguage").textValue();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored triage answer is JSON", e);
        }
    }

    /** {@code include} names what to add; {@code texts} is the only thing there is to add. */
    private static boolean includesTexts(String include) {
        if (include == null) {
            return false;
        }
        if (!include.equals("texts")) {
            throw new InvalidRequestException(List.of(new Problem.FieldError("include",
                    "the only value is texts (outcomeText and adviceTexts); leave it out for the answer without texts")));
        }
        return true;
    }

    /**
     * The answer of a keyed request as the text that is both sent and stored, so a replay is the
     * same bytes; the application's mapper writes it exactly as it writes an unkeyed answer.
     */
    private String json(TriageResponse answer) {
        try {
            return mapper.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A triage answer always serializes", e);
        }
    }
}
