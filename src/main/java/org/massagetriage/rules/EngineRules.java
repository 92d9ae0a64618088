package org.massagetriage.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The service's own rule file, compiled into every rule set beside the clinicians' files: the
 * decision rule (DEC-01), which fixes the outcome through the triage collector. It is code, so it
 * lives in the service, not in {@code rules/}, and is exempt from {@link RuleLanguage}'s checks.
 */
final class EngineRules {

    /** How the file is named in rule descriptions and diagnostics. */
    static final String DISPLAY_PATH = "service:engine.drl";

    /**
     * Where it goes in the compiler's file system, beside the clinicians' files (the folder matches
     * the package; the compiler skips names starting with '.'). A clinician's file of this name is
     * refused, so none can take its place.
     */
    static final String KFS_RELATIVE_PATH = "service-engine.drl";

    static final String CONTENT = read();

    private EngineRules() {
    }

    private static String read() {
        try (InputStream in = EngineRules.class.getResourceAsStream("engine.drl")) {
            if (in == null) {
                throw new IllegalStateException("engine.drl is missing from the service's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
