package org.massagetriage.cdshooks;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.massagetriage.http.AcceptLanguage;
import org.massagetriage.feedback.CardFeedbackService;
import org.massagetriage.feedback.OverrideReasons;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.security.CdsClient;
import org.massagetriage.triage.ClientIdentity;
import org.massagetriage.http.Problem;
import org.massagetriage.http.UnreadableContentType;
import org.massagetriage.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;

/**
 * The CDS Hooks 2.0 front door (https://cds-hooks.hl7.org/2.0/): discovery, open to all, and the
 * {@code appointment-book} service, for CDS clients that sign their calls (role cds-client). Thin: the
 * call is read by {@link HookRequestReader} and answered by {@link CdsHooksService}.
 */
@Path("/cds-services")
public class CdsHooksResource {

    private final HookRequestReader reader;
    private final CdsHooksService service;
    private final FeedbackReader feedbackReader;
    private final CardFeedbackService feedback;
    private final SecurityIdentity identity;
    private final Optional<String> publicBaseUrl;

    public CdsHooksResource(HookRequestReader reader, CdsHooksService service, FeedbackReader feedbackReader,
                            CardFeedbackService feedback, SecurityIdentity identity, TriageConfig config) {
        this.reader = reader;
        this.service = service;
        this.feedbackReader = feedbackReader;
        this.feedback = feedback;
        this.identity = identity;
        this.publicBaseUrl = config.cds().audienceBaseUrl().map(u -> u.replaceAll("/+$", ""));
    }

    @Operation(summary = "CDS Hooks discovery", description = "The one service, its hook (appointment-book) and the"
            + " prefetch it asks for: the patient's latest completed check-in. Open: the spec has discovery unauthenticated.")
    @APIResponse(responseCode = "200", description = "The discovery document",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Discovery.class)))
    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    public Discovery discovery() {
        return Discovery.of();
    }

    @Operation(summary = "The appointment-book hook: one card from the patient's latest check-in",
            description = "Decides on the prefetched check-in (or the one fetched from fhirServer with fhirAuthorization)"
                    + " exactly as POST /api/v1/triage decides on the same QuestionnaireResponse, records the decision"
                    + " with the CDS client as its client, and answers one card: uuid = the decision's id, indicator info"
                    + " (SELF_CARE), warning (CONTACT_THERAPIST) or critical (URGENT_ASSESSMENT, EMERGENCY). No recent"
                    + " check-in on file: one info card saying so, and nothing is decided. A retried hookInstance gets the"
                    + " same card.")
    @APIResponse(responseCode = "200", description = "The cards",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Card.Cards.class)))
    @APIResponse(responseCode = "400", description = "Not a valid appointment-book call, or a check-in that cannot be"
            + " read: each offending field is named",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No CDS client JWT, or one this service does not trust",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "The check-in was not prefetched and could not be fetched from"
            + " fhirServer (none given, unreachable, refused, or too slow)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "No valid rule set active, or the decision cannot be recorded",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/" + Discovery.SERVICE_ID)
    @RolesAllowed(Roles.CDS_CLIENT)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking // the check-in may be fetched from the client's FHIR server
    public CompletionStage<Response> call(@Context HttpHeaders headers, @Context UriInfo uri, @HeaderParam(AcceptLanguage.HEADER) String acceptLanguage,
                                          @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        HookRequest request = reader.read(body);
        return service.call(request, client(), baseUrl(uri), AcceptLanguage.ranges(acceptLanguage),
                        OVERRIDE_REASONS)
                .thenApply(json -> Response.ok(json, MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** The reasons a clinician may give for not following a card; the feedback takes exactly these. */
    static final List<Card.Coding> OVERRIDE_REASONS = OverrideReasons.OFFERED.stream()
            .map(c -> new Card.Coding(c.system(), c.code(), c.display())).toList();

    @Operation(summary = "Feedback on cards: accepted or overridden",
            description = "One item per card: card (the card's uuid), outcome accepted or overridden, outcomeTimestamp;"
                    + " an override may name one of the card's overrideReasons and a userComment, or neither (dismissed)."
                    + " Stored with the decision (GET /api/v1/decisions/{id} shows it); overrides are counted per rule that"
                    + " fired (triage_card_overrides_total{rule}, and the workbench's rules view). All items or none are stored.")
    @APIResponse(responseCode = "200", description = "Stored")
    @APIResponse(responseCode = "400", description = "Not valid feedback: each offending field is named; nothing stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No CDS client JWT, or one this service does not trust",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "422", description = "A card this client was not given; nothing stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The store cannot be written; nothing stored, see Retry-After",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @POST
    @Path("/" + Discovery.SERVICE_ID + "/feedback")
    @RolesAllowed(Roles.CDS_CLIENT)
    @Consumes(MediaType.APPLICATION_JSON)
    @Blocking // a store write
    public Response feedback(@Context HttpHeaders headers, @Parameter(hidden = true) byte[] body) {
        UnreadableContentType.requireDeclared(headers);
        ClientIdentity client = client();
        feedback.record(client.subject(), client.issuer(), feedbackReader.read(body));
        return Response.ok().build();
    }

    /** The verified CDS client as the decision records it: its configured name, and its token's issuer. */
    private ClientIdentity client() {
        CdsClient cds = identity.getAttribute(CdsClient.ATTRIBUTE);
        if (cds == null) {
            throw new IllegalStateException("A CDS Hooks call arrived without a verified CDS client");
        }
        return new ClientIdentity(cds.name(), cds.issuer());
    }

    /** The base URL clients call (triage.cds.audience-base-url), else this service's as the client reached it. */
    private String baseUrl(UriInfo uri) {
        return publicBaseUrl.orElseGet(() -> uri.getBaseUri().toString().replaceAll("/+$", ""));
    }
}
