package org.massagetriage.security;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Prints a local-mode token, NOT for production:
 * {@code java -cp 'target/quarkus-app/app/*' org.massagetriage.security.LocalTokens triage-client}.
 *
 * <p>Arguments: a role ({@link Roles}), then optionally a subject (default {@code local-<role>}) and a
 * lifetime in hours (default 24). The key directory is {@code -Dtriage.security.local-key-directory},
 * else {@code TRIAGE_SECURITY_LOCAL_KEY_DIRECTORY}, else {@code data/local-auth} (relative to the
 * working directory), the service's default; set it the same way as for the service if moved.
 * Needs only the JDK and this class's jar.
 */
public final class LocalTokens {

    private LocalTokens() {
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 3 || !Roles.ALL.contains(args[0])) {
            System.err.println("usage: LocalTokens <" + String.join("|", Roles.ALL) + "> [subject] [lifetime-hours]");
            System.exit(2);
        }
        String role = args[0];
        String subject = args.length > 1 ? args[1] : "local-" + role;
        long hours = 24;
        if (args.length > 2) {
            try {
                hours = Long.parseLong(args[2]);
            } catch (NumberFormatException e) {
                hours = -1;
            }
            if (hours < 1 || hours > 24 * 366) {
                System.err.println("lifetime-hours must be a whole number from 1 to 8784, not '" + args[2] + "'");
                System.exit(2);
            }
        }
        String configured = System.getProperty("triage.security.local-key-directory",
                System.getenv("TRIAGE_SECURITY_LOCAL_KEY_DIRECTORY"));
        Path directory = Path.of(configured == null || configured.isBlank() ? LocalAuthority.DEFAULT_DIRECTORY : configured);
        Path privateKey = directory.resolve(LocalAuthority.PRIVATE_KEY_FILE);
        if (!Files.isRegularFile(privateKey)) {
            System.err.println("No local-mode key in " + directory.toAbsolutePath()
                    + ": start the service once with TRIAGE_SECURITY_LOCAL=true (from this directory) to create it.");
            System.exit(1);
        }
        System.out.println(LocalAuthority.mint(LocalAuthority.readPrivateKey(privateKey), LocalAuthority.ISSUER,
                LocalAuthority.AUDIENCE, subject, List.of(role), Duration.ofHours(hours)));
    }
}
