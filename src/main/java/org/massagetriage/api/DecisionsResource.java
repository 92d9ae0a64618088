package org.massagetriage.api;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.security.Roles;
import org.massagetriage.triage.DecisionQueries;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The audit trail: one decision by id, or pages of decisions by time window and outcome. */
@Path("/api/v1/decisions")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
public class DecisionsResource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final DecisionQueries queries;
    private final DecisionQueryReader reader;

    public DecisionsResource(DecisionQueries queries, DecisionQueryReader reader) {
        this.queries = queries;
        this.reader = reader;
    }

    @GET
    @Path("/{id}")
    public DecisionView decision(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(List.of(new Problem.FieldError("id", "must be a decision id (a UUID)")));
        }
        return queries.find(uuid).map(DecisionsResource::view).orElseThrow(NotFoundException::new);
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
                r.advice(), r.firedRules(), r.missingFacts(), client, r.latencyMicros());
    }
}
