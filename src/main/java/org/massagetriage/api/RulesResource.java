package org.massagetriage.api;

import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.massagetriage.http.Callers;
import org.massagetriage.http.Problem;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.rules.RulesAdmin;
import org.massagetriage.security.Roles;

import io.smallrye.common.annotation.Blocking;

/** The rule set over HTTP: what is serving, reload now, and check a candidate without activating it. */
@Path("/api/v1/rules")
@RolesAllowed(Roles.RULES_ADMIN)
@Produces(MediaType.APPLICATION_JSON)
public class RulesResource {

    private final RulesAdmin admin;
    private final CandidateReader candidates;

    public RulesResource(RulesAdmin admin, CandidateReader candidates) {
        this.admin = admin;
        this.candidates = candidates;
    }

    @GET
    public RulesResponse.Active rules() {
        return RulesResponse.Active.of(admin.snapshot());
    }

    /**
     * Reloads from the rules directory now; 200 with the result, which says ACCEPTED, REJECTED or
     * UNCHANGED. Answered when the reload completes, without holding a thread meanwhile.
     */
    @POST
    @Path("/reload")
    public CompletionStage<RulesResponse.Reload> reload(@Context SecurityContext security) {
        return admin.reload(Callers.identity(security).subject()).thenApply(RulesResponse.Reload::of);
    }

    /** Checks a candidate without activating it; 429 when checks are busy (parsing the draft needs a worker thread). */
    @APIResponse(responseCode = "200", description = "The check's result: valid, or the diagnostics that reject the draft")
    @APIResponse(responseCode = "400", description = "Malformed draft: each offending field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Draft larger than triage.rules.max-candidate-size",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "A check is running and another is waiting; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public CompletionStage<RulesResponse.Validation> validate(@Context HttpHeaders headers, @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        return admin.validate(candidates.read(body)).thenApply(RulesResponse.Validation::of);
    }
}
