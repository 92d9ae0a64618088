package org.massagetriage.api;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.massagetriage.triage.TriageService;

/** {@code POST /api/v1/triage}: reads the request strictly, hands it to the service, returns its answer. */
@Path("/api/v1/triage")
public class TriageResource {

    private final TriageRequestReader reader;
    private final TriageService service;

    public TriageResource(TriageRequestReader reader, TriageService service) {
        this.reader = reader;
        this.service = service;
    }

    /** The body is taken as bytes so that the strict reader, not lenient data binding, sees every field. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public TriageResponse triage(@Context HttpHeaders headers, byte[] body) {
        if (headers.getMediaType() == null) {
            // Without a Content-Type the framework would accept any body; the contract asks for JSON.
            throw new NotSupportedException("Content-Type is required");
        }
        return service.triage(reader.read(body));
    }
}
