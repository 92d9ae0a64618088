package org.massagetriage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import io.restassured.path.json.JsonPath;

/**
 * Three replicas of the packaged jar behind HAProxy, one PostgreSQL database, one rules directory
 * they all watch (issue 19, docs/scaling.md): they serve one rule version, an approval given on one
 * releases the edit on all, a replica killed with {@code kill -9} under load loses no answered
 * decision, and 64 clients' 20,000 decisions are recorded exactly. Runs with {@code -Pscale}, as
 * .ci/run does; the figures it prints are the ones docs/scaling.md quotes.
 */
@Tag("scale")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleIT {

    static ScaleCluster cluster;
    /**
     * Each client's pause after an answer while a rule change, a kill or a stop is under test: 4 to 8
     * clients then send 40 to 80 requests a second, a steady stream through every replica that leaves
     * the replicas' rule checks and restarts CPU to run (three cold JVMs at 200 MB heaps share two cores
     * with PostgreSQL, HAProxy and these clients: paced at 40 ms, 16 clients kept the cores busy and a
     * rule check took over 25 s). The 20,000 decisions run unpaced.
     */
    static final Duration PACE = Duration.ofMillis(100);
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final Map<String, String> ORIGINAL = new LinkedHashMap<>();
    static final List<String> versions = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        long t = System.nanoTime();
        // Behind the approval gate a production deployment has (down-triage edits wait for a second clinician);
        // the rules directory is watched with the service's defaults (300 ms debounce, 1 s poll).
        // A 60 s check deadline (the service's is 10 s): three cold replicas compile each edit at once on two
        // cores, beside the load, and a slow CI machine must not turn it into a rejection. How long it took is
        // what the test measures and prints.
        cluster = ScaleCluster.start(3, Map.of("triage.rules.approval", "DOWN_TRIAGE", "triage.rules.check-timeout", "60s"));
        System.out.printf("[scale] three replicas ready behind HAProxy in %d ms%n", (System.nanoTime() - t) / 1_000_000);
        for (String f : List.of("thresholds.properties", "scenarios/self-care.csv", "scenarios/contact-therapist.csv")) {
            ORIGINAL.put(f, cluster.rules.read(f));
        }
        versions.add(cluster.replicas.get(0).version());
        cluster.awaitVersionOnAll(versions.get(0), Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void shouldServeOneRuleVersionOnEveryReplicaAfterAFileEditAndAnApiSave() throws Exception {
        String first = versions.get(0);
        String edited;
        String saved;
        long fileConverged;
        long saveConverged;
        ScaleLoad load = ScaleLoad.start(cluster, "scale-edit", 4, PACE);
        try {
            Thread.sleep(1_000);
            // A clinician's edit on the shared directory (the README's example: 72 hours lowered to 48, an up-triage,
            // so no approval), the threshold written last so that no half-written state passes its scenarios.
            cluster.rules.write("scenarios/contact-therapist.csv", ORIGINAL.get("scenarios/contact-therapist.csv")
                    + "CT-01-60h-unchanged,60,DULL_ACHE,3,UNCHANGED,none,LOWER_BACK,none,CONTACT_THERAPIST,"
                    + "@CONTACT_THERAPIST,CT-01|ADV-02,,\n");
            cluster.rules.replace("scenarios/self-care.csv", "SC-01-72h-unchanged,72,", "SC-01-48h-unchanged,48,");
            cluster.rules.replace("thresholds.properties", "normal-soreness-hours=72", "normal-soreness-hours=48");
            edited = cluster.rules.version();
            cluster.awaitVersionOnAll(edited, Duration.ofSeconds(90));
            fileConverged = System.nanoTime();
            Thread.sleep(1_500);

            // The same through the rules API (the workbench's save), reaching one replica through HAProxy.
            String drl = cluster.replicas.get(1).get("/api/v1/rules/files/contact-therapist.drl").body();
            JsonPath file = JsonPath.from(drl);
            HttpResponse<String> save = cluster.viaBalancer(HttpRequest.newBuilder(
                            cluster.balancer("/api/v1/rules/files/contact-therapist.drl"))
                    .header("Authorization", "Bearer " + TestTokens.validFor("clinician-a", Roles.RULES_ADMIN))
                    .header("Content-Type", "text/plain; charset=UTF-8").header("If-Match", "\"" + file.getString("tag") + "\"")
                    .PUT(HttpRequest.BodyPublishers.ofString(file.getString("content").replace(
                            "'or is accompanied by severe pain ... contact", "'or is accompanied by severe pain ... you should contact"))));
            assertEquals(200, save.statusCode(), save.body());
            assertEquals("ACCEPTED", JsonPath.from(save.body()).getString("result"), save.body());
            saved = JsonPath.from(save.body()).getString("version");
            assertEquals(cluster.rules.version(), saved);
            cluster.awaitVersionOnAll(saved, Duration.ofSeconds(90));
            saveConverged = System.nanoTime();
            Thread.sleep(1_500);
        } finally {
            load.close();
        }
        versions.add(edited);
        versions.add(saved);

        List<ScaleLoad.Result> results = load.results();
        assertEquals(List.of(), results.stream().filter(r -> !r.ok()).toList());
        Duration fileWindow = mixedWindow(results, first, edited);
        Duration saveWindow = mixedWindow(results, edited, saved);
        System.out.printf("[scale] one rule version: %d answers; replicas answered with two versions for at most %d ms after"
                        + " the file edit and %d ms after the API save%n", results.size(), fileWindow.toMillis(),
                saveWindow.toMillis());
        // Nobody stays behind: once every replica reports the new version, every answer carries it.
        assertEquals(List.of(), results.stream().filter(r -> r.sentNanos() > fileConverged && r.sentNanos() < saveConverged
                && !r.version().equals(edited) && !r.version().equals(saved)).toList());
        assertEquals(List.of(), results.stream().filter(r -> r.sentNanos() > saveConverged && !r.version().equals(saved)).toList());
        assertEquals(Set.of("r1", "r2", "r3"), results.stream().filter(r -> r.sentNanos() > saveConverged)
                .map(ScaleLoad.Result::replica).collect(Collectors.toSet()));
        // Target 2 s (docs/scaling.md); asserted with room for a CI machine running three compiles on two cores.
        assertTrue(fileWindow.compareTo(Duration.ofSeconds(30)) <= 0, fileWindow::toString);
        assertTrue(saveWindow.compareTo(Duration.ofSeconds(30)) <= 0, saveWindow::toString);

        // The history: one row per version, one activation per replica, and who saved through the API.
        assertEquals(Set.of(first, edited, saved), storedVersions());
        assertEquals(List.of("FILE_CHANGE", "FILE_CHANGE", "FILE_CHANGE"), activations(edited, "activation_trigger"));
        assertEquals(List.of("FILE_CHANGE", "FILE_CHANGE", "FILE_SAVE"), activations(saved, "activation_trigger"));
        assertEquals(3, new HashSet<>(activations(saved, "instance")).size());
        assertEquals(List.of("clinician-a"), activations(saved, "requested_by").stream().filter(s -> s != null).toList());
    }

    @Test
    @Order(2)
    void shouldHoldADownTriageEditPendingOnEveryReplicaAndReleaseItWithOneApproval() throws Exception {
        String serving = versions.get(versions.size() - 1);
        // Back to 72 hours: cases of 48 to 72 hours go from contact-your-therapist to self-care, a down-triage,
        // so every replica holds it for a second clinician. The threshold goes first: no half-state passes.
        cluster.rules.write("thresholds.properties", ORIGINAL.get("thresholds.properties"));
        cluster.rules.write("scenarios/self-care.csv", ORIGINAL.get("scenarios/self-care.csv"));
        cluster.rules.write("scenarios/contact-therapist.csv", ORIGINAL.get("scenarios/contact-therapist.csv"));
        String candidate = cluster.rules.version();
        for (ScaleCluster.Replica r : cluster.replicas) {
            org.awaitility.Awaitility.await(r.name + " holding " + candidate).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> candidate.equals(JsonPath.from(r.get("/api/v1/rules/pending").body()).getString("version")));
            assertEquals(serving, r.version());
        }
        long approved = System.nanoTime();
        HttpResponse<String> approval = cluster.viaBalancer(HttpRequest.newBuilder(
                        cluster.balancer("/api/v1/rules/pending/" + candidate + "/approve"))
                .header("Authorization", "Bearer " + TestTokens.validFor("clinician-b", Roles.RULES_ADMIN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"comment\": \"reviewed against the article\"}")));
        assertEquals(200, approval.statusCode(), approval.body());
        assertEquals("ACCEPTED", JsonPath.from(approval.body()).getString("result"));
        cluster.awaitVersionOnAll(candidate, Duration.ofSeconds(30));
        System.out.printf("[scale] one approval released the edit on all three replicas in %d ms%n",
                (System.nanoTime() - approved) / 1_000_000);
        for (ScaleCluster.Replica r : cluster.replicas) {
            assertEquals(404, r.get("/api/v1/rules/pending").statusCode(), r.name);
        }
        versions.add(candidate);
        assertEquals(new HashSet<>(versions), storedVersions());
        assertEquals(List.of("APPROVAL", "APPROVAL", "APPROVAL"), activations(candidate, "activation_trigger"));
        assertEquals(List.of("clinician-b", "clinician-b", "clinician-b"), activations(candidate, "approved_by"));
        assertEquals(3, new HashSet<>(activations(candidate, "instance")).size());
    }

    @Test
    @Order(3)
    void shouldLoseNoAnsweredDecisionWhenAReplicaIsKilled() throws Exception {
        String serving = versions.get(versions.size() - 1);
        ScaleCluster.Replica victim = cluster.replicas.get(1);
        int clients = 8;
        long killedAt;
        long downAt;
        Duration down;
        long readyAt;
        String versionWhenReady;
        Duration backUp;
        ScaleLoad load = ScaleLoad.start(cluster, "scale-kill", clients, PACE);
        try {
            Thread.sleep(2_000);
            killedAt = System.nanoTime();
            victim.kill();
            down = cluster.awaitStatus(victim, "DOWN", Duration.ofSeconds(10));
            downAt = System.nanoTime();
            Thread.sleep(1_000);
            victim.start();
            // Ready only with the cluster's rules: the first ready answer must come with the version the others serve.
            org.awaitility.Awaitility.await("restarted replica ready").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(victim::ready);
            readyAt = System.nanoTime();
            versionWhenReady = victim.version();
            backUp = cluster.awaitStatus(victim, "UP", Duration.ofSeconds(10));
            long before = cluster.sent(victim);
            org.awaitility.Awaitility.await("restarted replica taking traffic").atMost(Duration.ofSeconds(10))
                    .until(() -> cluster.sent(victim) > before + 10);
        } finally {
            load.close();
        }
        List<ScaleLoad.Result> results = load.results();
        List<ScaleLoad.Result> failed = results.stream().filter(r -> !r.ok()).toList();
        System.out.printf("[scale] kill -9 under load: %d requests, %d failed (in flight on the killed replica), HAProxy"
                        + " marked it down %d ms after the kill; restarted, it was ready %d ms after its start with %s,"
                        + " and back in HAProxy %d ms later%n", results.size(), failed.size(), down.toMillis(),
                (readyAt - downAt) / 1_000_000 - 1_000, versionWhenReady, backUp.toMillis());
        assertEquals(serving, versionWhenReady);
        assertTrue(down.compareTo(ScaleCluster.CHECK_INTERVAL.multipliedBy(ScaleCluster.FALL + 1).plusSeconds(2)) <= 0,
                down::toString);
        // At most the requests in flight when it died (one per client), all sent before HAProxy took it out.
        assertTrue(failed.size() <= clients, failed::toString);
        assertEquals(List.of(), failed.stream().filter(r -> r.sentNanos() > downAt).toList());
        assertEquals(List.of(), failed.stream().filter(r -> r.sentNanos() < killedAt - 20_000_000_000L).toList());

        // Each failed request, retried with its key, gets one decision: the one recorded before the kill, or a new one.
        Set<String> answered = results.stream().filter(ScaleLoad.Result::ok).map(ScaleLoad.Result::decisionId)
                .collect(Collectors.toCollection(HashSet::new));
        for (ScaleLoad.Result f : failed) {
            ScaleLoad.Result again = load.retry(f);
            assertEquals(200, again.status(), again.error());
            answered.add(again.decisionId());
            assertEquals(again.decisionId(), load.retry(f).decisionId());
        }
        assertEquals(answered, decisionsOf("scale-kill"));
        assertEquals(answered.size(), count("SELECT count(*) FROM decision_idempotency WHERE client_subject = ?", "scale-kill"));
    }

    @Test
    @Order(4)
    void shouldDrainAReplicaStoppedWithSigtermWithoutAFailedRequest() throws Exception {
        ScaleCluster.Replica leaving = cluster.replicas.get(2);
        Duration down;
        Duration exited;
        ScaleLoad load = ScaleLoad.start(cluster, "scale-drain", 8, PACE);
        try {
            Thread.sleep(2_000);
            long stopped = System.nanoTime();
            leaving.terminate();
            down = cluster.awaitStatus(leaving, "DOWN", Duration.ofSeconds(10));
            leaving.awaitExit(Duration.ofSeconds(30));
            exited = Duration.ofNanos(System.nanoTime() - stopped);
            Thread.sleep(1_000);
            leaving.start();
            leaving.awaitReady(Duration.ofSeconds(180));
            cluster.awaitStatus(leaving, "UP", Duration.ofSeconds(10));
        } finally {
            load.close();
        }
        List<ScaleLoad.Result> results = load.results();
        System.out.printf("[scale] SIGTERM under load: %d requests, %d failed; HAProxy took the replica out %d ms after the"
                        + " signal, the process ended %d ms after the signal%n", results.size(),
                results.stream().filter(r -> !r.ok()).count(), down.toMillis(), exited.toMillis());
        // Readiness went DOWN at the signal and the replica kept answering through quarkus.shutdown.delay: HAProxy
        // stopped sending before it stopped answering, so nobody saw an error.
        assertEquals(List.of(), results.stream().filter(r -> !r.ok()).toList());
        assertTrue(down.compareTo(exited) < 0, () -> down + " " + exited);
        Set<String> answered = results.stream().map(ScaleLoad.Result::decisionId).collect(Collectors.toSet());
        assertEquals(answered, decisionsOf("scale-drain"));
    }

    @Test
    @Order(5)
    void shouldRecordExactlyTwentyThousandDecisionsFromSixtyFourClients() throws Exception {
        long start = System.nanoTime();
        ScaleLoad load = ScaleLoad.start(cluster, "scale-volume", 64, 20_000, Duration.ZERO);
        load.awaitDone(Duration.ofMinutes(5));
        long millis = (System.nanoTime() - start) / 1_000_000;
        List<ScaleLoad.Result> results = load.results();
        assertEquals(20_000, results.size());
        assertEquals(List.of(), results.stream().filter(r -> !r.ok()).limit(5).toList());
        Set<String> ids = results.stream().map(ScaleLoad.Result::decisionId).collect(Collectors.toSet());
        assertEquals(20_000, ids.size());
        Map<String, Long> perReplica = results.stream().collect(Collectors.groupingBy(ScaleLoad.Result::replica,
                java.util.TreeMap::new, Collectors.counting()));
        System.out.printf("[scale] 20,000 decisions from 64 clients in %d ms (%d/s) through HAProxy, per replica %s%n",
                millis, 20_000L * 1000 / millis, perReplica);
        assertEquals(ids, decisionsOf("scale-volume"));
        assertEquals(20_000, count("SELECT count(*) FROM decision WHERE client_subject = ?", "scale-volume"));

        // Each one retrievable through the API, from whichever replica HAProxy picks.
        long lookups = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auditor = "Bearer " + TestTokens.valid(Roles.AUDITOR);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> found = new ArrayList<>();
            for (String id : ids) {
                found.add(pool.submit(() -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(cluster.balancer("/api/v1/decisions/" + id))
                            .header("Authorization", auditor).build(), HttpResponse.BodyHandlers.ofString());
                    return r.statusCode() == 200 ? JSON.readTree(r.body()).path("decisionId").asText() : r.statusCode() + " " + r.body();
                }));
            }
            Set<String> retrieved = new HashSet<>();
            for (Future<String> f : found) {
                retrieved.add(f.get());
            }
            assertEquals(ids, retrieved);
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("[scale] each of the 20,000 read back through the API in %d ms%n", (System.nanoTime() - lookups) / 1_000_000);
    }

    /**
     * Upper bound of the time two replicas answered with different versions: from the first answer
     * with the new version being sent to the last answer with the old one arriving.
     */
    static Duration mixedWindow(List<ScaleLoad.Result> results, String before, String after) {
        long firstNew = results.stream().filter(r -> after.equals(r.version())).mapToLong(ScaleLoad.Result::sentNanos)
                .min().orElseThrow(() -> new AssertionError("no answer with " + after));
        long lastOld = results.stream().filter(r -> before.equals(r.version())).mapToLong(ScaleLoad.Result::answeredNanos)
                .max().orElse(firstNew);
        return Duration.ofNanos(Math.max(0, lastOld - firstNew));
    }

    private static Set<String> storedVersions() throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = cluster.store(); ResultSet rs = c.createStatement().executeQuery("SELECT version FROM ruleset")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** One column of the version's activations, sorted (nulls first). */
    private static List<String> activations(String version, String column) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = cluster.store();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM ruleset_activation WHERE version = ?")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        out.sort(java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder()));
        return out;
    }

    private static Set<String> decisionsOf(String subject) throws Exception {
        Set<String> out = new HashSet<>();
        try (Connection c = cluster.store();
             PreparedStatement ps = c.prepareStatement("SELECT decision_id FROM decision WHERE client_subject = ?")) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertTrue(out.add(rs.getString(1)), "duplicate decision id " + rs.getString(1));
                }
            }
        }
        return out;
    }

    private static long count(String sql, String subject) throws Exception {
        try (Connection c = cluster.store(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, subject);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
