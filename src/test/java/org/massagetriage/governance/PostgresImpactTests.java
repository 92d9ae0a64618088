package org.massagetriage.governance;

import org.junit.jupiter.api.condition.EnabledIf;
import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The impact report on PostgreSQL. */
@QuarkusTest
@TestProfile(HistoryProfiles.PostgresImpact.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class PostgresImpactTests extends ImpactContract {

    @Override
    RulesDirectory dir() {
        return HistoryProfiles.PostgresImpact.DIR;
    }
}
