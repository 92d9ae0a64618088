package org.massagetriage.cdshooks;

import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.massagetriage.http.Problem;

/** problem+json for a refused hook call, naming the hook request's field at fault. */
@Provider
public class CdsCallRefusedMapper implements ExceptionMapper<CdsCallRefusedException> {

    static final String TYPE = "urn:massage-triage:problem:cds-call-refused";

    @Override
    public Response toResponse(CdsCallRefusedException e) {
        List<Problem.FieldError> errors = e.field == null ? List.of() : List.of(new Problem.FieldError(e.field, e.getMessage()));
        return Response.status(e.status).type(Problem.MEDIA_TYPE)
                .entity(new Problem(TYPE, e.status == 422 ? "The hook call cannot be answered as sent" : "No card can be given here",
                        e.status, e.getMessage(), errors)).build();
    }
}
