package org.massagetriage.api;

import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.massagetriage.triage.ClientIdentity;

import io.quarkus.security.AuthenticationFailedException;

/** The verified caller of a request, as the triage use case records it. */
final class Callers {

    static final int MAX_SUBJECT = 255;
    static final int MAX_ISSUER = 512;
    private static final Logger LOG = Logger.getLogger(Callers.class);

    private Callers() {
    }

    /**
     * Only reached behind {@code @RolesAllowed}, so the principal is a verified token; anything else
     * is a wiring fault, and no decision is given without knowing who asked.
     */
    static ClientIdentity identity(SecurityContext security) {
        if (security.getUserPrincipal() instanceof JsonWebToken token && token.getSubject() != null) {
            // The record's columns hold 255 and 512 characters; a longer value would fail the whole
            // group commit it lands in (every client in it would get 503), so it is refused here.
            if (token.getSubject().length() > MAX_SUBJECT || (token.getIssuer() != null && token.getIssuer().length() > MAX_ISSUER)) {
                LOG.infof("Token refused: subject or issuer longer than %d/%d characters", MAX_SUBJECT, MAX_ISSUER);
                throw new AuthenticationFailedException("subject or issuer too long to record");
            }
            return new ClientIdentity(token.getSubject(), token.getIssuer());
        }
        throw new IllegalStateException("A triage request arrived without a verified token subject");
    }
}
