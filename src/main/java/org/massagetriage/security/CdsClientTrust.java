package org.massagetriage.security;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.config.TriageConfig;

/**
 * The CDS Hooks clients this service trusts ({@code triage.cds.*}), checked once at start-up:
 * {@link SecuritySetup} stops the service on any {@link #problems()}, and until then, or if so,
 * every CDS token is refused.
 */
@ApplicationScoped
public class CdsClientTrust {

    private final List<String> problems;
    private final CdsClientVerifier verifier;
    private final boolean audienceConfigured;

    public CdsClientTrust(TriageConfig config) {
        this.problems = CdsClientVerifier.problems(config.cds());
        this.verifier = problems.isEmpty() ? CdsClientVerifier.create(config.cds(), Clock.systemUTC()) : null;
        this.audienceConfigured = config.cds().audienceBaseUrl().isPresent();
    }

    /** One sentence per configuration problem, naming the setting; empty when usable. */
    public List<String> problems() {
        return problems;
    }

    public List<String> clientNames() {
        return verifier == null ? List.of() : verifier.clientNames();
    }

    public boolean audienceConfigured() {
        return audienceConfigured;
    }

    /**
     * Verifies a token sent to the service at {@code servicePath} ({@code /cds-services/<id>}) and
     * spends its jti. Blocking: a client's JWK Set may be read.
     *
     * @param requestOrigin scheme://host[:port] as the request was seen, used when no base URL is configured
     */
    public CdsClient verify(String jwt, String requestOrigin, String servicePath) throws CdsTokenRefusedException {
        return usable().verify(jwt, usable().expectedAudience(requestOrigin, servicePath));
    }

    /**
     * As {@link #verify(String, String, String)} for the service's feedback at {@code feedbackPath}: a
     * client that reads "the endpoint being called" literally signs for the feedback URL itself, and is
     * no less the client of that service, so either URL is its {@code aud}.
     */
    public CdsClient verifyFeedback(String jwt, String requestOrigin, String servicePath, String feedbackPath)
            throws CdsTokenRefusedException {
        CdsClientVerifier v = usable();
        return v.verify(jwt, List.of(v.expectedAudience(requestOrigin, servicePath), v.expectedAudience(requestOrigin, feedbackPath)));
    }

    /** Whether this is a valid token of a trusted client made for any service; grants nothing. Blocking. */
    public boolean isClientToken(String jwt) {
        return verifier != null && verifier.isClientToken(jwt);
    }

    private CdsClientVerifier usable() throws CdsTokenRefusedException {
        if (verifier == null) {
            throw new CdsTokenRefusedException("CDS client configuration has problems (logged at start-up)");
        }
        return verifier;
    }
}
