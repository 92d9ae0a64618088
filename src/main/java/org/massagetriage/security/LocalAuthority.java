package org.massagetriage.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.UUID;
import java.util.stream.Collectors;

import org.massagetriage.config.TriageConfig;

/**
 * The key pair and RS256 tokens of local mode: a trial of the service on one machine without an
 * identity provider. NOT for production: whoever can read the key directory can mint any role.
 *
 * <p>Uses only the JDK, so that the token command ({@link LocalTokens}) runs from the application
 * jar alone, and so that tests can sign tokens (good and hostile) the same way.
 */
public final class LocalAuthority {

    /** The issuer and audience that local tokens carry and local mode verifies. */
    public static final String ISSUER = "urn:massagetriage:local";
    public static final String AUDIENCE = "soreness-triage";
    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";
    /** Local mode's CDS Hooks client: its key pair in this subdirectory, trusted as {@link #CDS_CLIENT_NAME}. */
    public static final String CDS_CLIENT_DIRECTORY = "cds-client";
    public static final String CDS_CLIENT_NAME = "local-ehr";
    public static final String CDS_CLIENT_ISSUER = "urn:massagetriage:local-ehr";
    /** Where local mode keeps its keys and tokens unless configured otherwise (relative to the working directory). */
    public static final String DEFAULT_DIRECTORY = TriageConfig.Security.DEFAULT_LOCAL_KEY_DIRECTORY;

    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private LocalAuthority() {
    }

    /**
     * Makes sure {@code directory} holds a key pair, generating one on first use; returns the
     * public key file. Safe when two processes start at once: each file appears whole or not at all.
     */
    public static Path ensureKeys(Path directory) {
        Path privateKey = directory.resolve(PRIVATE_KEY_FILE);
        Path publicKey = directory.resolve(PUBLIC_KEY_FILE);
        if (Files.isRegularFile(privateKey) && Files.isRegularFile(publicKey)) {
            return publicKey;
        }
        try {
            Files.createDirectories(directory);
            // Two services started at once in the same directory must end up with one pair, not a mix.
            try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
                if (!(Files.isRegularFile(privateKey) && Files.isRegularFile(publicKey))) {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(2048);
                    KeyPair pair = generator.generateKeyPair();
                    writeAtomically(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
                    writeAtomically(publicKey, pem("PUBLIC KEY", pair.getPublic().getEncoded()), false);
                }
            }
            return publicKey;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the local-mode key pair in " + directory.toAbsolutePath()
                    + " (set triage.security.local-key-directory to a writable directory)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot generate RSA keys", e);
        }
    }

    /** Reads a PKCS#8 PEM private key ({@code -----BEGIN PRIVATE KEY-----}). */
    public static PrivateKey readPrivateKey(Path pemFile) {
        try {
            String pem = Files.readString(pemFile, StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the private key " + pemFile.toAbsolutePath(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("Not a PKCS#8 RSA private key: " + pemFile.toAbsolutePath(), e);
        }
    }

    /** A signed token for {@code subject} with {@code roles} in its groups claim, valid from now for {@code lifetime}. */
    public static String mint(PrivateKey key, String issuer, String audience, String subject, Collection<String> roles,
                              Duration lifetime) {
        Instant now = Instant.now();
        return signRs256(key, "{\"alg\":\"RS256\",\"typ\":\"JWT\"}",
                claims(issuer, audience, subject, roles, now, now.plus(lifetime)));
    }

    /** The claims of a token, as JSON; tests use it to build tokens with chosen times and parties. */
    public static String claims(String issuer, String audience, String subject, Collection<String> roles, Instant issuedAt,
                                Instant expires) {
        return "{\"iss\":" + json(issuer) + ",\"aud\":" + json(audience) + ",\"sub\":" + json(subject)
                + ",\"groups\":[" + roles.stream().map(LocalAuthority::json).collect(Collectors.joining(",")) + "]"
                + ",\"iat\":" + issuedAt.getEpochSecond() + ",\"exp\":" + expires.getEpochSecond()
                + ",\"jti\":" + json(UUID.randomUUID().toString()) + "}";
    }

    /** Signs any header and payload with RS256; tests use it to build tokens with chosen claims. */
    public static String signRs256(PrivateKey key, String headerJson, String payloadJson) {
        String signingInput = base64Url(headerJson) + "." + base64Url(payloadJson);
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + URL.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign with RS256", e);
        }
    }

    public static String base64Url(String text) {
        return URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON string literal; subjects come from the command line, so quote and escape properly. */
    static String json(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** Written beside the target and moved into place, so a reader never sees half a key. */
    static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            if (secret) {
                restrictToOwner(tmp);
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // Windows: the directory's ACL applies.
        }
    }
}
