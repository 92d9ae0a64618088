package org.massagetriage.feedback;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asRulesAdmin;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.massagetriage.audit.AuditTrail;
import org.massagetriage.audit.CardFeedbackArchive;
import org.massagetriage.audit.CardFeedbackRecord;
import org.massagetriage.audit.DecisionRecord;
import org.massagetriage.audit.StoreUnavailableException;
import org.massagetriage.feedback.CardFeedbackRefusedException.Violation;
import org.massagetriage.security.Roles;
import org.massagetriage.security.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * CDS clients' feedback on their cards, run against each store (H2 and PostgreSQL subclasses): the
 * store keeps every item as sent, all of a request or none; the service refuses what a client may
 * not say, about a card it was not given above all, and counts overrides per rule in the metrics
 * and, durably, in the rules view; the audit view shows each decision's feedback.
 * <p>
 * Decisions are made through {@code POST /api/v1/triage} with a token of a client name chosen per
 * test, so that each test owns its cards; counts shared across the tests of a run (metrics, the
 * store's aggregate) are compared before and after, for every rule, exactly.
 */
abstract class CardFeedbackContract {

    /** Fires exactly these rules (pinned by the audit contract as well). */
    static final String ANXIETY = "{\"painSeverity\": 4, \"symptoms\": [\"ANXIETY_OR_DISTRESS\"], \"bodyRegion\": \"NECK\"}";
    static final List<String> ANXIETY_RULES = List.of("CT-04", "ADV-02", "ADV-05", "MF-02", "MF-03");
    static final String FAINTING = "{\"symptoms\": [\"FAINTING\"]}";
    static final List<String> FAINTING_RULES = List.of("RF-02", "ADV-04");

    static final String WHEN = "2026-11-27T10:15:00Z";
    static final Coding ALREADY_ASSESSED = new Coding("already-assessed", OverrideReasons.SYSTEM, "Already assessed by a clinician");
    static final Coding PATIENT_DECLINED = new Coding("patient-declined", OverrideReasons.SYSTEM, "Patient declined");
    static final Coding NOT_APPLICABLE = new Coding("not-applicable", OverrideReasons.SYSTEM, "Not applicable to this patient");
    static final Coding OTHER = new Coding("other", OverrideReasons.SYSTEM, "Other reason");

    private static final AtomicInteger CLIENTS = new AtomicInteger();

    @Inject
    CardFeedbackService service;

    @Inject
    CardFeedbackArchive archive;

    @Inject
    AuditTrail audit;

    /** A CDS client name no other test uses. */
    static String newClient() {
        return "ehr-" + CLIENTS.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A decision made for {@code client} (its token subject), as a CDS call will record one. */
    static String decide(String client, String body) {
        return TestTokens.as(client, Roles.TRIAGE_CLIENT).contentType(ContentType.JSON).body(body).post("/api/v1/triage")
                .then().statusCode(200).extract().path("decisionId");
    }

    static CardFeedback accepted(String card) {
        return new CardFeedback(card, "accepted", null, null, null, WHEN);
    }

    static CardFeedback overridden(String card, Coding reason, String comment) {
        return overridden(card, reason, comment, WHEN);
    }

    static CardFeedback overridden(String card, Coding reason, String comment, String when) {
        return new CardFeedback(card, "overridden", null, reason, comment, when);
    }

    static UUID id(String card) {
        return UUID.fromString(card);
    }

    @Test
    void shouldPinTheFiredRulesTheseTestsCountOn() {
        String client = newClient();
        assertEquals(ANXIETY_RULES, audit.find(id(decide(client, ANXIETY))).orElseThrow().firedRules());
        assertEquals(FAINTING_RULES, audit.find(id(decide(client, FAINTING))).orElseThrow().firedRules());
    }

    @Test
    void shouldOfferExactlyFourReasonsInOneSystem() {
        assertEquals(List.of(ALREADY_ASSESSED, PATIENT_DECLINED, NOT_APPLICABLE, OTHER), OverrideReasons.OFFERED);
        assertEquals("urn:massage-triage:cds-override-reason", OverrideReasons.SYSTEM);
    }

    @Test
    void shouldStoreAnAcceptedItemAsSent() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        service.record(client, TestTokens.ISSUER, List.of(new CardFeedback(card.toUpperCase(), "accepted", List.of(), null, null,
                "2026-11-27T11:15:00.123456+01:00")));
        Instant after = Instant.now();

        List<CardFeedbackRecord> stored = service.feedbackOf(id(card));
        assertEquals(1, stored.size());
        CardFeedbackRecord f = stored.get(0);
        assertReceivedBetween(before, after, f);
        assertEquals(new CardFeedbackRecord(id(card), "accepted", null, null, null, null,
                Instant.parse("2026-11-27T10:15:00.123456Z"), f.receivedAt(), client), f);
    }

    @Test
    void shouldStoreAnOverriddenItemWithEachOfferedReason() {
        String client = newClient();
        List<String> cards = new ArrayList<>();
        List<Coding> reasons = List.of(ALREADY_ASSESSED, PATIENT_DECLINED, NOT_APPLICABLE, OTHER);
        List<CardFeedback> items = new ArrayList<>();
        for (int i = 0; i < reasons.size(); i++) {
            cards.add(decide(client, ANXIETY));
            // The display as the client sent it, also none.
            Coding sent = i == 1 ? new Coding(reasons.get(i).code(), OverrideReasons.SYSTEM, null) : reasons.get(i);
            items.add(overridden(cards.get(i), sent, i == 3 ? "Seen by the GP this morning" : null));
        }
        service.record(client, TestTokens.ISSUER, items);

        for (int i = 0; i < reasons.size(); i++) {
            List<CardFeedbackRecord> stored = service.feedbackOf(id(cards.get(i)));
            assertEquals(1, stored.size());
            CardFeedbackRecord f = stored.get(0);
            assertEquals(new CardFeedbackRecord(id(cards.get(i)), "overridden", reasons.get(i).code(), OverrideReasons.SYSTEM,
                    i == 1 ? null : reasons.get(i).display(), i == 3 ? "Seen by the GP this morning" : null,
                    Instant.parse(WHEN), f.receivedAt(), client), f);
        }
    }

    @Test
    void shouldKeepEveryItemForOneCardInTheOrderReceived() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        service.record(client, TestTokens.ISSUER, List.of(accepted(card)));
        service.record(client, TestTokens.ISSUER, List.of(overridden(card, OTHER, "first"), overridden(card, NOT_APPLICABLE, "second")));
        service.record(client, TestTokens.ISSUER, List.of(accepted(card)));

        List<CardFeedbackRecord> stored = service.feedbackOf(id(card));
        assertEquals(List.of("accepted/null/null", "overridden/other/first", "overridden/not-applicable/second",
                        "accepted/null/null"),
                stored.stream().map(f -> f.outcome() + "/" + f.overrideCode() + "/" + f.userComment()).toList());
    }

    // ---- refused: nothing of the request is stored ----

    /** A card of another client and a uuid that is no card are refused in the same words: neither tells which. */
    @Test
    void shouldRefuseAnotherClientsCardExactlyAsAnUnknownOne() {
        String owner = newClient();
        String other = newClient();
        String card = decide(owner, ANXIETY);
        String unknown = UUID.randomUUID().toString();

        UnknownCardException foreign = assertThrows(UnknownCardException.class,
                () -> service.record(other, TestTokens.ISSUER, List.of(overridden(card, OTHER, null))));
        assertEquals(List.of(new Violation("feedback[0].card", "no card " + card + " was given to this client")),
                foreign.violations());
        UnknownCardException missing = assertThrows(UnknownCardException.class,
                () -> service.record(other, TestTokens.ISSUER, List.of(overridden(unknown, OTHER, null))));
        assertEquals(List.of(new Violation("feedback[0].card", "no card " + unknown + " was given to this client")),
                missing.violations());
        assertEquals(List.of(), service.feedbackOf(id(card)));
    }

    /** All or nothing: one foreign card among valid ones keeps every item of the request out. */
    @Test
    void shouldStoreNothingWhenOneCardOfTheRequestIsNotTheClients() {
        String client = newClient();
        String mine = decide(client, ANXIETY);
        String theirs = decide(newClient(), ANXIETY);
        String unknown = UUID.randomUUID().toString();
        Map<String, Long> before = service.overridesByRule().orElseThrow();

        UnknownCardException e = assertThrows(UnknownCardException.class, () -> service.record(client, TestTokens.ISSUER,
                List.of(overridden(mine, OTHER, null), accepted(theirs), accepted(mine), overridden(unknown, OTHER, null))));
        assertEquals(List.of(new Violation("feedback[1].card", "no card " + theirs + " was given to this client"),
                new Violation("feedback[3].card", "no card " + unknown + " was given to this client")), e.violations());
        assertEquals(List.of(), service.feedbackOf(id(mine)));
        assertEquals(List.of(), service.feedbackOf(id(theirs)));
        assertEquals(before, service.overridesByRule().orElseThrow());
    }

    /** Same name, another issuer (a v1 token's subject equal to a CDS client's name): not this client's card. */
    @Test
    void shouldRefuseACardOfTheSameNameFromAnotherIssuer() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        UnknownCardException e = assertThrows(UnknownCardException.class,
                () -> service.record(client, "https://ehr.other-issuer.example", List.of(accepted(card))));
        assertEquals(List.of(new Violation("feedback[0].card", "no card " + card + " was given to this client")), e.violations());
        assertEquals(List.of(), service.feedbackOf(id(card)));
    }

    /** CDS Hooks 2.0: a card dismissed without a reason, or with only a comment, is an override like any other. */
    @Test
    void shouldKeepAnOverrideWithoutAReason() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        service.record(client, TestTokens.ISSUER, List.of(overridden(card, null, "only a comment"), overridden(card, null, null)));
        List<CardFeedbackRecord> kept = service.feedbackOf(id(card));
        assertEquals(2, kept.size());
        assertEquals(List.of("overridden", "overridden"), kept.stream().map(CardFeedbackRecord::outcome).toList());
        assertEquals(java.util.Arrays.asList(null, null), kept.stream().map(CardFeedbackRecord::overrideCode).toList());
        assertEquals(java.util.Arrays.asList("only a comment", null), kept.stream().map(CardFeedbackRecord::userComment).toList());
    }

    @Test
    void shouldRefuseAnAcceptedItemWithAReasonOrAComment() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        InvalidFeedbackException e = assertThrows(InvalidFeedbackException.class, () -> service.record(client, TestTokens.ISSUER, List.of(
                new CardFeedback(card, "accepted", null, OTHER, null, WHEN),
                new CardFeedback(card, "accepted", null, null, "a comment", WHEN))));
        assertEquals(List.of(
                new Violation("feedback[0].overrideReason", "an accepted card takes no override reason or comment"),
                new Violation("feedback[1].overrideReason", "an accepted card takes no override reason or comment")),
                e.violations());
        assertEquals(List.of(), service.feedbackOf(id(card)));
    }

    @Test
    void shouldRefuseATimestampThatIsNotAnIsoInstant() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        List<String> bad = Arrays.asList(null, "", "yesterday", "2026-11-27", "2026-11-27T10:15:00", "2026-11-27 10:15:00Z",
                "2026-13-01T10:15:00Z", "1969-12-31T23:59:59Z", "+100000-01-01T00:00:00Z", "1764238500");
        List<CardFeedback> items = bad.stream().map(t -> new CardFeedback(card, "accepted", null, null, null, t)).toList();
        InvalidFeedbackException e = assertThrows(InvalidFeedbackException.class, () -> service.record(client, TestTokens.ISSUER, items));
        List<Violation> expected = new ArrayList<>();
        for (int i = 0; i < bad.size(); i++) {
            expected.add(new Violation("feedback[" + i + "].outcomeTimestamp",
                    "must be an ISO-8601 date and time with an offset, such as 2026-11-27T10:15:00Z"));
        }
        assertEquals(expected, e.violations());
        assertEquals(List.of(), service.feedbackOf(id(card)));
    }

    /** Every problem of a request is named at once, and the valid items among them are not stored. */
    @Test
    void shouldNameEveryProblemOfARequestAndStoreNone() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        InvalidFeedbackException e = assertThrows(InvalidFeedbackException.class, () -> service.record(client, TestTokens.ISSUER, Arrays.asList(
                accepted(card),
                new CardFeedback("1-1-1-1-1", "dismissed", List.of("5c2d9f3e-0000-4000-8000-000000000001"), null, null, WHEN),
                overridden(card, new Coding("too-busy", OverrideReasons.SYSTEM, null), null),
                overridden(card, new Coding("other", "https://ehr.example/reasons", "x".repeat(256)), "y".repeat(2_001)),
                new CardFeedback(null, "Overridden", null, null, null, WHEN),
                null)));
        assertEquals(List.of(
                new Violation("feedback[1].card", "must be the uuid of a card this service returned"),
                new Violation("feedback[1].outcome", "must be accepted or overridden"),
                new Violation("feedback[1].acceptedSuggestions", "must be empty: this service's cards carry no suggestions"),
                new Violation("feedback[2].overrideReason.reason.code",
                        "must be one of the offered reasons: already-assessed, patient-declined, not-applicable, other"),
                new Violation("feedback[3].overrideReason.reason.system", "must be " + OverrideReasons.SYSTEM),
                new Violation("feedback[3].overrideReason.reason.display", "must be at most 255 characters"),
                new Violation("feedback[3].overrideReason.userComment", "must be at most 2000 characters"),
                new Violation("feedback[4].card", "must be the uuid of a card this service returned"),
                new Violation("feedback[4].outcome", "must be accepted or overridden"),
                new Violation("feedback[5]", "must be a feedback item")), e.violations());
        assertEquals(List.of(), service.feedbackOf(id(card)));

        InvalidFeedbackException empty = assertThrows(InvalidFeedbackException.class, () -> service.record(client, TestTokens.ISSUER, List.of()));
        assertEquals(List.of(new Violation("feedback", "must hold at least one feedback item")), empty.violations());
    }

    /** The store's own all-or-nothing: a write that fails on its last item leaves none of the earlier ones. */
    @Test
    void shouldRollBackTheWholeWriteWhenTheStoreRefusesOneItem() {
        String client = newClient();
        String card = decide(client, ANXIETY);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, Long> before = archive.overridesByRule();
        List<CardFeedbackArchive.Write> writes = List.of(
                new CardFeedbackArchive.Write(new CardFeedbackRecord(id(card), "overridden", "other", OverrideReasons.SYSTEM,
                        null, null, now, now, client), Set.copyOf(ANXIETY_RULES)),
                // No such decision: the foreign key refuses it.
                new CardFeedbackArchive.Write(new CardFeedbackRecord(UUID.randomUUID(), "accepted", null, null, null, null,
                        now, now, client), Set.of()));
        assertThrows(StoreUnavailableException.class, () -> archive.recordAll(writes));
        assertEquals(Map.of(), archive.feedbackOf(List.of(id(card))));
        assertEquals(before, archive.overridesByRule());
    }

    @Test
    void shouldFindOnlyTheClientsOwnDecisionsWithTheirFiredRules() {
        String client = newClient();
        String anxiety = decide(client, ANXIETY);
        String fainting = decide(client, FAINTING);
        String theirs = decide(newClient(), ANXIETY);
        assertEquals(Map.of(id(anxiety), ANXIETY_RULES, id(fainting), FAINTING_RULES), archive.firedRulesOfDecisions(client, TestTokens.ISSUER,
                Set.of(id(anxiety), id(fainting), id(theirs), UUID.randomUUID())));
    }

    /** Retention deletes a decision with its feedback, and the durable count goes down with it. */
    @Test
    void shouldDeleteFeedbackWithItsDecision() {
        String client = newClient();
        Instant old = Instant.now().minus(Duration.ofDays(400)).truncatedTo(ChronoUnit.MILLIS);
        DecisionRecord record = new DecisionRecord(UUID.randomUUID(), old, "sha256:test", "{}", "CONTACT_THERAPIST", 1,
                List.of("HYDRATE"), List.of("CT-04", "MF-02"), List.of("symptoms"), client, TestTokens.ISSUER, 42);
        audit.record(record).join();
        Map<String, Long> before = service.overridesByRule().orElseThrow();
        service.record(client, TestTokens.ISSUER, List.of(overridden(record.decisionId().toString(), PATIENT_DECLINED, null)));
        assertEquals(plus(before, Map.of("CT-04", 1L, "MF-02", 1L)), service.overridesByRule().orElseThrow());

        assertTrue(audit.deleteExpired(Instant.now()) >= 1);
        assertFalse(audit.find(record.decisionId()).isPresent());
        assertEquals(List.of(), service.feedbackOf(record.decisionId()));
        assertEquals(before, service.overridesByRule().orElseThrow());
    }

    // ---- counted per rule: metrics since start, the rules view from the store ----

    /** Each overridden item counts once for every rule of its decision; accepted and refused items count nothing. */
    @Test
    void shouldCountEachOverriddenItemOncePerFiredRuleInTheMetrics() {
        String client = newClient();
        String anxiety = decide(client, ANXIETY);
        String fainting = decide(client, FAINTING);
        Map<String, Double> before = overrideMetrics();
        service.record(client, TestTokens.ISSUER, List.of(overridden(anxiety, OTHER, null), overridden(fainting, PATIENT_DECLINED, null),
                overridden(anxiety, NOT_APPLICABLE, null), accepted(fainting)));
        assertThrows(InvalidFeedbackException.class,
                () -> service.record(client, TestTokens.ISSUER, List.of(overridden(fainting, OTHER, null), overridden(fainting, OTHER, null,
                        "not a date"))));
        Map<String, Double> after = overrideMetrics();

        Map<String, Double> moved = new HashMap<>();
        after.forEach((k, v) -> {
            double delta = v - before.getOrDefault(k, 0.0);
            if (delta != 0) {
                moved.put(k, delta);
            }
        });
        assertEquals(Map.of(
                "triage_card_overrides_total{rule=\"CT-04\"}", 2.0,
                "triage_card_overrides_total{rule=\"ADV-02\"}", 2.0,
                "triage_card_overrides_total{rule=\"ADV-05\"}", 2.0,
                "triage_card_overrides_total{rule=\"MF-02\"}", 2.0,
                "triage_card_overrides_total{rule=\"MF-03\"}", 2.0,
                "triage_card_overrides_total{rule=\"RF-02\"}", 1.0,
                "triage_card_overrides_total{rule=\"ADV-04\"}", 1.0), moved);
    }

    /** {@code overriddenByClinicians}: every rule of the set, from the store, moved by exactly the overrides stored. */
    @Test
    void shouldShowOverridesPerRuleInTheRulesView() {
        String client = newClient();
        String anxiety = decide(client, ANXIETY);
        String fainting = decide(client, FAINTING);
        Map<String, Integer> before = overriddenByClinicians();
        service.record(client, TestTokens.ISSUER, List.of(overridden(anxiety, ALREADY_ASSESSED, null), overridden(fainting, OTHER, "x"),
                overridden(fainting, OTHER, "again"), accepted(anxiety)));
        Map<String, Integer> after = overriddenByClinicians();

        JsonPath rules = asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().jsonPath();
        assertEquals(rules.getMap("firedSinceStart").keySet(), after.keySet(), "every rule of the set, 0 included");
        Map<String, Integer> expected = new LinkedHashMap<>(before);
        Map.of("CT-04", 1, "ADV-02", 1, "ADV-05", 1, "MF-02", 1, "MF-03", 1, "RF-02", 2, "ADV-04", 2)
                .forEach((rule, n) -> expected.merge(rule, n, Integer::sum));
        assertEquals(expected, after);
    }

    // ---- the audit view ----

    @Test
    void shouldShowTheDecisionsFeedbackInTheOrderReceived() {
        String client = newClient();
        String card = decide(client, FAINTING);
        String quiet = decide(client, ANXIETY);
        asAuditor().get("/api/v1/decisions/" + quiet).then().statusCode(200)
                .body("feedback", org.hamcrest.Matchers.equalTo(List.of()));

        service.record(client, TestTokens.ISSUER, List.of(accepted(card)));
        service.record(client, TestTokens.ISSUER, List.of(new CardFeedback(card, "overridden", null,
                new Coding("patient-declined", OverrideReasons.SYSTEM, "Declined (EHR's words)"), "Patient wants to wait",
                "2026-11-27T12:00:00.5+01:00")));
        List<CardFeedbackRecord> stored = service.feedbackOf(id(card));

        JsonPath view = asAuditor().get("/api/v1/decisions/" + card).then().statusCode(200).extract().jsonPath();
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("outcome", "accepted");
        first.put("overrideReason", null);
        first.put("userComment", null);
        first.put("outcomeTimestamp", "2026-11-27T10:15:00Z");
        first.put("receivedAt", stored.get(0).receivedAt().toString());
        first.put("client", client);
        Map<String, Object> second = new LinkedHashMap<>();
        second.put("outcome", "overridden");
        second.put("overrideReason", Map.of("code", "patient-declined", "system", OverrideReasons.SYSTEM,
                "display", "Declined (EHR's words)"));
        second.put("userComment", "Patient wants to wait");
        second.put("outcomeTimestamp", "2026-11-27T11:00:00.500Z");
        second.put("receivedAt", stored.get(1).receivedAt().toString());
        second.put("client", client);
        assertEquals(List.of(first, second), view.getList("feedback"));
        // The fields that were there before stay as they were.
        assertEquals(List.of("decisionId", "evaluatedAt", "rulesetVersion", "request", "outcome", "urgency", "advice",
                "firedRules", "missingFacts", "client", "latencyMicros", "links", "feedback"),
                List.copyOf(view.getMap("").keySet()));
        assertEquals(FAINTING_RULES, view.getList("firedRules"));
        assertEquals(client, view.getString("client.subject"));

        // A page of decisions shows each one's feedback too (one query for the page).
        JsonPath page = asAuditor().queryParam("from", audit.find(id(card)).orElseThrow().evaluatedAt().toString())
                .queryParam("limit", 500).get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> items = page.getList("items");
        Map<String, Object> listed = items.stream().filter(i -> card.equals(i.get("decisionId"))).findFirst().orElseThrow();
        Map<String, Object> listedQuiet = items.stream().filter(i -> quiet.equals(i.get("decisionId"))).findFirst().orElseThrow();
        assertEquals(List.of(first, second), listed.get("feedback"));
        assertEquals(List.of(), listedQuiet.get("feedback"));
    }

    private static void assertReceivedBetween(Instant before, Instant after, CardFeedbackRecord f) {
        assertFalse(f.receivedAt().isBefore(before), () -> f.receivedAt() + " before " + before);
        assertFalse(f.receivedAt().isAfter(after), () -> f.receivedAt() + " after " + after);
    }

    private static Map<String, Long> plus(Map<String, Long> base, Map<String, Long> add) {
        Map<String, Long> out = new HashMap<>(base);
        add.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    private static Map<String, Integer> overriddenByClinicians() {
        return asRulesAdmin().get("/api/v1/rules").then().statusCode(200).extract().jsonPath()
                .getMap("overriddenByClinicians", String.class, Integer.class);
    }

    private static final Pattern SAMPLE = Pattern.compile("^(triage_card_overrides_total\\{[^}]*\\})\\s+(\\S+)$");

    /** Every {@code triage_card_overrides_total} sample at /q/metrics, as Prometheus reads them. */
    private static Map<String, Double> overrideMetrics() {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> out = new HashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = SAMPLE.matcher(line.strip());
            if (m.matches()) {
                out.put(m.group(1), Double.parseDouble(m.group(2)));
            }
        }
        return out;
    }
}
