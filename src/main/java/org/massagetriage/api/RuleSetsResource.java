package org.massagetriage.api;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.massagetriage.audit.RuleSetArchive;
import org.massagetriage.governance.RuleSetDiff;
import org.massagetriage.governance.RuleSetHistory;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.security.Roles;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The history of rule sets: every version that was active, its files and rules, and when it was activated. */
@Path("/api/v1/rulesets")
@RolesAllowed({Roles.RULES_ADMIN, Roles.AUDITOR})
@Produces(MediaType.APPLICATION_JSON)
public class RuleSetsResource {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RuleSetHistory history;

    public RuleSetsResource(RuleSetHistory history) {
        this.history = history;
    }

    @GET
    public RuleSetView.Page list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int n = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > MAX_LIMIT) {
                throw new InvalidRequestException(List.of(new Problem.FieldError("limit",
                        "must be a whole number from 1 to " + MAX_LIMIT)));
            }
        }
        if (cursor != null && !RuleSetArchive.isCursor(cursor)) {
            throw new InvalidRequestException(List.of(new Problem.FieldError("cursor",
                    "is not a cursor this service gave; pass nextCursor of the previous page unchanged")));
        }
        RuleSetArchive.Page page = history.list(n, cursor);
        String active = history.activeVersion();
        return new RuleSetView.Page(page.items().stream().map(i -> RuleSetView.Item.of(i, active)).toList(), page.nextCursor());
    }

    /** What changed from {@code against} to {@code version}: per file a unified diff, per rule (by id) what differs. */
    @GET
    @Path("/{version}/diff")
    public RuleSetView.Diff diff(@PathParam("version") String version, @QueryParam("against") String against) {
        if (against == null || against.isBlank()) {
            throw new InvalidRequestException(List.of(new Problem.FieldError("against",
                    "is required: the version to compare with, such as the previous one")));
        }
        RuleSetDiff.Result diff = history.diff(version, against).orElseThrow(NotFoundException::new);
        return RuleSetView.Diff.of(version, against, diff);
    }

    @GET
    @Path("/{version}")
    public RuleSetView.Detail ruleSet(@PathParam("version") String version) {
        RuleSetArchive.ArchivedRuleSet stored = history.find(version).orElseThrow(NotFoundException::new);
        try {
            return new RuleSetView.Detail(stored.version(), stored.storedAt(), version.equals(history.activeVersion()),
                    stored.scenarioCount(), stored.files(), JSON.readTree(stored.rulesJson()), history.activationCount(version),
                    history.activations(version).stream().map(RuleSetView.Activation::of).toList(),
                    stored.impactJson() == null ? null : JSON.readTree(stored.impactJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored rules are always valid JSON", e);
        }
    }
}
