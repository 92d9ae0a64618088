package org.massagetriage.governance;

import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The rule-set history on the embedded H2 store. */
@QuarkusTest
@TestProfile(HistoryProfiles.H2.class)
class H2RuleSetHistoryTests extends RuleSetHistoryContract {

    @Override
    RulesDirectory dir() {
        return HistoryProfiles.H2.DIR;
    }
}
