package org.massagetriage.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.security.Roles;

import io.smallrye.common.annotation.NonBlocking;

/**
 * The HTTP benchmark's floor: the same strict body parsing and the same kind of answer as
 * {@code POST /api/v1/triage}, with no rules and no recording. Absent (404) unless
 * {@code triage.bench.baseline-endpoint=true}; never enable it in a clinic.
 */
@Path("/api/v1/bench/baseline")
@RolesAllowed(Roles.TRIAGE_CLIENT)
public class BaselineResource {

    private static final TriageResponse FIXED = new TriageResponse(UUID.fromString("00000000-0000-4000-8000-000000000000"),
            Instant.parse("2026-01-01T00:00:00Z"), "CONTACT_THERAPIST", 1,
            List.of("CONTACT_THERAPIST_PROMPTLY", "KEEP_SORENESS_JOURNAL", "HYDRATE", "AVOID_STRENUOUS_ACTIVITY"),
            List.of(new TriageResponse.Reason("SN-01", "SN-01 Normal soreness not confirmed -> contact therapist",
                    "CONTACT_THERAPIST", List.of(), "FAQ, What should I do if my back pain worsens after a massage?:"
                    + " 'It's crucial to differentiate between normal post-massage soreness and signs of a more serious"
                    + " condition'"),
                    new TriageResponse.Reason("ADV-02", "ADV-02 Contact-therapist advice", null,
                            List.of("CONTACT_THERAPIST_PROMPTLY", "KEEP_SORENESS_JOURNAL", "HYDRATE", "AVOID_STRENUOUS_ACTIVITY"),
                            "When to Contact Your Therapist: 'contact your massage therapist or a healthcare professional"
                                    + " promptly'")),
            List.of(), new TriageResponse.Ruleset("baseline", Instant.parse("2026-01-01T00:00:00Z")));

    private final TriageRequestReader reader;
    private final boolean enabled;

    public BaselineResource(TriageRequestReader reader, TriageConfig config) {
        this.reader = reader;
        this.enabled = config.bench().baselineEndpoint();
    }

    @POST
    @NonBlocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public CompletionStage<TriageResponse> baseline(@Context HttpHeaders headers, @Parameter(hidden = true) byte[] body) {
        if (!enabled) {
            throw new NotFoundException();
        }
        if (headers.getMediaType() == null) {
            throw new NotSupportedException("Content-Type is required");
        }
        reader.read(body);
        return CompletableFuture.completedFuture(FIXED);
    }
}
