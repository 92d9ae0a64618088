package org.massagetriage.rules;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs the app on a temporary copy of the real rules, with a short debounce and poll, so that tests
 * can edit rule files as a clinician would without touching the repository's rules/.
 */
public class TempRulesProfile implements QuarkusTestProfile {

    /** Shared by the app and the tests of this profile; created before the app starts. */
    public static final RulesDirectory DIR = RulesDirectory.copyOfDefaults();

    @Override
    public Map<String, String> getConfigOverrides() {
        return DIR.watchedQuickly();
    }
}
