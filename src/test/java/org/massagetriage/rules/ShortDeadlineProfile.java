package org.massagetriage.rules;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The app on its own copy of the rules with a short check deadline, for a candidate that takes too long. */
public class ShortDeadlineProfile implements QuarkusTestProfile {

    public static final RulesDirectory DIR = RulesDirectory.copyOfDefaults();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "triage.rules.directory", DIR.root().toString(),
                "triage.rules.watch", "false",
                "triage.rules.check-timeout", "5s");
    }
}
