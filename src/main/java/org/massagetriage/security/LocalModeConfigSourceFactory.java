package org.massagetriage.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Local mode ({@code triage.security.local=true}): creates the local key pair before anything reads
 * the JWT settings, and supplies those settings (public key, issuer, audience), so that the token
 * verifier is the standard one with a local key, not a second code path.
 *
 * <p>Supplies nothing, and generates no key, when local mode is off or when any of those settings
 * is configured elsewhere; {@link SecuritySetup} then refuses to start on the mix. Its ordinal is
 * below every configuration file, so a configured value always shows as configured.
 */
public class LocalModeConfigSourceFactory implements ConfigSourceFactory {

    public static final String SOURCE_NAME = "triage local security mode";
    /** Below application.properties (250) and every other configuration file or variable. */
    static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!Boolean.parseBoolean(value(context, "triage.security.local", "false"))) {
            return List.of();
        }
        if (ExecutionMode.current() == ExecutionMode.UNSET) {
            // The build also reads configuration, and records the runtime values it sees into the
            // application: a build run with TRIAGE_SECURITY_LOCAL=true would bake this machine's
            // local key and issuer into a jar that trusts them without local mode. Run time only.
            return List.of();
        }
        for (String name : SecuritySetup.TRUST_SETTINGS) {
            ConfigValue configured = context.getValue(name);
            if (configured != null && SecuritySetup.isSet(configured.getValue())) {
                return List.of();
            }
        }
        Path directory = Path.of(value(context, "triage.security.local-key-directory", LocalAuthority.DEFAULT_DIRECTORY));
        Path publicKey = LocalAuthority.ensureKeys(directory);
        // A local CDS client to try the CDS Hooks service with (README): its own key pair, since a CDS client
        // signs its tokens itself; the service knows only the public key.
        Path cdsPublicKey = LocalAuthority.ensureKeys(directory.resolve(LocalAuthority.CDS_CLIENT_DIRECTORY));
        String cdsKey;
        try {
            cdsKey = Files.readString(cdsPublicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the local CDS client's public key " + cdsPublicKey, e);
        }
        String cds = "triage.cds.clients." + LocalAuthority.CDS_CLIENT_NAME + ".";
        return List.of(new PropertiesConfigSource(Map.of(
                "mp.jwt.verify.publickey.location", publicKey.toAbsolutePath().toUri().toString(),
                "mp.jwt.verify.issuer", LocalAuthority.ISSUER,
                "mp.jwt.verify.audiences", LocalAuthority.AUDIENCE,
                cds + "issuer", LocalAuthority.CDS_CLIENT_ISSUER,
                cds + "public-key", cdsKey), SOURCE_NAME, ORDINAL));
    }

    private static String value(ConfigSourceContext context, String name, String otherwise) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? otherwise : v.getValue().trim();
    }
}
