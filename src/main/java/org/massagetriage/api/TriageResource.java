package org.massagetriage.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
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
import org.massagetriage.http.Callers;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.security.Roles;
import org.massagetriage.triage.Decision;
import org.massagetriage.triage.TriageService;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.NonBlocking;

/** {@code POST /api/v1/triage}: reads the request strictly, hands it to the service, returns its answer. */
@Path("/api/v1/triage")
@RolesAllowed(Roles.TRIAGE_CLIENT)
public class TriageResource {

    private final TriageRequestReader reader;
    private final TriageService service;
    private final ObjectMapper mapper;

    public TriageResource(TriageRequestReader reader, TriageService service, ObjectMapper mapper) {
        this.reader = reader;
        this.service = service;
        this.mapper = mapper;
    }

    /** The body is taken as bytes so that the strict reader, not lenient data binding, sees every field. */
    @Operation(summary = "Triage how a patient feels after a massage",
            description = "Every request field is optional; an omitted field means 'not asked' and is never assumed"
                    + " normal. The answer is recorded in the audit trail before it is sent.")
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
    @APIResponse(responseCode = "415", description = "Not application/json",
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
                                            @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        List<Problem.FieldError> keyErrors = new ArrayList<>(1);
        String key = IdempotencyKeyHeader.read(headers, keyErrors);
        TriageRequestReader.Read request;
        try {
            request = reader.read(body);
        } catch (InvalidRequestException e) {
            keyErrors.addAll(e.errors());
            throw new InvalidRequestException(keyErrors);
        }
        if (!keyErrors.isEmpty()) {
            throw new InvalidRequestException(keyErrors);
        }
        if (key == null) {
            return service.triage(request.facts(), request.recordedFacts(), Callers.identity(security))
                    .thenApply(d -> Response.ok(TriageResponses.of(d)).build());
        }
        return service.triageOnce(request.facts(), request.recordedFacts(), Callers.identity(security), key, this::json)
                .thenApply(a -> {
                    Response.ResponseBuilder r = Response.ok(a.json(), MediaType.APPLICATION_JSON_TYPE);
                    return (a.replayed() ? r.header(IdempotencyKeyHeader.REPLAYED, "true") : r).build();
                });
    }

    static final String IDEMPOTENCY_KEY = "Optional. A retry with the same key and the same facts, from the same client"
            + " (token subject and issuer), within triage.idempotency.retention (24 h by default), is answered with the"
            + " first request's decision again, byte for byte, with Idempotent-Replayed: true, and records nothing; with"
            + " other facts, 422. A retry while the first is still being decided waits for its answer. Later than the"
            + " retention, the key starts a new decision. 1 to 255 visible ASCII characters, compared exactly.";

    /**
     * The answer of a keyed request as the text that is both sent and stored, so a replay is the
     * same bytes; the application's mapper writes it exactly as it writes an unkeyed answer.
     */
    private String json(Decision decision) {
        try {
            return mapper.writeValueAsString(TriageResponses.of(decision));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A triage answer always serializes", e);
        }
    }
}
