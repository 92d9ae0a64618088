package org.massagetriage.cdshooks;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.massagetriage.http.Problem;

/** 412 Precondition Failed, the status CDS Hooks 2.0 gives a service that cannot get the FHIR data it needs. */
@Provider
public class CheckInUnavailableMapper implements ExceptionMapper<CheckInUnavailableException> {

    static final String TYPE = "urn:massage-triage:problem:check-in-unavailable";

    @Override
    public Response toResponse(CheckInUnavailableException e) {
        return Response.status(412).type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE, "The check-in could not be obtained", 412, e.getMessage(), java.util.List.of()))
                .build();
    }
}
