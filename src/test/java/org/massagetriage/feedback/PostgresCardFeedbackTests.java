package org.massagetriage.feedback;

import org.junit.jupiter.api.condition.EnabledIf;
import org.massagetriage.audit.PostgresStoreProfile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Card feedback on PostgreSQL, the production store. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class PostgresCardFeedbackTests extends CardFeedbackContract {
}
