package org.massagetriage.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.massagetriage.feedback.CardFeedbackService;
import org.massagetriage.governance.RuleSetDiff;
import org.massagetriage.governance.RuleSimulation;
import org.massagetriage.facts.AdviceKey;
import org.massagetriage.http.Callers;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.rules.Evaluation;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.rules.RuleSetSource;
import org.massagetriage.rules.RulesAdmin;
import org.massagetriage.security.Roles;
import org.massagetriage.triage.TriageMetrics;

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
    private final TriageMetrics metrics;
    private final SimulationReader simulations;
    private final RuleSimulation simulator;
    private final CardFeedbackService feedback;

    public RulesResource(RulesAdmin admin, CandidateReader candidates, TriageMetrics metrics, SimulationReader simulations,
                         RuleSimulation simulator, CardFeedbackService feedback) {
        this.admin = admin;
        this.candidates = candidates;
        this.metrics = metrics;
        this.simulations = simulations;
        this.simulator = simulator;
        this.feedback = feedback;
    }

    /**
     * The active rules with their fires since start and their overrides by clinicians from the
     * store (one aggregate query, {@link CardFeedbackService#overridesByRule}).
     */
    @GET
    public RulesResponse.Active rules() {
        RuleSetRegistry.Pending waiting = admin.pending();
        return RulesResponse.Active.of(admin.snapshot(), metrics::firesSinceStart,
                waiting == null ? null : waiting.ruleSet().version(), feedback.overridesByRule().orElse(null));
    }

    /**
     * What the active rules, the candidate waiting for approval, or a stored version answer for the
     * facts. Nothing is recorded: it is a clinician trying a case, not a patient decision.
     */
    @APIResponse(responseCode = "200", description = "The answer; recorded is always false")
    @APIResponse(responseCode = "400", description = "Invalid facts (named facts.<field>) or version",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such version in the history",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The stored version cannot be compiled with this release",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Another stored version is being compiled; see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/simulate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public RulesResponse.Simulation simulate(@Context HttpHeaders headers, @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        SimulationReader.Read read = simulations.read(body);
        RuleSimulation.Simulation s = simulator.simulate(read.facts(), read.version());
        Evaluation e = s.evaluation();
        return new RulesResponse.Simulation(s.version(), s.rules().name(), false, e.outcome().name(),
                e.outcome().getUrgency(), e.advice().stream().map(AdviceKey::name).toList(),
                e.reasons().stream().map(TriageResponses::reason).toList(), e.missingFacts(),
                s.texts().outcomes().get(e.outcome()),
                e.advice().stream().map(a -> new TriageResponse.AdviceText(a.name(), s.texts().advice().get(a))).toList());
    }

    /** The rule files of the directory as they are now, each with its tag for a conditional save. */
    @GET
    @Path("/files")
    public RulesResponse.Files files() throws IOException {
        RuleSetSource now = admin.directoryFiles();
        return new RulesResponse.Files(now.displayRoot(), now.files().entrySet().stream()
                .map(e -> new RulesResponse.FileEntry(e.getKey(), RuleSetRegistry.tag(e.getValue()),
                        (int) e.getValue().lines().count())).toList());
    }

    /** One rule file as it is in the directory now; its tag also as the ETag. */
    @GET
    @Path("/files/{name: .+}")
    public Response file(@PathParam("name") String name) {
        RuleSetRegistry.StoredFile f = admin.readFile(name);
        return Response.ok(new RulesResponse.File(f.name(), f.tag(), f.content()))
                .tag(new EntityTag(f.tag())).build();
    }

    /**
     * Saves one rule file of the directory (written whole, atomically) and puts it through the same
     * gate as an edit on disk: the answer is that reload's result (ACCEPTED, REJECTED with its
     * diagnostics, PENDING_APPROVAL, UNCHANGED). The token subject is the edit's requester in the
     * history, and may not approve it. Send {@code If-Match} with the tag the file had when opened.
     */
    @APIResponse(responseCode = "200", description = "Saved; the result of putting it through the gate")
    @APIResponse(responseCode = "400", description = "The body is not UTF-8 text",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Not a rule file of the directory",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "The file changed since the tag in If-Match",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @PUT
    @Path("/files/{name: .+}")
    @Consumes(MediaType.TEXT_PLAIN)
    @Blocking
    public CompletionStage<RulesResponse.Reload> save(@PathParam("name") String name, @Context HttpHeaders headers,
                                                     @Context SecurityContext security,
                                                     @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        String content;
        try {
            content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body == null ? new byte[0] : body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException(List.of(new Problem.FieldError(StrictJson.BODY,
                    "the file's content must be UTF-8 text")));
        }
        String ifMatch = headers.getHeaderString(HttpHeaders.IF_MATCH);
        String expected = ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*") ? null
                : ifMatch.trim().replaceFirst("^W/", "").replace("\"", "");
        return admin.save(name, content, expected, Callers.identity(security).subject()).thenApply(RulesResponse.Reload::of);
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
