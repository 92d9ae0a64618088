package org.massagetriage.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The embedded default store, in a fresh file for each run, with a one-year retention to test. */
public class H2StoreProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            String file = Files.createTempDirectory("triage-h2-").resolve("triage").toString();
            return Map.of("triage.store.jdbc-url", "jdbc:h2:file:" + file,
                    "triage.store.retention-days", "365");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
