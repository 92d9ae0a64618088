package org.massagetriage.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;

/**
 * Checks at start-up that tokens can be verified, before anything else starts: without a trusted
 * key, issuer and audience the service would reject every caller (or, worse, be set up by guesswork),
 * so it stops with one message naming the settings. The CDS Hooks clients' settings
 * ({@link CdsClientTrust}) are checked in the same message. In local mode it writes a token per role.
 */
@ApplicationScoped
public class SecuritySetup {

    private static final Logger LOG = Logger.getLogger(SecuritySetup.class);

    static final String PUBLIC_KEY = "mp.jwt.verify.publickey";
    static final String PUBLIC_KEY_LOCATION = "mp.jwt.verify.publickey.location";
    static final String ISSUER = "mp.jwt.verify.issuer";
    static final String AUDIENCES = "mp.jwt.verify.audiences";
    static final String SIGN_KEY = "smallrye.jwt.sign.key";
    static final String SIGN_KEY_LOCATION = "smallrye.jwt.sign.key.location";
    static final String FRAMEWORK_DEV_ISSUER = "https://quarkus.io/issuer";
    static final String ALGORITHM = "mp.jwt.verify.publickey.algorithm";
    /** The settings that decide whom the service trusts; local mode supplies them all or none. */
    static final List<String> TRUST_SETTINGS = List.of(PUBLIC_KEY, PUBLIC_KEY_LOCATION, ISSUER, AUDIENCES);

    /** False until the checks below have passed: until then no token is accepted, whatever the verifier says. */
    private volatile boolean accepting;

    private final TriageConfig.Security security;
    private final Config config;
    private final CdsClientTrust cdsClients;

    public SecuritySetup(TriageConfig config, Config mpConfig, CdsClientTrust cdsClients) {
        this.security = config.security();
        this.config = mpConfig;
        this.cdsClients = cdsClients;
    }

    /** Whether tokens may be accepted: only once the start-up checks have passed. */
    public boolean accepting() {
        return accepting;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        List<String> problems = new ArrayList<>(security.local() ? localModeConflicts() : missingSettings());
        String algorithm = value(ALGORITHM);
        if (algorithm != null && (algorithm.strip().toUpperCase(Locale.ROOT).startsWith("HS")
                || algorithm.strip().equalsIgnoreCase("none"))) {
            problems.add(ALGORITHM + " is " + algorithm + ": only public-key signatures (RS256, ES256, PS256...) are accepted.");
        }
        problems.addAll(cdsClients.problems());
        if (!problems.isEmpty()) {
            LOG.errorf("Caller authentication is not set up; the service stops. %s", String.join(" ", problems));
            Quarkus.asyncExit(1);
            return;
        }
        accepting = true;
        if (security.local()) {
            Path tokens = writeLocalTokens();
            LOG.warnf("LOCAL SECURITY MODE, NOT FOR PRODUCTION: only tokens signed with the key in %s are accepted."
                    + " Tokens valid for %s are in %s (one file per role); mint more with:"
                    + " java -cp 'target/quarkus-app/app/*' org.massagetriage.security.LocalTokens <%s>",
                    Path.of(security.localKeyDirectory()).toAbsolutePath(), security.localTokenLifetime(),
                    tokens.toAbsolutePath(), String.join("|", Roles.ALL));
            // The token is in the fragment: browsers never send it to the server, so it is in no access log.
            LOG.warnf("Rules workbench (local mode, rules-admin): http://localhost:%d/workbench/#token=%s",
                    ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8080),
                    readToken(tokens.resolve(Roles.RULES_ADMIN + ".jwt")));
        } else {
            LOG.infof("Accepting bearer tokens from issuer %s for audience %s", value(ISSUER), value(AUDIENCES));
        }
        if (!cdsClients.clientNames().isEmpty()) {
            LOG.infof("Accepting CDS Hooks clients %s on /cds-services/", cdsClients.clientNames());
            if (!cdsClients.audienceConfigured()) {
                LOG.warn("triage.cds.audience-base-url is not set: the aud a CDS token must carry is taken from each"
                        + " request's own URL (its Host header, chosen by the caller). Set it in production.");
            }
        }
    }

    private List<String> missingSettings() {
        List<String> missing = new ArrayList<>();
        // Under quarkus:run with no key configured, the JWT extension's development support passes
        // a fresh in-memory key pair (signing key included, on the command line) and a default
        // issuer. This service only verifies, so a signing key marks those values: never trusted.
        boolean frameworkDevKeys = value(SIGN_KEY) != null || value(SIGN_KEY_LOCATION) != null;
        if (frameworkDevKeys || (value(PUBLIC_KEY) == null && value(PUBLIC_KEY_LOCATION) == null)) {
            missing.add("Set MP_JWT_VERIFY_PUBLICKEY_LOCATION (a PEM file or the identity provider's JWKS URL)"
                    + " or MP_JWT_VERIFY_PUBLICKEY (the key itself).");
        }
        if (value(ISSUER) == null || (frameworkDevKeys && FRAMEWORK_DEV_ISSUER.equals(value(ISSUER)))) {
            missing.add("Set MP_JWT_VERIFY_ISSUER to the issuer (iss) the tokens must carry.");
        }
        if (value(AUDIENCES) == null) {
            missing.add("Set MP_JWT_VERIFY_AUDIENCES to this service's audience (aud) in the tokens.");
        }
        if (LocalAuthority.ISSUER.equals(value(ISSUER))) {
            missing.add("The issuer is local mode's own (" + LocalAuthority.ISSUER + ") but local mode is off: set the"
                    + " identity provider's issuer, or TRIAGE_SECURITY_LOCAL=true for a local trial.");
        }
        if (frameworkDevKeys) {
            missing.add("(A signing key is configured (smallrye.jwt.sign.key): this service only verifies tokens, so that"
                    + " key and the verification key beside it are taken for the framework's development keys and not trusted.)");
        }
        if (!missing.isEmpty()) {
            missing.add("For a trial on one machine only, TRIAGE_SECURITY_LOCAL=true generates a local key (not for production).");
        }
        return missing;
    }

    /** Local mode must be all local: a configured key or issuer beside it would mean two trust roots. */
    private List<String> localModeConflicts() {
        List<String> conflicts = new ArrayList<>();
        for (String name : TRUST_SETTINGS) {
            ConfigValue v = config.getConfigValue(name);
            if (isSet(v.getValue()) && (v.getSourceName() == null
                    || !v.getSourceName().contains(LocalModeConfigSourceFactory.SOURCE_NAME))) {
                conflicts.add(name + " is set (in " + v.getSourceName() + ") while triage.security.local=true;"
                        + " use either local mode or configured keys, not both.");
            }
        }
        return conflicts;
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the local-mode token " + file.toAbsolutePath(), e);
        }
    }

    private Path writeLocalTokens() {
        Path directory = Path.of(security.localKeyDirectory());
        PrivateKey key = LocalAuthority.readPrivateKey(directory.resolve(LocalAuthority.PRIVATE_KEY_FILE));
        Path tokens = directory.resolve("tokens");
        try {
            Files.createDirectories(tokens);
            for (String role : Roles.ALL) {
                String token = LocalAuthority.mint(key, LocalAuthority.ISSUER, LocalAuthority.AUDIENCE, "local-" + role,
                        List.of(role), security.localTokenLifetime());
                LocalAuthority.writeAtomically(tokens.resolve(role + ".jwt"), token + "\n", true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write local-mode tokens to " + tokens.toAbsolutePath(), e);
        }
        return tokens;
    }

    private String value(String name) {
        return config.getOptionalValue(name, String.class).filter(SecuritySetup::isSet).orElse(null);
    }

    /**
     * Blank and {@code NONE} mean unset: {@code quarkus:run} passes {@code -Dmp.jwt.verify.publickey=NONE},
     * the extension's own marker for "no inline key".
     */
    static boolean isSet(String value) {
        return value != null && !value.isBlank() && !value.strip().equals("NONE");
    }
}
