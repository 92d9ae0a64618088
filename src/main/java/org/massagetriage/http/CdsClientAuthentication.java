package org.massagetriage.http;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.security.CdsClient;
import org.massagetriage.security.CdsClientTrust;
import org.massagetriage.security.CdsTokenRefusedException;
import org.massagetriage.security.Roles;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.security.spi.runtime.BlockingSecurityExecutor;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP side of CDS Hooks client authentication ({@link BearerAuthMechanism} hands it every
 * request under {@value #PREFIX}): takes the bearer token, the service the request is for and the
 * request's own origin, and has {@link CdsClientTrust} verify them off the event loop (a client's JWK
 * Set may be read). A verified client becomes an identity whose principal name is the configured
 * client name and whose only role is {@link Roles#CDS_CLIENT}.
 *
 * <p>The configured name, not the issuer, is the principal: it is what every decision records as its
 * client, so it should be short, readable and stable, and chosen by this service's operator; an
 * issuer is a URL the client chooses and may change (a new domain), and it stays available in the
 * {@link CdsClient} attribute.
 */
@ApplicationScoped
public class CdsClientAuthentication {

    /** The CDS services and their feedback; the discovery endpoint, {@code /cds-services} itself, is open. */
    static final String PREFIX = "/cds-services/";
    private static final String BEARER = "Bearer ";
    private static final Logger LOG = Logger.getLogger(CdsClientAuthentication.class);

    private final CdsClientTrust trust;
    private final BlockingSecurityExecutor blocking;

    public CdsClientAuthentication(CdsClientTrust trust, BlockingSecurityExecutor blocking) {
        this.trust = trust;
        this.blocking = blocking;
    }

    static boolean isDiscoveryPath(String normalizedPath) {
        return PREFIX.substring(0, PREFIX.length() - 1).equals(normalizedPath);
    }

    static boolean isCdsServicePath(String normalizedPath) {
        return normalizedPath != null && normalizedPath.startsWith(PREFIX);
    }

    /**
     * The service a path belongs to: {@code /cds-services/<id>} for the service itself and for
     * {@code /cds-services/<id>/feedback}. The specification's {@code aud} for feedback is the
     * service's URL too, so a token made for a service is good for that service's feedback, and for
     * no other service.
     */
    static String servicePath(String normalizedPath) {
        int end = normalizedPath.indexOf('/', PREFIX.length());
        return end < 0 ? normalizedPath : normalizedPath.substring(0, end);
    }

    /**
     * The identity of the CDS client calling a path under {@value #PREFIX}; no token is anonymous
     * (the HTTP permission then challenges with 401). Never looks at the verified-token cache: a CDS
     * token is good for one request only ({@code jti}), so a cache hit would be a replay let through.
     */
    Uni<SecurityIdentity> authenticate(RoutingContext context, List<String> authorization) {
        if (authorization.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        if (authorization.size() > 1) {
            return refused("more than one Authorization header");
        }
        String header = authorization.get(0);
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            // Like the v1 API: another scheme is no bearer token, so the answer says to send one.
            return Uni.createFrom().nullItem();
        }
        String jwt = header.substring(BEARER.length()).strip();
        String origin = origin(context.request().absoluteURI());
        if (jwt.isEmpty() || origin == null) {
            return refused(jwt.isEmpty() ? "empty bearer token" : "request URL unreadable");
        }
        String servicePath = servicePath(context.normalizedPath());
        return blocking.executeBlocking(() -> {
            try {
                String path = context.normalizedPath();
                CdsClient client = path.equals(servicePath + "/feedback")
                        ? trust.verifyFeedback(jwt, origin, servicePath, path)
                        : trust.verify(jwt, origin, servicePath);
                return (SecurityIdentity) QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(client.name()))
                        .addRole(Roles.CDS_CLIENT)
                        .addAttribute(CdsClient.ATTRIBUTE, client)
                        .addAttribute(RoutingContext.class.getName(), context)
                        .build();
            } catch (CdsTokenRefusedException e) {
                // The reason only (ProblemMapper logs it at DEBUG); the body never says which check failed.
                throw new AuthenticationFailedException("CDS client token refused: " + e.getMessage());
            }
        });
    }

    /**
     * A bearer token refused by the v1 verifier: if it is a valid CDS client token, the caller is known
     * but calls outside the CDS paths, so 403 rather than 401. It still grants no identity there: its
     * {@code aud} names a CDS service, not this path, and so must not open even the paths any valid
     * token opens ({@code authenticated} policies). Its {@code jti} is not spent.
     */
    Uni<SecurityIdentity> refusedBearer(String authorization, Throwable failure) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().failure(failure);
        }
        String jwt = authorization.substring(BEARER.length()).strip();
        return blocking.executeBlocking(() -> {
            if (trust.isClientToken(jwt)) {
                LOG.debug("A valid CDS client token was sent outside /cds-services/; refused with 403");
                throw new ForbiddenException("CDS client token outside the CDS paths");
            }
            throw failure instanceof RuntimeException r ? r : new AuthenticationFailedException(failure);
        });
    }

    /** {@code scheme://authority} of an absolute request URL, or null. */
    static String origin(String absoluteUri) {
        if (absoluteUri == null) {
            return null;
        }
        int authority = absoluteUri.indexOf("://");
        if (authority < 0) {
            return null;
        }
        int path = absoluteUri.indexOf('/', authority + 3);
        return path < 0 ? absoluteUri : absoluteUri.substring(0, path);
    }

    private static Uni<SecurityIdentity> refused(String reason) {
        return Uni.createFrom().failure(new AuthenticationFailedException("CDS client token refused: " + reason));
    }
}
