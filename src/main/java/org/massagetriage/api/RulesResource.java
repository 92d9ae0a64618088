package org.massagetriage.api;

import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.massagetriage.rules.ReloadAttempt;
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
    public RulesResponse rules() {
        RulesAdmin.Snapshot s = admin.snapshot();
        return new RulesResponse(s.version(), s.loadedAt(), s.directory(), s.files(), s.rules(), s.lastReload());
    }

    /**
     * Reloads from the rules directory now; 200 with the result, which says ACCEPTED, REJECTED or
     * UNCHANGED. Answered when the reload completes, without holding a thread meanwhile.
     */
    @POST
    @Path("/reload")
    public CompletionStage<ReloadAttempt> reload() {
        return admin.reload();
    }

    /** Checks a candidate without activating it; 429 when checks are busy (parsing the draft needs a worker thread). */
    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking
    public CompletionStage<ValidationResponse> validate(byte[] body) {
        return admin.validate(candidates.read(body)).thenApply(v ->
                new ValidationResponse(v.diagnostics().isEmpty(), v.version(), v.rules(), v.scenarios(), v.diagnostics()));
    }
}
