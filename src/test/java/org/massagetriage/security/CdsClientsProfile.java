package org.massagetriage.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Two trusted CDS Hooks clients: "test" by the JWK Set of a simulated client ({@link CdsTestClient})
 * and "pem-client" by its PEM public key. No {@code triage.cds.audience-base-url}: the expected
 * {@code aud} comes from each request's own URL, here {@code http://localhost:<test port>}.
 */
public class CdsClientsProfile implements QuarkusTestProfile {

    /** Shared by the app and the tests of this profile; its JWK Set is served before the app starts. */
    public static final CdsTestClient CLIENT = CdsTestClient.start();

    @Override
    public Map<String, String> getConfigOverrides() {
        return CLIENT.config();
    }
}
