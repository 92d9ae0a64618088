package org.massagetriage.governance;

import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The impact report on the embedded H2 store. */
@QuarkusTest
@TestProfile(HistoryProfiles.H2Impact.class)
class H2ImpactTests extends ImpactContract {

    @Override
    RulesDirectory dir() {
        return HistoryProfiles.H2Impact.DIR;
    }
}
