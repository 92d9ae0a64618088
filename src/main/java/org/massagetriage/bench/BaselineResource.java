package org.massagetriage.bench;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.massagetriage.api.TriageRequestReader;
import org.massagetriage.api.TriageResponse;
import org.massagetriage.api.TriageResponses;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.facts.Presentation;
import org.massagetriage.facts.Trend;
import org.massagetriage.rules.NoActiveRuleSetException;
import org.massagetriage.rules.RuleSet;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.security.Roles;
import org.massagetriage.triage.Decision;

import io.smallrye.common.annotation.NonBlocking;

/**
 * The HTTP benchmark's floor: the same strict body parsing and the same kind of answer as
 * {@code POST /api/v1/triage}, with no rule evaluation per request (the answer is made once per
 * rule set) and no recording; 503 until a rule set is active. Absent (404) unless
 * {@code triage.bench.baseline-endpoint=true}; never enable it in a clinic.
 */
@Path("/api/v1/bench/baseline")
@RolesAllowed(Roles.TRIAGE_CLIENT)
public class BaselineResource {

    private static final UUID FIXED_ID = UUID.fromString("00000000-0000-4000-8000-000000000000");
    private static final Instant FIXED_TIME = Instant.parse("2026-01-01T00:00:00Z");
    /** The safety-net case: an answer of typical size (two reasons, four advice keys). */
    private static final Presentation SAFETY_NET_CASE = Presentation.builder().painSeverity(5).symptoms(Set.of())
            .hoursSinceMassage(24).trend(Trend.IMPROVING).build();

    /** The fixed answer, made once per rule set from the rules themselves (no copied rule texts). */
    private final AtomicReference<TriageResponse> fixed = new AtomicReference<>();
    private final RuleSetRegistry registry;
    private final TriageRequestReader reader;
    private final boolean enabled;

    public BaselineResource(TriageRequestReader reader, TriageConfig config, RuleSetRegistry registry) {
        this.reader = reader;
        this.registry = registry;
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
        UnreadableContentType.requireDeclared(headers);
        reader.read(body);
        return CompletableFuture.completedFuture(fixedAnswer());
    }

    private TriageResponse fixedAnswer() {
        for (;;) {
            RuleSet rules = registry.active();
            if (rules == null) {
                throw new NoActiveRuleSetException();
            }
            TriageResponse answer = fixed.get();
            if (answer != null && answer.ruleset().version().equals(rules.version())) {
                return answer;
            }
            try {
                answer = TriageResponses.of(new Decision(FIXED_ID, FIXED_TIME, rules.evaluate(SAFETY_NET_CASE),
                        rules.version(), rules.loadedAt(), rules.vocabularies()));
                fixed.set(answer);
                return answer;
            } catch (RuleSet.RetiredException replaced) {
                // swapped meanwhile: make it from the new rules
            }
        }
    }
}
