package org.massagetriage.http;

import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.massagetriage.triage.ClientIdentity;

import io.quarkus.security.AuthenticationFailedException;

/** The verified caller of a request, as the triage use case records it. */
public final class Callers {

    static final int MAX_SUBJECT = 255;
    static final int MAX_ISSUER = 512;
    private static final Logger LOG = Logger.getLogger(Callers.class);

    private Callers() {
    }

    /**
     * Whether a token's subject can name a caller in a decision record and its log line: not empty,
     * not only white space, and free of control characters and line or paragraph separators. A
     * newline in it would split the per-decision log line (forging a second one) and store a subject
     * no operator can read back. Checked for every token, on every endpoint, by {@link BearerAuthMechanism};
     * the length bound above is checked where the record is made.
     */
    public static boolean isUsableSubject(String subject) {
        if (subject == null) {
            return false;
        }
        boolean visible = false;
        for (int i = 0; i < subject.length(); ) {
            int c = subject.codePointAt(i);
            int type = Character.getType(c);
            if (Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR) {
                return false;
            }
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c)) {
                visible = true;
            }
            i += Character.charCount(c);
        }
        return visible;
    }

    /**
     * Only reached behind {@code @RolesAllowed}, so the principal is a verified token; anything else
     * is a wiring fault, and no decision is given without knowing who asked.
     */
    public static ClientIdentity identity(SecurityContext security) {
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
