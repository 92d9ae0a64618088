package org.massagetriage.feedback;

import org.massagetriage.audit.H2StoreProfile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Card feedback on the embedded H2 store, the default of a plain run. */
@QuarkusTest
@TestProfile(H2StoreProfile.class)
class H2CardFeedbackTests extends CardFeedbackContract {
}
