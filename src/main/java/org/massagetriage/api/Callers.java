package org.massagetriage.api;

import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.massagetriage.triage.ClientIdentity;

/** The verified caller of a request, as the triage use case records it. */
final class Callers {

    private Callers() {
    }

    /**
     * Only reached behind {@code @RolesAllowed}, so the principal is a verified token; anything else
     * is a wiring fault, and no decision is given without knowing who asked.
     */
    static ClientIdentity identity(SecurityContext security) {
        if (security.getUserPrincipal() instanceof JsonWebToken token && token.getSubject() != null) {
            return new ClientIdentity(token.getSubject(), token.getIssuer());
        }
        throw new IllegalStateException("A triage request arrived without a verified token subject");
    }
}
