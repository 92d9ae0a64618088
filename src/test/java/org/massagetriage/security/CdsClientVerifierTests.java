package org.massagetriage.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.massagetriage.config.TriageConfig;

/**
 * The CDS Hooks client token checks ("Trusting CDS Clients"), without Quarkus: a simulated client
 * ({@link CdsTestClient}) with its JWK Set on a local HTTP server, and a second client known by its
 * PEM public key. Each test gets a fresh verifier (empty JWK Set cache and replay memory).
 */
class CdsClientVerifierTests {

    static final String SERVICE = "https://triage.test.example/cds-services/post-massage-soreness-triage";

    static CdsTestClient client;
    CdsClientVerifier verifier;

    record Cds(Map<String, TriageConfig.Cds.Client> clients, Optional<String> audienceBaseUrl) implements TriageConfig.Cds {
        @Override
        public java.time.Duration checkInMaxAge() {
            return java.time.Duration.ofDays(7);
        }

        @Override
        public java.time.Duration fhirTimeout() {
            return java.time.Duration.ofSeconds(3);
        }
    }

    record Client(String issuer, Optional<String> jwksUrl, Optional<String> publicKey) implements TriageConfig.Cds.Client {
        @Override
        public Optional<java.util.List<String>> fhirServers() {
            return Optional.empty();
        }
    }

    @BeforeAll
    static void startClient() {
        client = CdsTestClient.start();
    }

    @AfterAll
    static void stopClient() {
        client.close();
    }

    static Cds config() {
        return new Cds(Map.of("test", new Client(CdsTestClient.ISSUER, Optional.of(client.jwksUrl()), Optional.empty()),
                "pem-client", new Client(CdsTestClient.PEM_ISSUER, Optional.empty(),
                        Optional.of(CdsTestClient.pem(client.pemClient.getPublic())))),
                Optional.of("https://triage.test.example/"));
    }

    @BeforeEach
    void newVerifier() {
        // No pause between JWK Set reads, so that the refetch on an unknown key id is seen at once.
        verifier = CdsClientVerifier.create(config(), Clock.systemUTC(), Duration.ZERO, 1000);
    }

    /** Refused for exactly this reason, so that a test cannot pass because of another departure. */
    private void refused(String token, String reason) {
        assertEquals(reason, assertThrows(CdsTokenRefusedException.class, () -> verifier.verify(token, SERVICE)).getMessage());
    }

    @Nested
    class Accepted {

        @Test
        void shouldAcceptES384FromTheJwkSet() throws Exception {
            assertEquals(new CdsClient("test", CdsTestClient.ISSUER, CdsTestClient.ISSUER),
                    verifier.verify(client.es384(SERVICE), SERVICE));
        }

        @Test
        void shouldAcceptRS384FromTheJwkSet() throws Exception {
            String token = client.token().audience(SERVICE)
                    .signedWith(AlgorithmIdentifiers.RSA_USING_SHA384, client.rsa.getPrivate(), CdsTestClient.RSA_KID).sign();
            assertEquals(new CdsClient("test", CdsTestClient.ISSUER, CdsTestClient.ISSUER), verifier.verify(token, SERVICE));
        }

        /** The second client publishes no JWK Set; its PEM key is configured, and no key id is needed. */
        @Test
        void shouldAcceptAClientConfiguredByPemPublicKey() throws Exception {
            String token = client.token().audience(SERVICE).claims(c -> {
                c.setIssuer(CdsTestClient.PEM_ISSUER);
                c.setSubject("other-ehr");
            }).signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, client.pemClient.getPrivate(), null).sign();
            assertEquals(new CdsClient("pem-client", CdsTestClient.PEM_ISSUER, "other-ehr"), verifier.verify(token, SERVICE));
        }

        /** aud may be a list; it must hold the service's URL. */
        @Test
        void shouldAcceptAnAudienceListHoldingTheServiceUrl() throws Exception {
            String token = client.token().claims(c -> c.setAudience("https://elsewhere.example", SERVICE)).sign();
            assertEquals("test", verifier.verify(token, SERVICE).name());
        }

        /**
         * Key rotation: a token naming a key id not in the cached JWK Set makes it read once more; the
         * server sees exactly two requests (first use, then the refetch).
         */
        @Test
        void shouldReadTheJwkSetAgainForAnUnknownKeyId() throws Exception {
            int before = client.jwksRequests();
            verifier.verify(client.es384(SERVICE), SERVICE);
            assertEquals(before + 1, client.jwksRequests());
            var rotated = CdsTestClient.generate("EC");
            client.publish("ec-rotated", rotated.getPublic());
            String token = client.token().audience(SERVICE)
                    .signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, rotated.getPrivate(), "ec-rotated").sign();
            assertEquals("test", verifier.verify(token, SERVICE).name());
            assertEquals(before + 2, client.jwksRequests());
            verifier.verify(client.es384(SERVICE), SERVICE);
            assertEquals(before + 2, client.jwksRequests(), "a known key id is served from the cache");
        }

        @Test
        void shouldExpectTheConfiguredBaseUrlPlusTheServicePath() {
            assertEquals(SERVICE, verifier.expectedAudience("http://10.0.0.7:8080", "/cds-services/post-massage-soreness-triage"));
            CdsClientVerifier derived = CdsClientVerifier.create(new Cds(Map.of(), Optional.empty()), Clock.systemUTC());
            assertEquals("http://localhost:8081/cds-services/x", derived.expectedAudience("http://localhost:8081", "/cds-services/x"));
        }
    }

    /**
     * Each refusal is one departure from a valid token; the message says which check failed (for the
     * operator's log) without the token.
     */
    @Nested
    class Refused {

        static final String PEM = "client pem-client: ";
        static final String TEST = "client test: ";

        @Test
        void shouldRefuseAnotherAudience() {
            refused(client.es384(SERVICE + "/feedback"), TEST + "AUDIENCE_INVALID");
            refused(client.es384("https://triage.test.example/cds-services/another-service"), TEST + "AUDIENCE_INVALID");
            refused(client.es384("http://triage.test.example/cds-services/post-massage-soreness-triage"), TEST + "AUDIENCE_INVALID");
        }

        @Test
        void shouldRefuseAMissingAudience() {
            refused(client.token().sign(), TEST + "AUDIENCE_MISSING");
        }

        @Test
        void shouldRefuseAnExpiredToken() {
            refused(client.token().audience(SERVICE)
                    .claims(c -> c.setIssuedAt(NumericDate.fromSeconds(Instant.now().minusSeconds(360).getEpochSecond())))
                    .expiresIn(Duration.ofSeconds(-60)).sign(), TEST + "EXPIRED");
        }

        /** The specification: exp no more than five minutes ahead (plus the clock-skew allowance). */
        @Test
        void shouldRefuseATokenValidForLongerThanFiveMinutes() throws Exception {
            refused(client.token().audience(SERVICE).expiresIn(Duration.ofMinutes(6)).sign(), TEST + "exp more than 5 minutes ahead");
            refused(client.token().audience(SERVICE).expiresIn(Duration.ofHours(1)).sign(), TEST + "exp more than 5 minutes ahead");
            verifier.verify(client.token().audience(SERVICE).expiresIn(Duration.ofSeconds(320)).sign(), SERVICE);
        }

        @Test
        void shouldRefuseAnIssuedAtInTheFuture() {
            refused(client.token().audience(SERVICE)
                    .claims(c -> c.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond() + 120))).sign(),
                    TEST + "iat in the future");
        }

        @Test
        void shouldRefuseAMissingJti() {
            refused(client.token().audience(SERVICE).claims(c -> c.unsetClaim("jti")).sign(), TEST + "JWT_ID_MISSING");
        }

        @Test
        void shouldRefuseAMissingIatSubExpOrIss() {
            refused(client.token().audience(SERVICE).claims(c -> c.unsetClaim("iat")).sign(), TEST + "ISSUED_AT_MISSING");
            refused(client.token().audience(SERVICE).claims(c -> c.unsetClaim("sub")).sign(), TEST + "SUBJECT_MISSING");
            refused(client.token().audience(SERVICE).claims(c -> c.unsetClaim("exp")).sign(), TEST + "EXPIRATION_MISSING");
            refused(client.token().audience(SERVICE).claims(c -> c.unsetClaim("iss")).sign(), "issuer is no configured CDS client");
        }

        /** sub may be recorded and logged, jti is held in memory: bounded and printable. */
        @Test
        void shouldRefuseASubjectOrJtiThatCannotBeKept() {
            String reason = TEST + "sub or jti empty, too long or with control characters";
            refused(client.token().audience(SERVICE).claims(c -> c.setSubject("ehr\nforged log line")).sign(), reason);
            refused(client.token().audience(SERVICE).claims(c -> c.setSubject(" ")).sign(), reason);
            refused(client.token().audience(SERVICE).claims(c -> c.setJwtId("x".repeat(256))).sign(), reason);
        }

        @Test
        void shouldRefuseAReplayedJtiAndAcceptAnotherJti() throws Exception {
            String token = client.es384(SERVICE);
            verifier.verify(token, SERVICE);
            refused(token, "jti used before (replay) or no room to remember it");
            verifier.verify(client.es384(SERVICE), SERVICE);
        }

        /** The same jti from another client is another token. */
        @Test
        void shouldKeyReplaysByIssuerAndJti() throws Exception {
            String jti = "shared-jti";
            verifier.verify(client.token().audience(SERVICE).claims(c -> c.setJwtId(jti)).sign(), SERVICE);
            verifier.verify(client.token().audience(SERVICE).claims(c -> {
                c.setJwtId(jti);
                c.setIssuer(CdsTestClient.PEM_ISSUER);
            }).signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, client.pemClient.getPrivate(), null).sign(), SERVICE);
        }

        /** A token that failed a check never spends its jti. */
        @Test
        void shouldNotSpendTheJtiOfARefusedToken() throws Exception {
            String jti = "not-spent";
            refused(client.token().audience(SERVICE + "/wrong").claims(c -> c.setJwtId(jti)).sign(), TEST + "AUDIENCE_INVALID");
            verifier.verify(client.token().audience(SERVICE).claims(c -> c.setJwtId(jti)).sign(), SERVICE);
        }

        /** When the replay memory is full, new tokens are refused; no entry is forgotten early. */
        @Test
        void shouldRefuseANewTokenWhenTheReplayMemoryIsFull() throws Exception {
            verifier = CdsClientVerifier.create(config(), Clock.systemUTC(), Duration.ZERO, 2);
            verifier.verify(client.es384(SERVICE), SERVICE);
            String second = client.es384(SERVICE);
            verifier.verify(second, SERVICE);
            refused(client.es384(SERVICE), "jti used before (replay) or no room to remember it");
            refused(second, "jti used before (replay) or no room to remember it");
        }

        @Test
        void shouldRefuseAnUntrustedIssuer() {
            refused(client.token().audience(SERVICE).claims(c -> c.setIssuer("https://evil.example")).sign(),
                    "issuer is no configured CDS client");
        }

        /** HMAC with the client's published public key as the secret: the algorithm-confusion attack. */
        @Test
        void shouldRefuseHS256() {
            byte[] secret = CdsTestClient.pem(client.pemClient.getPublic()).getBytes(StandardCharsets.US_ASCII);
            refused(client.token().audience(SERVICE).claims(c -> c.setIssuer(CdsTestClient.PEM_ISSUER))
                    .signedWith(AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(secret), null).sign(), PEM + "algorithm not allowed");
            refused(client.token().audience(SERVICE)
                    .signedWith(AlgorithmIdentifiers.HMAC_SHA256, new HmacKey(secret), CdsTestClient.EC_KID).sign(),
                    TEST + "algorithm not allowed");
        }

        @Test
        void shouldRefuseAlgNone() {
            refused(client.token().audience(SERVICE).signedWith(AlgorithmIdentifiers.NONE, null, CdsTestClient.EC_KID).sign(),
                    TEST + "algorithm not allowed");
            refused(client.token().audience(SERVICE).claims(c -> c.setIssuer(CdsTestClient.PEM_ISSUER))
                    .signedWith(AlgorithmIdentifiers.NONE, null, null).sign(), PEM + "algorithm not allowed");
        }

        /** Only the two algorithms of the specification, even with the right key. */
        @Test
        void shouldRefuseRS256AndRS512OfTrustedKeys() {
            refused(client.token().audience(SERVICE)
                    .signedWith(AlgorithmIdentifiers.RSA_USING_SHA256, client.rsa.getPrivate(), CdsTestClient.RSA_KID).sign(),
                    TEST + "algorithm not allowed");
            refused(client.token().audience(SERVICE)
                    .signedWith(AlgorithmIdentifiers.RSA_USING_SHA512, client.rsa.getPrivate(), CdsTestClient.RSA_KID).sign(),
                    TEST + "algorithm not allowed");
        }

        @Test
        void shouldRefuseAKeyFromAnotherPair() {
            var other = CdsTestClient.generate("EC");
            refused(client.token().audience(SERVICE)
                    .signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, other.getPrivate(), CdsTestClient.EC_KID).sign(),
                    TEST + "SIGNATURE_INVALID");
            refused(client.token().audience(SERVICE).claims(c -> c.setIssuer(CdsTestClient.PEM_ISSUER))
                    .signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, other.getPrivate(), null).sign(),
                    PEM + "SIGNATURE_INVALID");
            // The other client's own key is still the wrong key for this issuer.
            refused(client.token().audience(SERVICE)
                    .signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, client.pemClient.getPrivate(),
                            CdsTestClient.EC_KID).sign(), TEST + "SIGNATURE_INVALID");
        }

        @Test
        void shouldRefuseAnUnknownKeyIdAfterReadingTheJwkSetAgain() {
            var unpublished = CdsTestClient.generate("EC");
            int before = client.jwksRequests();
            refused(client.token().audience(SERVICE).signedWith(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
                    unpublished.getPrivate(), "never-published").sign(), TEST + "no key of this client for the token's kid");
            assertEquals(before + 2, client.jwksRequests());
        }

        @Test
        void shouldRefuseWhatIsNoSignedJwt() {
            refused("not a token", "not a JWT");
            refused("", "not a JWT");
            refused(client.es384(SERVICE).split("\\.")[0] + ".e30.", "issuer is no configured CDS client");
            String token = client.es384(SERVICE);
            int i = token.length() - 20;
            refused(token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1), TEST + "SIGNATURE_INVALID");
        }

        /** Signature, issuer and times make a client token, whatever its audience; the jti is not spent. */
        @Test
        void shouldTellAClientTokenForAnotherServiceWithoutSpendingIt() throws Exception {
            String token = client.es384(SERVICE);
            assertTrue(verifier.isClientToken(token));
            assertFalse(verifier.isClientToken(client.token().audience(SERVICE).expiresIn(Duration.ofMinutes(-2)).sign()));
            assertFalse(verifier.isClientToken(client.token().audience(SERVICE).claims(c -> c.setIssuer("https://evil.example")).sign()));
            assertFalse(verifier.isClientToken("not a token"));
            verifier.verify(token, SERVICE);
        }
    }

    /** A configuration the service cannot use stops it, with each setting named. */
    @Nested
    class Configuration {

        private List<String> problems(Client c, Optional<String> base) {
            return CdsClientVerifier.problems(new Cds(Map.of("ehr", c), base));
        }

        @Test
        void shouldRefuseNeitherOrBothKeySources() {
            assertEquals(List.of("Set exactly one of triage.cds.clients.\"ehr\".jwks-url (the client's JWK Set) and"
                    + " triage.cds.clients.\"ehr\".public-key (its PEM public key); neither is set."),
                    problems(new Client("iss", Optional.empty(), Optional.empty()), Optional.empty()));
            assertEquals(List.of("Set exactly one of triage.cds.clients.\"ehr\".jwks-url (the client's JWK Set) and"
                    + " triage.cds.clients.\"ehr\".public-key (its PEM public key); both are set."),
                    problems(new Client("iss", Optional.of(client.jwksUrl()), Optional.of(CdsTestClient.pem(client.ec.getPublic()))),
                            Optional.empty()));
        }

        @Test
        void shouldRefuseAPlainHttpJwksUrlExceptToLoopback() {
            assertEquals(List.of("triage.cds.clients.\"ehr\".jwks-url must be https (http only to localhost, for tests):"
                    + " keys read over plain http could be replaced on the way."),
                    problems(new Client("iss", Optional.of("http://keys.example/jwks.json"), Optional.empty()), Optional.empty()));
            assertEquals(List.of(), problems(new Client("iss", Optional.of("https://keys.example/jwks.json"), Optional.empty()),
                    Optional.empty()));
        }

        @Test
        void shouldRefuseAPublicKeyThatIsNoPemOrTooWeak() throws Exception {
            assertEquals(List.of("triage.cds.clients.\"ehr\".public-key is not a PEM public key (-----BEGIN PUBLIC KEY----- ...)"
                    + " of EC P-384 or RSA."), problems(new Client("iss", Optional.empty(), Optional.of("-----BEGIN PUBLIC KEY-----\nAAAA\n")),
                            Optional.empty()));
            var p256 = java.security.KeyPairGenerator.getInstance("EC");
            p256.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            assertEquals(List.of("triage.cds.clients.\"ehr\".public-key is an EC key on another curve than P-384 (ES384 needs P-384)."),
                    problems(new Client("iss", Optional.empty(), Optional.of(CdsTestClient.pem(p256.generateKeyPair().getPublic()))),
                            Optional.empty()));
        }

        /** A PEM key written on one line with \n, as in an environment variable, is read too. */
        @Test
        void shouldReadAPemKeyWithEscapedLineBreaks() {
            String oneLine = CdsTestClient.pem(client.rsa.getPublic()).replace("\n", "\\n");
            assertEquals(List.of(), problems(new Client("iss", Optional.empty(), Optional.of(oneLine)), Optional.empty()));
        }

        @Test
        void shouldRefuseTwoClientsWithOneIssuerAndBadNames() {
            Client c = new Client("same", Optional.of("https://keys.example/jwks.json"), Optional.empty());
            assertEquals(List.of("triage.cds.clients.\"b\".issuer is the same as triage.cds.clients.\"a\".issuer:"
                    + " a token's issuer must name one client."), CdsClientVerifier.problems(new Cds(Map.of("a", c, "b", c), Optional.empty())));
            assertEquals(List.of("triage.cds.clients.\"a b\": a client name has 1 to 64 letters, digits, '.', '_' or '-'"
                    + " (it names the client in decision records and logs)."),
                    CdsClientVerifier.problems(new Cds(Map.of("a b", c), Optional.empty())));
        }

        @Test
        void shouldRefuseAnAudienceBaseThatIsNoBaseUrl() {
            Client c = new Client("iss", Optional.of("https://keys.example/jwks.json"), Optional.empty());
            for (String base : List.of("triage.example.org", "https://triage.example.org/?x=1", "ftp://triage.example.org")) {
                assertEquals(List.of("triage.cds.audience-base-url must be the service's base URL as clients call it, such as"
                        + " https://triage.example.org (no query or fragment; /cds-services/<id> is appended)."),
                        problems(c, Optional.of(base)), base);
            }
        }
    }
}
