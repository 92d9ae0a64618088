package org.massagetriage.rules;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The app on its own copy of the frozen fixture rules with a short check deadline, for a candidate that
 * takes too long. The fixture, not the default rules: since clinical content 1.1 a check of the default
 * rules takes about as long as this deadline on a busy 2-core machine (5 s), so good edits were
 * rejected too; the fixture checks in 1 to 2 s, and the slow candidate takes several times the deadline.
 */
public class ShortDeadlineProfile implements QuarkusTestProfile {

    public static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "triage.rules.directory", DIR.root().toString(),
                "triage.rules.watch", "false",
                "triage.rules.check-timeout", "5s");
    }
}
