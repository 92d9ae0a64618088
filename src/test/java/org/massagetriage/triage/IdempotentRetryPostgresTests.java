package org.massagetriage.triage;

import org.junit.jupiter.api.condition.EnabledIf;
import org.massagetriage.audit.PostgresStoreProfile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Idempotent retries on PostgreSQL, the production store. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class IdempotentRetryPostgresTests extends IdempotentRetryContract {
}
