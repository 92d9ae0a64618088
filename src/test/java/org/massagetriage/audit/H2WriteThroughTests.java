package org.massagetriage.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The embedded store's URL: the service's short retention unless the URL sets its own. */
class H2WriteThroughTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:./data/triage | jdbc:h2:file:./data/triage;RETENTION_TIME=1000",
            "jdbc:h2:file:./data/triage;WRITE_DELAY=0 | jdbc:h2:file:./data/triage;WRITE_DELAY=0;RETENTION_TIME=1000",
            "jdbc:h2:file:./data/triage;RETENTION_TIME=45000 | jdbc:h2:file:./data/triage;RETENTION_TIME=45000",
            "jdbc:h2:file:./data/triage;retention_time=0;WRITE_DELAY=0 | jdbc:h2:file:./data/triage;retention_time=0;WRITE_DELAY=0"})
    void shouldAddTheShortRetentionUnlessTheUrlSetsOne(String configured, String opened) {
        assertEquals(opened, H2WriteThrough.withShortRetention(configured));
    }
}
