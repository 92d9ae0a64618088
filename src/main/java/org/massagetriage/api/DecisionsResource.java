package org.massagetriage.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.facts.Presentation;
import org.massagetriage.governance.DecisionReplay;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.security.Roles;
import org.massagetriage.triage.DecisionQueries;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The audit trail: one decision by id, or pages of decisions by time window and outcome, and a decision replayed. */
@Path("/api/v1/decisions")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class DecisionsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DecisionQueries queries;
    private final DecisionQueryReader reader;
    private final DecisionReplay replays;
    private final TriageRequestReader requests;

    public DecisionsResource(DecisionQueries queries, DecisionQueryReader reader, DecisionReplay replays,
                             TriageRequestReader requests) {
        this.queries = queries;
        this.reader = reader;
        this.replays = replays;
        this.requests = requests;
    }

    @GET
    @Path("/{id}")
    public DecisionView decision(@PathParam("id") String id) {
        return queries.find(decisionId(id)).map(DecisionsResource::view).orElseThrow(NotFoundException::new);
    }

    /**
     * Re-evaluates the recorded facts under the recorded rule set and under the active one; records
     * nothing. The facts are read again exactly as the request was.
     */
    @POST
    @Path("/{id}/replay")
    @RolesAllowed({Roles.AUDITOR, Roles.RULES_ADMIN})
    public ReplayView replay(@PathParam("id") String id) {
        DecisionRecord record = replays.recorded(decisionId(id)).orElseThrow(NotFoundException::new);
        Presentation facts;
        try {
            facts = requests.read(record.requestFacts().getBytes(StandardCharsets.UTF_8)).facts();
        } catch (InvalidRequestException notARequestAnyMore) {
            // The auditor sent nothing wrong: the recorded facts are outside what this release accepts.
            return ReplayView.of(replays.unreadable(record, "the recorded facts are not a valid request for this release: "
                    + notARequestAnyMore.errors()));
        }
        return ReplayView.of(replays.replay(record, facts));
    }

    private static UUID decisionId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(List.of(new Problem.FieldError("id", "must be a decision id (a UUID)")));
        }
    }

    /** Parameters are checked strictly ({@link DecisionQueryReader}). */
    @GET
    public DecisionView.Page list(@Context UriInfo uri) {
        var page = queries.page(reader.read(uri.getQueryParameters()));
        return new DecisionView.Page(page.items().stream().map(DecisionsResource::view).toList(), page.nextCursor());
    }

    static DecisionView view(DecisionRecord r) {
        JsonNode request;
        try {
            request = JSON.readTree(r.requestFacts());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A recorded request is always valid JSON", e);
        }
        DecisionView.Client client = r.clientSubject() == null && r.clientIssuer() == null ? null
                : new DecisionView.Client(r.clientSubject(), r.clientIssuer());
        return new DecisionView(r.decisionId(), r.evaluatedAt(), r.rulesetVersion(), request, r.outcome(), r.urgency(),
                r.advice(), r.firedRules(), r.missingFacts(), client, r.latencyMicros(),
                new DecisionView.Links(RuleSetView.href(r.rulesetVersion()), "/api/v1/decisions/" + r.decisionId() + "/replay"));
    }
}
