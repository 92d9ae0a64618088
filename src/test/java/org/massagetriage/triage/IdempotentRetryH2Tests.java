package org.massagetriage.triage;

import org.massagetriage.audit.H2StoreProfile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Idempotent retries on the embedded H2 store. */
@QuarkusTest
@TestProfile(H2StoreProfile.class)
class IdempotentRetryH2Tests extends IdempotentRetryContract {
}
