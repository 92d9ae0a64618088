package org.massagetriage.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.massagetriage.security.Roles;
import org.massagetriage.triage.VocabularyService;

/** {@code GET /api/v1/vocabulary}: outcomes and advice keys in plain English, for booking systems to render. */
@Path("/api/v1/vocabulary")
@RolesAllowed({Roles.TRIAGE_CLIENT, Roles.RULES_ADMIN, Roles.AUDITOR})
public class VocabularyResource {

    private final VocabularyService service;

    public VocabularyResource(VocabularyService service) {
        this.service = service;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public VocabularyResponse vocabulary() {
        return VocabularyResponse.of(service.vocabulary());
    }
}
