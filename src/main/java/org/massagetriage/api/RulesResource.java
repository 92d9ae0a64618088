package org.massagetriage.api;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.massagetriage.governance.RuleSetDiff;
import org.massagetriage.http.Callers;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.RuleSetSource;
import org.massagetriage.rules.RulesAdmin;
import org.massagetriage.security.Roles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    /** The candidate waiting for approval (triage.rules.approval), its impact and its diff against the serving rules. */
    @GET
    @Path("/pending")
    public RulesResponse.Pending pending() {
        RuleSetRegistry.Pending p = admin.pending();
        RuleSetSource serving = admin.activeSource();
        if (p == null || serving == null) {
            throw new NotFoundException();
        }
        String activeVersion = serving.version();
        return new RulesResponse.Pending(p.ruleSet().version(), p.at(), p.trigger().name(), p.requestedBy(), activeVersion,
                ImpactView.of(p.impact()), RuleSetView.Diff.of(p.ruleSet().version(), activeVersion,
                        RuleSetDiff.between(serving.files(), p.source().files())));
    }

    /**
     * Activates the waiting candidate; 403 for the token subject that submitted it through the API (a
     * second clinician approves), 404 when no candidate of that version waits. Optional body:
     * {@code {"comment": "..."}}, kept in the activation log with the approver.
     */
    @POST
    @Path("/pending/{version}/approve")
    @Blocking
    public CompletionStage<RulesResponse.Reload> approve(@PathParam("version") String version,
                                                        @Context SecurityContext security,
                                                        @Parameter(hidden = true) byte[] body) {
        return admin.approve(version, Callers.identity(security).subject(), comment(body)).thenApply(RulesResponse.Reload::of);
    }

    /** Drops the waiting candidate; the serving rules stay. Optional body {@code {"comment": "..."}}. */
    @POST
    @Path("/pending/{version}/reject")
    @Blocking
    public CompletionStage<RulesResponse.Reload> reject(@PathParam("version") String version,
                                                       @Context SecurityContext security,
                                                       @Parameter(hidden = true) byte[] body) {
        return admin.reject(version, Callers.identity(security).subject(), comment(body)).thenApply(RulesResponse.Reload::of);
    }

    private static final int MAX_COMMENT = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The optional comment of an approval: no body, or exactly {@code {"comment": "text"}}. */
    private static String comment(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject() || root.size() != 1 || !root.has("comment") || !root.get("comment").isTextual()
                || root.get("comment").textValue().length() > MAX_COMMENT) {
            throw new InvalidRequestException(List.of(new Problem.FieldError("comment",
                    "send no body, or {\"comment\": \"...\"} with at most " + MAX_COMMENT + " characters")));
        }
        return root.get("comment").textValue();
    }
}
