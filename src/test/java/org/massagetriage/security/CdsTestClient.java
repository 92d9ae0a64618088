package org.massagetriage.security;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpServer;

/**
 * A simulated CDS Hooks client (an EHR) for tests: its own EC P-384 and RSA key pairs, published as a
 * JWK Set by a small HTTP server on a free loopback port (which counts its requests), and a third key
 * pair handed to the service as a PEM public key (a second client). Tokens are built with jose4j.
 */
public final class CdsTestClient implements AutoCloseable {

    public static final String ISSUER = "https://ehr.test.example/cds-client";
    public static final String PEM_ISSUER = "https://other-ehr.test.example";
    public static final String EC_KID = "ec-1";
    public static final String RSA_KID = "rsa-1";

    public final KeyPair ec = generate("EC");
    public final KeyPair rsa = generate("RSA");
    /** The second client's key: the service knows only its PEM public key. */
    public final KeyPair pemClient = generate("EC");

    private final List<JsonWebKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksRequests = new AtomicInteger();
    private final HttpServer server;

    private CdsTestClient() {
        publish(EC_KID, ec.getPublic());
        publish(RSA_KID, rsa.getPublic());
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            byte[] body = new JsonWebKeySet(published).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public static CdsTestClient start() {
        return new CdsTestClient();
    }

    public String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    public int jwksRequests() {
        return jwksRequests.get();
    }

    /** Adds a key to the published JWK Set (a key rotation). */
    public void publish(String kid, PublicKey key) {
        try {
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(key);
            jwk.setKeyId(kid);
            published.add(jwk);
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings of both clients, "test" by JWK Set and "pem-client" by PEM public key. */
    public Map<String, String> config() {
        return Map.of("triage.cds.clients.test.issuer", ISSUER,
                "triage.cds.clients.test.jwks-url", jwksUrl(),
                "triage.cds.clients.pem-client.issuer", PEM_ISSUER,
                "triage.cds.clients.pem-client.public-key", pem(pemClient.getPublic()));
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A valid ES384 token of this client for {@code audience}: five minutes, fresh jti. */
    public String es384(String audience) {
        return token().audience(audience).sign();
    }

    public Token token() {
        return new Token();
    }

    /** A token under construction: valid ES384 claims of this client until changed. */
    public final class Token {
        public final JwtClaims claims = new JwtClaims();
        private String algorithm = AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384;
        private Key key = ec.getPrivate();
        private String kid = EC_KID;

        private Token() {
            Instant now = Instant.now();
            claims.setIssuer(ISSUER);
            claims.setSubject(ISSUER);
            claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
            claims.setExpirationTime(NumericDate.fromSeconds(now.plus(Duration.ofMinutes(5)).getEpochSecond()));
            claims.setJwtId(UUID.randomUUID().toString());
        }

        public Token audience(String audience) {
            claims.setAudience(audience);
            return this;
        }

        public Token claims(Consumer<JwtClaims> change) {
            change.accept(claims);
            return this;
        }

        public Token expiresIn(Duration fromNow) {
            claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plus(fromNow).getEpochSecond()));
            return this;
        }

        public Token signedWith(String algorithm, Key key, String kid) {
            this.algorithm = algorithm;
            this.key = key;
            this.kid = kid;
            return this;
        }

        public String sign() {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setAlgorithmHeaderValue(algorithm);
            // Hostile tokens too (none, HMAC): the test client signs whatever it is told to.
            jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            if (key != null) {
                jws.setKey(key);
            }
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
            try {
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp384r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
