package org.massagetriage.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

import org.massagetriage.audit.CardFeedbackRecord;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.facts.Presentation;
import org.massagetriage.feedback.CardFeedbackService;
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
    private final CardFeedbackService feedback;

    public DecisionsResource(DecisionQueries queries, DecisionQueryReader reader, DecisionReplay replays,
                             TriageRequestReader requests, CardFeedbackService feedback) {
        this.queries = queries;
        this.reader = reader;
        this.replays = replays;
        this.requests = requests;
        this.feedback = feedback;
    }

    /** The decision with the CDS clients' feedback on its card, in the order received. */
    @GET
    @Path("/{id}")
    public DecisionView decision(@PathParam("id") String id) {
        DecisionRecord r = queries.find(decisionId(id)).orElseThrow(NotFoundException::new);
        return view(r, feedback.feedbackOf(r.decisionId()));
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

    /** Parameters are checked strictly ({@link DecisionQueryReader}); the page's feedback is read in one query. */
    @GET
    public DecisionView.Page list(@Context UriInfo uri) {
        var page = queries.page(reader.read(uri.getQueryParameters()));
        Map<UUID, List<CardFeedbackRecord>> feedbacks = page.items().isEmpty() ? Map.of()
                : feedback.feedbackOf(page.items().stream().map(DecisionRecord::decisionId).toList());
        return new DecisionView.Page(page.items().stream()
                .map(r -> view(r, feedbacks.getOrDefault(r.decisionId(), List.of()))).toList(), page.nextCursor());
    }

    static DecisionView view(DecisionRecord r, List<CardFeedbackRecord> feedback) {
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
                new DecisionView.Links(RuleSetView.href(r.rulesetVersion()), "/api/v1/decisions/" + r.decisionId() + "/replay"),
                feedback.stream().map(DecisionsResource::feedbackView).toList());
    }

    private static DecisionView.Feedback feedbackView(CardFeedbackRecord f) {
        DecisionView.OverrideReason reason = f.overrideCode() == null ? null
                : new DecisionView.OverrideReason(f.overrideCode(), f.overrideSystem(), f.overrideDisplay());
        return new DecisionView.Feedback(f.outcome(), reason, f.userComment(), f.outcomeTimestamp(), f.receivedAt(),
                f.client());
    }
}
