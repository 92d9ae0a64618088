package org.massagetriage.fhir;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.massagetriage.http.Problem;
import org.massagetriage.security.Roles;

/**
 * {@code GET /fhir/Questionnaire/post-massage-check-in} and its CodeSystem: the check-in form for
 * booking systems that render FHIR. Readable by every role, like {@code /api/v1/vocabulary}, whose
 * texts it carries. Runs on a worker thread (the default here): the first call creates HAPI's context.
 */
@Path("/fhir")
@RolesAllowed({Roles.TRIAGE_CLIENT, Roles.RULES_ADMIN, Roles.AUDITOR})
public class FhirResource {

    private final CheckInQuestionnaire questionnaire;

    public FhirResource(CheckInQuestionnaire questionnaire) {
        this.questionnaire = questionnaire;
    }

    @Operation(summary = "The check-in as a FHIR R4 Questionnaire",
            description = "One item per request fact (linkId = the JSON field name; history flags in the history"
                    + " group as history.<flag>), answer options from the CodeSystem post-massage-check-in, integer"
                    + " ranges as minValue/maxValue extensions. Its version changes when a fact, option or text changes."
                    + " Answer it with a QuestionnaireResponse to POST /api/v1/triage (Content-Type: application/fhir+json).")
    @APIResponse(responseCode = "200", description = "The Questionnaire",
            content = @Content(mediaType = FhirFormat.MEDIA_TYPE, schema = @Schema(description = "FHIR R4 Questionnaire")))
    @APIResponse(responseCode = "503", description = "No valid rule set active (the texts come from it); see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @GET
    @Path("/Questionnaire/" + CheckInQuestionnaire.ID)
    @Produces({FhirFormat.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public String questionnaire() {
        return questionnaire.current().questionnaireJson();
    }

    @Operation(summary = "The answer codes of the check-in as a FHIR R4 CodeSystem",
            description = "Every code the Questionnaire's options use, with the symptom questions as displays and"
                    + " NONE_OF_THESE for 'none of these symptoms'; same version as the Questionnaire.")
    @APIResponse(responseCode = "200", description = "The CodeSystem",
            content = @Content(mediaType = FhirFormat.MEDIA_TYPE, schema = @Schema(description = "FHIR R4 CodeSystem")))
    @APIResponse(responseCode = "503", description = "No valid rule set active (the texts come from it); see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @GET
    @Path("/CodeSystem/" + CheckInQuestionnaire.ID)
    @Produces({FhirFormat.MEDIA_TYPE, MediaType.APPLICATION_JSON})
    public String codeSystem() {
        return questionnaire.current().codeSystemJson();
    }
}
