package org.massagetriage.api;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestResponse;
import org.massagetriage.fhir.CheckInResponseReader;
import org.massagetriage.fhir.FhirFormat;
import org.massagetriage.http.Callers;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.security.Roles;
import org.massagetriage.triage.Decision;
import org.massagetriage.triage.TriageService;
import org.massagetriage.triage.VocabularyService;

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

    public TriageResource(TriageRequestReader reader, TriageService service, CheckInResponseReader checkIn) {
        this.reader = reader;
        this.service = service;
        this.checkIn = checkIn;
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
    @APIResponse(responseCode = "200", description = "The decision, recorded",
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
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public CompletionStage<RestResponse<TriageResponse>> triage(@Context HttpHeaders headers, @Context SecurityContext security,
            @Parameter(description = "texts: add outcomeText and adviceTexts in the language Accept-Language picks"
                    + " (named in Content-Language); without it the answer is exactly v1's",
                    schema = @Schema(enumeration = {"texts"})) @QueryParam("include") String include,
            @Parameter(description = "Language preferences for the texts (with include=texts); English when none is"
                    + " available") @HeaderParam(AcceptLanguage.HEADER) String acceptLanguage,
            @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        boolean texts = includesTexts(include);
        List<Locale.LanguageRange> languages = texts ? AcceptLanguage.ranges(acceptLanguage) : List.of();
        TriageRequestReader.Read request = reader.read(body);
        return service.triage(request.facts(), request.recordedFacts(), Callers.identity(security))
                .thenApply(decision -> answer(decision, texts, languages));
    }

    /** The v1 answer, with the texts in the best language when asked for (named in Content-Language). */
    private static RestResponse<TriageResponse> answer(Decision decision, boolean texts, List<Locale.LanguageRange> languages) {
        if (!texts) {
            return RestResponse.ok(TriageResponses.of(decision));
        }
        String language = VocabularyService.language(decision.texts(), languages);
        return RestResponse.ResponseBuilder.ok(TriageResponses.of(decision, language))
                .header(HttpHeaders.CONTENT_LANGUAGE, language).header(HttpHeaders.VARY, AcceptLanguage.HEADER)
                .build();
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
    public CompletionStage<RestResponse<TriageResponse>> triageCheckIn(@Context SecurityContext security,
            @QueryParam("include") String include, @HeaderParam(AcceptLanguage.HEADER) String acceptLanguage,
            @Parameter(hidden = true) byte[] body) {
        boolean texts = includesTexts(include);
        List<Locale.LanguageRange> languages = texts ? AcceptLanguage.ranges(acceptLanguage) : List.of();
        TriageRequestReader.Read request = reader.read(checkIn.toTriageRequest(body));
        return service.triage(request.facts(), request.recordedFacts(), Callers.identity(security))
                .thenApply(decision -> answer(decision, texts, languages));
    }
}
