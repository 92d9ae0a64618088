package org.massagetriage.triage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.massagetriage.audit.DecisionQuery;
import org.massagetriage.audit.PostgresStoreProfile;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** Idempotent retries on PostgreSQL, the production store. */
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
@EnabledIf("org.massagetriage.audit.PostgresStoreProfile#shouldRun")
class IdempotentRetryPostgresTests extends IdempotentRetryContract {

    /**
     * The case keys exist for: the commit outlives the write timeout (the keys' table is locked for
     * 3 s, the timeout is 2 s), so the client got 503 although its decision was recorded. Its retry
     * gets that recorded decision's answer, and there is still exactly one record. (PostgreSQL only:
     * H2 has no table lock that holds a writer back.)
     */
    @Test
    void shouldReplayTheDecisionWhoseCommitOutlivedThe503() throws Exception {
        Instant from = Instant.now().minusMillis(1);
        String key = newKey();
        HttpResponse<String> refused;
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("LOCK TABLE decision_idempotency IN EXCLUSIVE MODE");
            refused = post(CLIENT, key, SHARP);
            Thread.sleep(1_000);
            c.commit();
        }
        assertEquals(503, refused.statusCode(), refused.body());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> recordedSince(from) == 1);
        UUID recorded = audit.list(new DecisionQuery(from, null, null, 10, null)).items().get(0).decisionId();

        HttpResponse<String> retry = post(CLIENT, key, SHARP);
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(Optional.of("true"), replayed(retry));
        assertEquals(recorded.toString(), JsonPath.from(retry.body()).getString("decisionId"));
        assertEquals(1, recordedSince(from));
    }
}
