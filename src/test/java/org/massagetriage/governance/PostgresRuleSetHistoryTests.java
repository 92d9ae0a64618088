package org.massagetriage.governance;

import org.junit.jupiter.api.condition.EnabledIf;
import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The rule-set history on PostgreSQL, the production store. */
@QuarkusTest
@TestProfile(HistoryProfiles.Postgres.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class PostgresRuleSetHistoryTests extends RuleSetHistoryContract {

    @Override
    RulesDirectory dir() {
        return HistoryProfiles.Postgres.DIR;
    }
}
