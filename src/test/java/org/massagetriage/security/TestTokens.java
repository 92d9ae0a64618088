package org.massagetriage.security;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.restassured.specification.RequestSpecification;

/**
 * Real signed tokens for tests, from the test key pair the test profile trusts
 * (src/test/resources/security; see application.properties), and hostile ones that must be refused.
 */
public final class TestTokens {

    public static final String ISSUER = "https://issuer.test.massagetriage.org";
    public static final String AUDIENCE = "soreness-triage-test";
    public static final Path KEYS = Path.of("src/test/resources/security");

    private static final Map<String, String> VALID = new ConcurrentHashMap<>();

    private TestTokens() {
    }

    /** A valid token with exactly {@code roles}, minted once per run; valid for an hour. */
    public static String valid(String... roles) {
        return VALID.computeIfAbsent(String.join(",", roles), k -> LocalAuthority.mint(testKey(), ISSUER, AUDIENCE,
                "test-" + (roles.length == 0 ? "no-role" : String.join("+", roles)), List.of(roles), Duration.ofHours(1)));
    }

    public static String bearer(String... roles) {
        return "Bearer " + valid(roles);
    }

    /** A booking system: POST /api/v1/triage, GET /api/v1/vocabulary. */
    public static RequestSpecification asClient() {
        return given().header("Authorization", bearer(Roles.TRIAGE_CLIENT));
    }

    /** A caller with its own subject, such as a second clinician who approves a rule edit. */
    public static RequestSpecification as(String subject, String... roles) {
        return given().header("Authorization", "Bearer " + validFor(subject, roles));
    }

    /** A valid token of {@code subject} with exactly {@code roles}, minted once per run. */
    public static String validFor(String subject, String... roles) {
        return VALID.computeIfAbsent(subject + "|" + String.join(",", roles),
                k -> LocalAuthority.mint(testKey(), ISSUER, AUDIENCE, subject, List.of(roles), Duration.ofHours(1)));
    }

    public static RequestSpecification asRulesAdmin() {
        return given().header("Authorization", bearer(Roles.RULES_ADMIN));
    }

    public static RequestSpecification asAuditor() {
        return given().header("Authorization", bearer(Roles.AUDITOR));
    }

    /** Claims as a valid token would have them, for building the hostile variants. */
    static String claims(String issuer, String audience, List<String> roles, Instant issuedAt, Instant expires) {
        return LocalAuthority.claims(issuer, audience, "test-hostile", roles, issuedAt, expires);
    }

    /** The claims of {@link #claims} with another subject, JSON-escaped as an identity provider would. */
    static String withSubject(String claims, String subject) {
        String current = "\"sub\":\"test-hostile\"";
        if (!claims.contains(current)) {
            throw new IllegalArgumentException("not claims from TestTokens.claims: " + claims);
        }
        return claims.replace(current, "\"sub\":" + LocalAuthority.json(subject));
    }

    static String signed(String payload) {
        return LocalAuthority.signRs256(testKey(), "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload);
    }

    /** Same claims, signed by a key the service does not trust. */
    static String signedByOtherKey(String payload) {
        return LocalAuthority.signRs256(LocalAuthority.readPrivateKey(KEYS.resolve("other-private-key.pem")),
                "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", payload);
    }

    /** "alg": "none" with an empty signature: the classic bypass of verifiers that trust the header. */
    static String unsigned(String payload) {
        return LocalAuthority.base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + LocalAuthority.base64Url(payload) + ".";
    }

    /**
     * HS256 with the service's public key (PEM text, as published) as the HMAC secret: the
     * algorithm-confusion attack on verifiers that take the algorithm from the token.
     */
    static String hs256WithPublicKey(String payload) {
        try {
            String input = LocalAuthority.base64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + LocalAuthority.base64Url(payload);
            byte[] secret = Files.readAllBytes(KEYS.resolve("test-public-key.pem"));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey testKey() {
        return LocalAuthority.readPrivateKey(KEYS.resolve("test-private-key.pem"));
    }
}
