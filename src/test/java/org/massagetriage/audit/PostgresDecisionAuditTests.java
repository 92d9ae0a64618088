package org.massagetriage.audit;

import org.junit.jupiter.api.condition.EnabledIf;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The audit trail on PostgreSQL, the production store. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class PostgresDecisionAuditTests extends DecisionAuditContract {
}
