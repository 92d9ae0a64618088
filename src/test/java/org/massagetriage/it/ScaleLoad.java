package org.massagetriage.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.massagetriage.governance.TriageRequests;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Booking systems posting check-ins through the load balancer: {@code clients} threads, each with
 * its own HTTP/1.1 connection (kept alive) and one request in flight at a time, each request with
 * its own Idempotency-Key, until stopped or until {@code total} requests have been sent. Paced (a
 * pause after each answer) where the test is about something else happening under load: unpaced,
 * the clients keep both cores busy and a replica's rule check, one thread among dozens, gets a
 * tenth of a core. Answers are read with Jackson: REST Assured's JsonPath compiles a Groovy
 * expression per read, which made this client the machine's largest CPU user. Every
 * request's result is kept: when it was sent and answered, the status, the replica and rule-set
 * version that answered, the decision id, or the error.
 */
final class ScaleLoad implements AutoCloseable {

    record Result(long sentNanos, long answeredNanos, String key, String body, int status, String replica, String version,
                  String decisionId, String error) {
        boolean ok() {
            return status == 200 && decisionId != null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final String subject;
    private final String token;
    private final long pauseMillis;
    private final URI uri;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger remaining;
    private final List<Thread> threads = new ArrayList<>();
    final ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();

    private ScaleLoad(ScaleCluster cluster, String subject, long total, Duration pause) {
        this.subject = subject;
        this.pauseMillis = pause.toMillis();
        this.token = TestTokens.validFor(subject, Roles.TRIAGE_CLIENT);
        this.uri = cluster.balancer("/api/v1/triage");
        this.remaining = new AtomicInteger(total > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) total);
    }

    /** Runs until {@link #close()}, each client pausing {@code pause} after each answer. */
    static ScaleLoad start(ScaleCluster cluster, String subject, int clients, Duration pause) {
        return start(cluster, subject, clients, Long.MAX_VALUE, pause);
    }

    /** Runs until {@code total} requests are answered or failed (or {@link #close()}). */
    static ScaleLoad start(ScaleCluster cluster, String subject, int clients, long total, Duration pause) {
        ScaleLoad load = new ScaleLoad(cluster, subject, total, pause);
        for (int i = 0; i < clients; i++) {
            long seed = subject.hashCode() * 31L + i;
            Thread t = new Thread(() -> load.run(new Random(seed)), subject + "-client-" + i);
            load.threads.add(t);
            t.start();
        }
        return load;
    }

    private void run(Random random) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        while (!stop.get() && remaining.getAndDecrement() > 0) {
            results.add(send(http, UUID.randomUUID().toString(), TriageRequests.random(random)));
            if (pauseMillis > 0) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One request; a retry is the same call with the same key and body. */
    Result send(HttpClient http, String key, String body) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String id = null;
            String version = null;
            if (r.statusCode() == 200) {
                JsonNode json = JSON.readTree(r.body());
                id = json.path("decisionId").asText(null);
                version = json.path("ruleset").path("version").asText(null);
            }
            return new Result(sent, System.nanoTime(), key, body, r.statusCode(), r.headers().firstValue("X-Replica").orElse(null),
                    version, id, r.statusCode() == 200 ? null : r.body());
        } catch (Exception e) {
            return new Result(sent, System.nanoTime(), key, body, 0, null, null, null, e.toString());
        }
    }

    Result retry(Result failed) {
        return send(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), failed.key(), failed.body());
    }

    /** Waits for the last request of a bounded run. */
    void awaitDone(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                throw new AssertionError("load still running after " + atMost);
            }
        }
    }

    List<Result> results() {
        return new ArrayList<>(results);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
