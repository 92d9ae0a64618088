package org.massagetriage.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestResponse;
import org.massagetriage.http.AcceptLanguage;
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

    /** In the language Accept-Language picks among the rules directory's vocabularies (English when none), named in Content-Language. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public RestResponse<VocabularyResponse> vocabulary(
            @Parameter(description = "Language preferences; English when none is available")
            @HeaderParam(AcceptLanguage.HEADER) String acceptLanguage) {
        VocabularyService.Texts texts = service.vocabulary(AcceptLanguage.ranges(acceptLanguage));
        return RestResponse.ResponseBuilder.ok(VocabularyResponse.of(texts))
                .header(HttpHeaders.CONTENT_LANGUAGE, texts.language()).header(HttpHeaders.VARY, AcceptLanguage.HEADER)
                .build();
    }
}
