package org.massagetriage.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.PostgresStoreProfile;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The production store goes away under load: the local PostgreSQL is stopped for 10 s while four
 * clients keep asking. While it is down, answers are 503 (never a decision without a record);
 * after it is back, decisions succeed again; every decision that was answered is in the store.
 * Stops and starts the machine's PostgreSQL, so it runs only with -Preliability (as root).
 */
@Tag("reliability")
@QuarkusTest
@TestProfile(PostgresStoreProfile.class)
class PostgresOutageTests {

    @TestHTTPResource("/api/v1/triage")
    URI triage;

    @Inject
    AuditTrail audit;

    static void postgres(String action) throws IOException, InterruptedException {
        String version = new String(new ProcessBuilder("ls", "/etc/postgresql").start().getInputStream().readAllBytes()).strip();
        Process p = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action)
                .inheritIO().start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "pg_ctlcluster " + action);
    }

    @Test
    void shouldAnswer503WhileDownAndRecoverWithEveryAnswerRecorded() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(triage).header("Authorization", TestTokens.bearer(Roles.TRIAGE_CLIENT)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString("{\"painCharacter\": \"SHARP\", \"symptoms\": []}")).build();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        Map<Long, Integer> timeline = new ConcurrentSkipListMap<>(); // ms since start -> status (sampled)
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            pool.submit(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        timeline.put((System.nanoTime() - start) / 1_000_000, r.statusCode());
                        if (r.statusCode() == 200) {
                            answered.add(JsonPath.from(r.body()).getString("decisionId"));
                        }
                    } catch (Exception e) {
                        statuses.merge(-1, 1, Integer::sum);
                    }
                }
                return null;
            });
        }
        Thread.sleep(5_000);
        postgres("stop");
        long stoppedAt = (System.nanoTime() - start) / 1_000_000; // stop returns once the server is down
        Thread.sleep(10_000);
        long startCalledAt = (System.nanoTime() - start) / 1_000_000;
        postgres("start");
        long startedAt = (System.nanoTime() - start) / 1_000_000;
        long recoveredAt = -1;
        while ((System.nanoTime() - start) / 1_000_000 < startedAt + 30_000) {
            Thread.sleep(100);
            Long last = ((ConcurrentSkipListMap<Long, Integer>) timeline).lastKey();
            if (last > startedAt && timeline.get(last) == 200) {
                recoveredAt = last;
                break;
            }
        }
        Thread.sleep(3_000);
        running.set(false);
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));

        System.out.printf("postgres outage: down from %d ms to %d ms (start returned at %d ms), first 200 after"
                + " restart at %d ms; statuses %s; %d decisions answered, all recorded%n", stoppedAt, startCalledAt, startedAt,
                recoveredAt, statuses, answered.size());
        assertTrue(statuses.getOrDefault(503, 0) > 0, "no 503 while the store was down: " + statuses);
        assertTrue(recoveredAt > 0, "no decision after the store came back");
        assertEquals(Set.of(200, 503), statuses.keySet(), "only 200 and 503: " + statuses);
        for (String id : answered) {
            assertTrue(audit.find(UUID.fromString(id)).isPresent(), "answered but not recorded: " + id);
        }
        List<Integer> during = timeline.entrySet().stream()
                .filter(e -> e.getKey() > stoppedAt && e.getKey() < startCalledAt).map(Map.Entry::getValue).toList();
        assertTrue(during.stream().allMatch(s -> s == 503), "a decision was answered while the store was down: " + during);
    }
}
