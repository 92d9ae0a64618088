package org.massagetriage.audit;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The audit trail on the embedded H2 store, the default of a plain run. */
@QuarkusTest
@TestProfile(H2StoreProfile.class)
class H2DecisionAuditTests extends DecisionAuditContract {
}
