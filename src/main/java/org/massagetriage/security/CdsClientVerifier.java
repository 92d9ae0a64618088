package org.massagetriage.security;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jose4j.http.Get;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.UnresolvableKeyException;
import org.massagetriage.config.TriageConfig;

/**
 * Verifies the JWT a CDS Hooks 2.0 client signs for each request, as the specification's "Trusting
 * CDS Clients" requires (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients): signed with ES384 or
 * RS384 by a configured client's key; {@code iss} that client's; {@code aud} the URL of the service
 * called; {@code exp} no more than five minutes ahead; {@code iat}, {@code sub} and {@code jti}
 * present; {@code jti} used once. Every failure is a {@link CdsTokenRefusedException}.
 *
 * <p>Keys come only from the configuration: a client's JWK Set URL or its PEM public key. The
 * token's own {@code jku}, {@code x5u} or {@code jwk} headers are never followed (jose4j ignores them
 * with the resolvers used here): a key named by the token is a key chosen by whoever made the token,
 * so an attacker would simply name their own.
 */
public final class CdsClientVerifier {

    private static final Logger LOG = Logger.getLogger(CdsClientVerifier.class);

    /** The specification: {@code exp} "MUST be set to no more than five minutes in the future". */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /**
     * Allowance for the client's clock and ours differing: applied to {@code exp} (past and the
     * five-minute limit) and to an {@code iat} ahead of our clock. Small, because a CDS token lives
     * minutes and every second added is a second longer a captured token is worth replaying.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    /**
     * The two algorithms the specification names; everything else (none, HMAC, whose secret would
     * be a public key here, and RS256 and the like) is refused before any key is looked at.
     */
    static final List<String> ALGORITHMS = List.of(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA384);
    /**
     * Longest {@code sub} and {@code jti}: the subject may be recorded (255 like the decision record's
     * column), and every jti is held in memory for minutes ({@link CdsReplayGuard}).
     */
    static final int MAX_CLAIM = 255;
    /**
     * A JWK Set is read while a client's request waits (first use, unknown key id): short limits and
     * no retries, so that an unreachable key server costs that request about four seconds at most.
     */
    static final Duration JWKS_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration JWKS_READ_TIMEOUT = Duration.ofSeconds(2);
    /**
     * How long a JWK Set is used when its server sends no cache headers; a key the client removes
     * (revokes) is trusted at most this long after.
     */
    static final Duration JWKS_CACHE = Duration.ofMinutes(10);
    /** A JWK Set that cannot be read again keeps serving the keys read before, for this long. */
    static final Duration JWKS_KEEP_ON_ERROR = Duration.ofMinutes(10);
    /**
     * Least time between two reads of one client's JWK Set: a token naming an unknown key id makes it
     * read again (key rotation), and anyone knowing a client's issuer can send such tokens.
     */
    static final Duration JWKS_REFETCH_PAUSE = Duration.ofSeconds(1);
    /**
     * jtis remembered at most. Entries live about five and a half minutes, so this serves some
     * 300 CDS requests a second before new tokens are refused.
     */
    static final int REPLAY_CAPACITY = 100_000;

    static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Map<Integer, String> ERROR_NAMES = errorNames();

    private record Trusted(String name, String issuer, VerificationKeyResolver keys) {
    }

    private final Map<String, Trusted> byIssuer;
    private final Optional<String> audienceBase;
    private final CdsReplayGuard replays;
    private final Clock clock;
    /** Reads claims before the signature is checked, only to find which client's key to check it with. */
    private final JwtConsumer firstPass = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
            .setSkipSignatureVerification().build();

    private CdsClientVerifier(Map<String, Trusted> byIssuer, Optional<String> audienceBase, CdsReplayGuard replays, Clock clock) {
        this.byIssuer = byIssuer;
        this.audienceBase = audienceBase;
        this.replays = replays;
        this.clock = clock;
    }

    /** A verifier of the configured clients; the configuration must have no {@link #problems}. */
    public static CdsClientVerifier create(TriageConfig.Cds config, Clock clock) {
        return create(config, clock, JWKS_REFETCH_PAUSE, REPLAY_CAPACITY);
    }

    static CdsClientVerifier create(TriageConfig.Cds config, Clock clock, Duration jwksRefetchPause, int replayCapacity) {
        List<String> problems = problems(config);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join(" ", problems));
        }
        Map<String, Trusted> byIssuer = new HashMap<>();
        for (Map.Entry<String, TriageConfig.Cds.Client> e : new TreeMap<>(config.clients()).entrySet()) {
            TriageConfig.Cds.Client client = e.getValue();
            VerificationKeyResolver keys;
            if (client.jwksUrl().isPresent()) {
                keys = new HttpsJwksVerificationKeyResolver(jwks(client.jwksUrl().get().strip(), jwksRefetchPause));
            } else {
                PublicKey key = parsePublicKey(client.publicKey().orElseThrow());
                keys = (jws, nesting) -> key;
            }
            byIssuer.put(client.issuer(), new Trusted(e.getKey(), client.issuer(), keys));
        }
        return new CdsClientVerifier(Map.copyOf(byIssuer), config.audienceBaseUrl().map(CdsClientVerifier::withoutTrailingSlash),
                new CdsReplayGuard(replayCapacity), clock);
    }

    private static HttpsJwks jwks(String url, Duration refetchPause) {
        Get get = new Get();
        get.setConnectTimeout((int) JWKS_CONNECT_TIMEOUT.toMillis());
        get.setReadTimeout((int) JWKS_READ_TIMEOUT.toMillis());
        get.setRetries(0);
        HttpsJwks jwks = new HttpsJwks(url);
        jwks.setSimpleHttpGet(get);
        jwks.setDefaultCacheDuration(JWKS_CACHE.toSeconds());
        jwks.setRetainCacheOnErrorDuration(JWKS_KEEP_ON_ERROR.toSeconds());
        jwks.setRefreshReprieveThreshold(refetchPause.toMillis());
        return jwks;
    }

    /**
     * What is wrong with the configuration, one sentence per problem naming the setting; empty when
     * it can be used. Nothing here is fetched: a client's key server being down at our start-up must
     * not stop the service.
     */
    public static List<String> problems(TriageConfig.Cds config) {
        List<String> problems = new ArrayList<>();
        Map<String, String> nameByIssuer = new LinkedHashMap<>();
        for (Map.Entry<String, TriageConfig.Cds.Client> e : new TreeMap<>(config.clients()).entrySet()) {
            String name = e.getKey();
            TriageConfig.Cds.Client client = e.getValue();
            String prefix = "triage.cds.clients.\"" + name + "\".";
            if (!CLIENT_NAME.matcher(name).matches()) {
                problems.add("triage.cds.clients.\"" + name + "\": a client name has 1 to 64 letters, digits, '.', '_' or '-'"
                        + " (it names the client in decision records and logs).");
            }
            if (client.issuer() == null || client.issuer().isBlank()) {
                problems.add(prefix + "issuer is empty: set the iss this client's tokens carry.");
            } else {
                String other = nameByIssuer.putIfAbsent(client.issuer(), name);
                if (other != null) {
                    problems.add(prefix + "issuer is the same as triage.cds.clients.\"" + other
                            + "\".issuer: a token's issuer must name one client.");
                }
            }
            boolean jwks = client.jwksUrl().filter(s -> !s.isBlank()).isPresent();
            boolean pem = client.publicKey().filter(s -> !s.isBlank()).isPresent();
            if (jwks == pem) {
                problems.add("Set exactly one of " + prefix + "jwks-url (the client's JWK Set) and " + prefix
                        + "public-key (its PEM public key); " + (jwks ? "both are" : "neither is") + " set.");
            } else if (jwks) {
                String problem = jwksUrlProblem(client.jwksUrl().get().strip());
                if (problem != null) {
                    problems.add(prefix + "jwks-url " + problem);
                }
            } else {
                try {
                    parsePublicKey(client.publicKey().get());
                } catch (IllegalArgumentException ex) {
                    problems.add(prefix + "public-key " + ex.getMessage());
                }
            }
        }
        config.audienceBaseUrl().ifPresent(base -> {
            String problem = audienceBaseProblem(base);
            if (problem != null) {
                problems.add("triage.cds.audience-base-url " + problem);
            }
        });
        return problems;
    }

    private static String jwksUrlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL.";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return "must be an https URL.";
        }
        // Keys read over plain http could be replaced on the way; loopback is for tests on one machine.
        if (scheme.equals("http") && !Set.of("localhost", "127.0.0.1", "[::1]").contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            return "must be https (http only to localhost, for tests): keys read over plain http could be replaced on the way.";
        }
        return null;
    }

    private static String audienceBaseProblem(String base) {
        try {
            URI uri = new URI(base.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return null;
            }
        } catch (URISyntaxException e) {
            // the same answer as any other unusable value
        }
        return "must be the service's base URL as clients call it, such as https://triage.example.org"
                + " (no query or fragment; /cds-services/<id> is appended).";
    }

    /**
     * A PEM public key ({@code -----BEGIN PUBLIC KEY-----}, X.509 SubjectPublicKeyInfo): EC on P-384
     * (ES384) or RSA of at least 2048 bits (RS384). Line breaks may be real or written as {@code \n}.
     */
    static PublicKey parsePublicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replace("\\n", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not a PEM public key (-----BEGIN PUBLIC KEY----- ...).");
        }
        for (String algorithm : List.of("EC", "RSA")) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                continue;
            }
            if (key instanceof ECPublicKey ec && !"P-384".equals(EllipticCurves.getName(ec.getParams().getCurve()))) {
                throw new IllegalArgumentException("is an EC key on another curve than P-384 (ES384 needs P-384).");
            }
            if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("is an RSA key of fewer than 2048 bits.");
            }
            return key;
        }
        throw new IllegalArgumentException("is not a PEM public key (-----BEGIN PUBLIC KEY----- ...) of EC P-384 or RSA.");
    }

    /**
     * The {@code aud} a token must carry for the service at {@code servicePath} ({@code /cds-services/<id>}):
     * the configured base URL, else {@code requestOrigin} (scheme://host[:port] as the request was seen),
     * followed by the path.
     */
    public String expectedAudience(String requestOrigin, String servicePath) {
        return audienceBase.orElse(withoutTrailingSlash(requestOrigin)) + servicePath;
    }

    private static String withoutTrailingSlash(String url) {
        String s = url.strip();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** The configured client names, for the start-up log. */
    public List<String> clientNames() {
        return byIssuer.values().stream().map(Trusted::name).sorted().toList();
    }

    /**
     * Verifies a token for a request to the service whose URL is {@code expectedAudience}, and spends
     * its {@code jti}: the same token is refused from then on.
     */
    public CdsClient verify(String jwt, String expectedAudience) throws CdsTokenRefusedException {
        return verify(jwt, List.of(expectedAudience));
    }

    /** As {@link #verify(String, String)}, with any one of {@code expectedAudiences} as the token's {@code aud}. */
    public CdsClient verify(String jwt, List<String> expectedAudiences) throws CdsTokenRefusedException {
        Instant now = clock.instant();
        JwtClaims claims = check(jwt, Optional.of(expectedAudiences), now);
        Trusted client = byIssuer.get(issuerOf(claims));
        try {
            Instant until = Instant.ofEpochSecond(claims.getExpirationTime().getValue()).plus(CLOCK_SKEW);
            if (!replays.firstUse(client.issuer(), claims.getJwtId(), until, now)) {
                if (replays.full()) {
                    LOG.warnf("CDS client %s: token refused because %d token ids are remembered already (replay protection full)",
                            client.name(), replays.size());
                }
                throw new CdsTokenRefusedException("jti used before (replay) or no room to remember it");
            }
            return new CdsClient(client.name(), client.issuer(), claims.getSubject());
        } catch (MalformedClaimException e) {
            throw new CdsTokenRefusedException("malformed claim");
        }
    }

    /**
     * Whether this is a valid token of a trusted client, whatever service it was made for: signature,
     * issuer, times and claims are checked, {@code aud} is not, and the {@code jti} is not spent. For
     * telling a CDS client that calls elsewhere (403) from an unknown caller (401); it grants nothing.
     */
    public boolean isClientToken(String jwt) {
        try {
            check(jwt, Optional.empty(), clock.instant());
            return true;
        } catch (CdsTokenRefusedException e) {
            return false;
        }
    }

    private JwtClaims check(String jwt, Optional<List<String>> audience, Instant now) throws CdsTokenRefusedException {
        JwtContext context;
        try {
            context = firstPass.process(jwt);
        } catch (InvalidJwtException e) {
            throw new CdsTokenRefusedException("not a JWT");
        }
        // One JWS, nothing nested or encrypted: the specification's token is a plain signed JWT.
        if (context.getJoseObjects().size() != 1 || !(context.getJoseObjects().get(0) instanceof JsonWebSignature)) {
            throw new CdsTokenRefusedException("not a single signed JWT");
        }
        String issuer = issuerOf(context.getJwtClaims());
        Trusted client = issuer == null ? null : byIssuer.get(issuer);
        if (client == null) {
            throw new CdsTokenRefusedException("issuer is no configured CDS client");
        }
        // Before any key is looked up: an unknown algorithm would otherwise find no key and make the
        // client's JWK Set be read again, for nothing. jose4j checks the same constraint below.
        String algorithm = ((JsonWebSignature) context.getJoseObjects().get(0)).getAlgorithmHeaderValue();
        if (!ALGORITHMS.contains(algorithm)) {
            throw new CdsTokenRefusedException("client " + client.name() + ": algorithm not allowed");
        }
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS.toArray(String[]::new))
                .setVerificationKeyResolver(client.keys())
                .setExpectedIssuer(true, client.issuer())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds((int) CLOCK_SKEW.toSeconds())
                .setEvaluationTime(NumericDate.fromMilliseconds(now.toEpochMilli()));
        if (audience.isPresent()) {
            builder.setExpectedAudience(true, audience.get().toArray(String[]::new));
        } else {
            builder.setSkipDefaultAudienceValidation();
        }
        try {
            builder.build().processContext(context);
        } catch (InvalidJwtException e) {
            if (hasIoCause(e)) {
                LOG.warnf("CDS client %s: its JWK Set could not be read; its tokens are refused until it can", client.name());
            }
            throw new CdsTokenRefusedException("client " + client.name() + ": " + reasons(e));
        }
        JwtClaims claims = context.getJwtClaims();
        try {
            long exp = claims.getExpirationTime().getValue();
            if (exp > now.plus(MAX_LIFETIME).plus(CLOCK_SKEW).getEpochSecond()) {
                throw new CdsTokenRefusedException("client " + client.name() + ": exp more than 5 minutes ahead");
            }
            if (claims.getIssuedAt().getValue() > now.plus(CLOCK_SKEW).getEpochSecond()) {
                throw new CdsTokenRefusedException("client " + client.name() + ": iat in the future");
            }
            if (!isUsable(claims.getSubject()) || !isUsable(claims.getJwtId())) {
                throw new CdsTokenRefusedException("client " + client.name() + ": sub or jti empty, too long or with control characters");
            }
        } catch (MalformedClaimException e) {
            throw new CdsTokenRefusedException("client " + client.name() + ": malformed claim");
        }
        return claims;
    }

    private static String issuerOf(JwtClaims claims) {
        try {
            return claims.getIssuer();
        } catch (MalformedClaimException e) {
            return null;
        }
    }

    /** Not blank, at most {@link #MAX_CLAIM} characters, no control or line separator characters. */
    private static boolean isUsable(String value) {
        if (value == null || value.isBlank() || value.length() > MAX_CLAIM) {
            return false;
        }
        return value.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
    }

    private static boolean hasIoCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * jose4j's error codes by name. Its messages are not used: some print the JWS, and so the token,
     * which must never reach a log.
     */
    private static String reasons(InvalidJwtException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidAlgorithmException) {
                return "algorithm not allowed";
            }
            if (t instanceof UnresolvableKeyException) {
                return "no key of this client for the token's kid";
            }
        }
        return e.getErrorDetails().stream().map(ErrorCodeValidator.Error::getErrorCode)
                .map(code -> ERROR_NAMES.getOrDefault(code, String.valueOf(code))).distinct()
                .collect(Collectors.joining(", "));
    }

    private static Map<Integer, String> errorNames() {
        Map<Integer, String> names = new HashMap<>();
        for (Field f : ErrorCodes.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                try {
                    names.put(f.getInt(null), f.getName());
                } catch (IllegalAccessException e) {
                    // public constants; cannot happen
                }
            }
        }
        return Map.copyOf(names);
    }
}
