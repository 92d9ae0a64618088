package org.massagetriage.governance;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.condition.EnabledIf;
import org.massagetriage.rules.RulesDirectory;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Approvals shared between replicas through PostgreSQL, the store replicas share in production. */
@QuarkusTest
@TestProfile(PostgresSharedApprovalTests.Profile.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class PostgresSharedApprovalTests extends SharedApprovalContract {

    public static class Profile implements QuarkusTestProfile {
        static final RulesDirectory DIR = RulesDirectory.copyOfFixture();

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(new HistoryProfiles.Postgres().getConfigOverrides());
            config.putAll(DIR.watchedQuickly());
            config.put("triage.rules.approval", "down-triage");
            return config;
        }
    }

    @Override
    RulesDirectory dir() {
        return Profile.DIR;
    }
}
