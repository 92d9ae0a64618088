package org.massagetriage.http;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.security.SecuritySetup;
import org.massagetriage.security.VerifiedTokenCache;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The standard JWT mechanism (verification is entirely SmallRye JWT's), with two additions:
 * <ul>
 * <li>a token that verified is remembered ({@link VerifiedTokenCache}), keyed by the exact
 * Authorization header, so that a client repeating its token is not verified on every request;</li>
 * <li>a verified token whose subject cannot name a caller (empty, blank, control characters:
 * {@link Callers#isUsableSubject}) is refused like a token that failed verification;</li>
 * <li>its challenge (no token on a path guarded by HTTP permissions, such as the management paths
 * when closed) carries a problem+json body like every other 401.</li>
 * </ul>
 * Requests under {@code /cds-services/} (the CDS Hooks services and their feedback) are CDS Hooks
 * clients' own signed tokens instead, verified by {@link CdsClientAuthentication} alone: a v1 bearer
 * token there is no credential (401, like any token of an unknown issuer; the CDS paths trust only
 * the CDS clients' keys, and telling a caller that its token is good elsewhere helps no one). The
 * other way round, a valid CDS client token on any other path is refused with 403.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class BearerAuthMechanism implements HttpAuthenticationMechanism {

    private static final String AUTHORIZATION = "Authorization";
    private static final String BEARER = "Bearer ";

    private final JWTAuthMechanism delegate;
    private final SecuritySetup setup;
    private final CdsClientAuthentication cdsClients;
    private final VerifiedTokenCache<SecurityIdentity> verified;

    public BearerAuthMechanism(JWTAuthMechanism delegate, TriageConfig config, SecuritySetup setup,
            CdsClientAuthentication cdsClients) {
        this.delegate = delegate;
        this.setup = setup;
        this.cdsClients = cdsClients;
        this.verified = new VerifiedTokenCache<>(config.security().tokenCacheSize(), config.security().tokenCacheMaxAge(),
                Clock.systemUTC());
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        if (!setup.accepting()) {
            // Start-up checks not passed (yet, or never: the service is stopping); fail closed.
            return Uni.createFrom().failure(new AuthenticationFailedException("authentication is not set up"));
        }
        // Only a request with exactly one Authorization header is cached: then it is certainly the
        // header the verifier read, and the key is the whole header, so no parsing can differ.
        List<String> headers = context.request().headers().getAll(AUTHORIZATION);
        // The normalized path, as the HTTP permissions match it: /api/../cds-services/x is a CDS path.
        if (CdsClientAuthentication.isCdsServicePath(context.normalizedPath())) {
            return cdsClients.authenticate(context, headers);
        }
        if (CdsClientAuthentication.isDiscoveryPath(context.normalizedPath())) {
            // Open by the specification: whatever token a CDS client sends along identifies no one here
            // (and is not spent, nor refused: a CDS token would otherwise get 403 from the fallback below).
            return Uni.createFrom().nullItem();
        }
        String header = headers.size() == 1 ? headers.get(0) : null;
        if (header != null) {
            SecurityIdentity known = verified.get(header);
            if (known != null) {
                // The same principal and roles; the request it belongs to is this one.
                return Uni.createFrom().item(QuarkusSecurityIdentity.builder(known)
                        .addAttribute(RoutingContext.class.getName(), context).build());
            }
        }
        Uni<SecurityIdentity> result = delegate.authenticate(context, identityProviderManager)
                .onItem().transform(BearerAuthMechanism::requireUsableSubject)
                .onFailure(AuthenticationFailedException.class).recoverWithUni(failure -> cdsClients.refusedBearer(header, failure));
        if (header == null) {
            return result;
        }
        return result.invoke(identity -> {
            // Cached only when the header is exactly the token that was verified: with the token taken
            // from another header or a cookie (mp.jwt.token.header, mp.jwt.token.cookie), an unrelated
            // Authorization header must never become a key to this identity.
            if (identity != null && !identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken token
                    && isBearerOf(header, token.getRawToken())) {
                verified.put(header, identity, Instant.ofEpochSecond(token.getExpirationTime()));
            }
        });
    }

    /**
     * The signature is the identity provider's word that it issued this subject, not that the subject
     * is fit for a log line or a record; checked before caching, so a refused token is never remembered.
     */
    private static SecurityIdentity requireUsableSubject(SecurityIdentity identity) {
        if (identity != null && identity.getPrincipal() instanceof JsonWebToken token && !Callers.isUsableSubject(token.getSubject())) {
            throw new AuthenticationFailedException("token subject is empty, blank or contains control characters");
        }
        return identity;
    }

    static boolean isBearerOf(String header, String rawToken) {
        return rawToken != null && header.length() == BEARER.length() + rawToken.length()
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length()) && header.endsWith(rawToken);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return delegate.getChallenge(context);
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().headWritten()) {
            AuthFailures.sendMissingToken(context);
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return delegate.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return delegate.getCredentialTransport(context);
    }

    @Override
    public int getPriority() {
        return delegate.getPriority();
    }
}
