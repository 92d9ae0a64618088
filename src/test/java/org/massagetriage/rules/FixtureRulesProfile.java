package org.massagetriage.rules;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * As {@link TempRulesProfile}, on a temporary copy of the frozen rules fixture: for tests against
 * the running app that pin lines of rule files, which a clinician's edit of rules/ must not move.
 */
public class FixtureRulesProfile implements QuarkusTestProfile {

    /** Shared by the app and the tests of this profile; created before the app starts. */
    public static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

    @Override
    public Map<String, String> getConfigOverrides() {
        return DIR.watchedQuickly();
    }
}
