package org.massagetriage.cdshooks;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.massagetriage.security.TestTokens.asAuditor;
import static org.massagetriage.security.TestTokens.asClient;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The CDS Hooks front door against the running app, called as an EHR would: a simulated CDS client
 * that signs each call with its own key ({@link CdsClientProfile}), prefetched check-ins, check-ins
 * fetched from a local FHIR stub, no check-in on file, and the spec's constraints on the answer.
 */
@QuarkusTest
@TestProfile(CdsClientProfile.class)
class CdsHooksTests {

    static final String SERVICE = "/cds-services/post-massage-soreness-triage";
    static final String CANONICAL = "urn:massage-triage:Questionnaire:post-massage-check-in";
    static final String CODES = "urn:massage-triage:CodeSystem:post-massage-check-in";

    /** A CDS client's JWT for this service's endpoint, as CDS Hooks 2.0 describes it. */
    static String token(String audience, Instant expires, String jti) {
        try {
            JwtClaims claims = new JwtClaims();
            claims.setIssuer(CdsClientProfile.ISSUER);
            claims.setSubject("client-app");
            claims.setAudience(audience);
            claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
            claims.setIssuedAt(NumericDate.now());
            claims.setJwtId(jti);
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(claims.toJson());
            jws.setKey(CdsClientProfile.KEYS.getPrivate());
            jws.setKeyIdHeaderValue("test-ehr-1");
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384);
            jws.setHeader("typ", "JWT");
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String serviceUrl() {
        return RestAssured.baseURI + ":" + RestAssured.port + SERVICE;
    }

    static String validToken() {
        return token(serviceUrl(), Instant.now().plus(4, ChronoUnit.MINUTES), UUID.randomUUID().toString());
    }

    static Response call(String body) {
        return given().header("Authorization", "Bearer " + validToken()).contentType(ContentType.JSON).body(body).post(SERVICE);
    }

    static String item(String linkId, String answer) {
        return "{\"linkId\": \"" + linkId + "\", \"answer\": [" + answer + "]}";
    }

    static String integer(int v) {
        return "{\"valueInteger\": " + v + "}";
    }

    static String code(String c) {
        return "{\"valueCoding\": {\"system\": \"" + CODES + "\", \"code\": \"" + c + "\"}}";
    }

    static String checkIn(String patient, Instant authored, String... items) {
        return "{\"resourceType\": \"QuestionnaireResponse\", \"status\": \"completed\", \"questionnaire\": \"" + CANONICAL + "\","
                + " \"subject\": {\"reference\": \"Patient/" + patient + "\"}, \"authored\": \"" + authored + "\","
                + " \"item\": [" + String.join(", ", items) + "]}";
    }

    static String bundle(String... resources) {
        StringBuilder entries = new StringBuilder();
        for (String r : resources) {
            entries.append(entries.isEmpty() ? "" : ", ").append("{\"resource\": ").append(r).append('}');
        }
        return "{\"resourceType\": \"Bundle\", \"type\": \"searchset\", \"entry\": [" + entries + "]}";
    }

    static String hook(String hookInstance, String patient, String prefetchCheckIn, String more) {
        return "{\"hook\": \"appointment-book\", \"hookInstance\": \"" + hookInstance + "\","
                + " \"context\": {\"userId\": \"PractitionerRole/desk-1\", \"patientId\": \"" + patient + "\","
                + " \"appointments\": {\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": []}}"
                + (prefetchCheckIn == null ? "" : ", \"prefetch\": {\"checkIn\": " + prefetchCheckIn + "}")
                + (more == null ? "" : ", " + more) + "}";
    }

    static final Instant STARTED = Instant.now().minusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
    static final Instant RECENT = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    static final String[] SELF_CARE = {item("hoursSinceMassage", integer(24)), item("painCharacter", code("DULL_ACHE")),
            item("painSeverity", integer(3)), item("trend", code("IMPROVING")), item("symptoms", code("NONE_OF_THESE")),
            item("bodyRegion", code("LOWER_BACK"))};
    static final String[] CONTACT_THERAPIST = {item("hoursSinceMassage", integer(100)), item("painCharacter", code("DULL_ACHE")),
            item("painSeverity", integer(3)), item("trend", code("UNCHANGED")), item("symptoms", code("NONE_OF_THESE")),
            item("bodyRegion", code("LOWER_BACK"))};
    static final String[] URGENT = {item("painCharacter", code("SHARP"))};
    static final String[] EMERGENCY = {item("symptoms", code("FAINTING"))};

    static final Map<String, String> SUMMARIES = Map.of(
            "SELF_CARE", "Post-massage check-in: sounds like normal soreness after a massage; self-care advised",
            "CONTACT_THERAPIST", "Post-massage check-in: the patient should talk to their therapist or a health professional within a day",
            "URGENT_ASSESSMENT", "Post-massage check-in: get seen today (GP, NHS 111 or urgent treatment centre) before further massage",
            "EMERGENCY", "Post-massage check-in: emergency signs reported; the patient needs 999 or A&E now");

    @Test
    void shouldDescribeTheServiceOpenly() {
        JsonPath discovery = given().get("/cds-services").then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
        assertEquals(List.of(Map.of(
                "hook", "appointment-book",
                "id", "post-massage-soreness-triage",
                "title", "Post-massage soreness triage",
                "description", "When a patient's next massage is booked, decides on their latest post-massage check-in (the FHIR"
                        + " Questionnaire urn:massage-triage:Questionnaire:post-massage-check-in) whether to book, to have the"
                        + " therapist call first, or to send the patient elsewhere, with the reasons and the clinical sources"
                        + " behind them.",
                "prefetch", Map.of("checkIn", "QuestionnaireResponse?questionnaire=urn:massage-triage:Questionnaire:post-massage-check-in"
                        + "&subject={{context.patientId}}&status=completed&_sort=-authored&_count=1"),
                "usageRequirements", "Sign each call with a JWT from a key this service trusts (triage.cds.clients). Without the"
                        + " prefetch, give fhirServer and fhirAuthorization so the check-in can be fetched.")),
                discovery.getList("services"));
    }

    /** One card per outcome, each field as the spec and the issue say; its uuid is the recorded decision. */
    @Test
    void shouldAnswerOneCardPerOutcomeFromThePrefetchedCheckIn() {
        Map<String, String[]> cases = Map.of("SELF_CARE", SELF_CARE, "CONTACT_THERAPIST", CONTACT_THERAPIST,
                "URGENT_ASSESSMENT", URGENT, "EMERGENCY", EMERGENCY);
        Map<String, String> indicators = Map.of("SELF_CARE", "info", "CONTACT_THERAPIST", "warning",
                "URGENT_ASSESSMENT", "critical", "EMERGENCY", "critical");
        cases.forEach((outcome, items) -> {
            Response answer = call(hook(UUID.randomUUID().toString(), "p-1", bundle(checkIn("p-1", RECENT, items)), null));
            assertEquals(200, answer.statusCode(), answer.asString());
            assertEquals("no-store", answer.header("Cache-Control"), "a card carries health information");
            List<Map<String, Object>> cards = answer.jsonPath().getList("cards");
            assertEquals(1, cards.size(), answer.asString());
            Map<String, Object> card = cards.get(0);
            assertEquals(Set.of("uuid", "summary", "detail", "indicator", "source", "overrideReasons", "links"), card.keySet());
            assertEquals(SUMMARIES.get(outcome), card.get("summary"));
            assertTrue(((String) card.get("summary")).length() < 140);
            assertEquals(indicators.get(outcome), card.get("indicator"), outcome);

            // The same check-in as the v1 API sees it: the card's decision is that decision, recorded.
            JsonPath recorded = asAuditor().get("/api/v1/decisions/" + card.get("uuid")).then().statusCode(200).extract().jsonPath();
            assertEquals(outcome, recorded.getString("outcome"));
            assertEquals(Map.of("subject", CdsClientProfile.CLIENT, "issuer", CdsClientProfile.ISSUER), recorded.getMap("client"));
            String version = recorded.getString("rulesetVersion");
            assertEquals(Map.of("label", "Post-massage soreness triage, rules " + version,
                    "url", RestAssured.baseURI + ":" + RestAssured.port + "/workbench/",
                    "topic", Map.of("system", "urn:massage-triage:cds-topic", "code", "post-massage-soreness",
                            "display", "Soreness after a massage")), card.get("source"));
            assertEquals(List.of(Map.of("label", "This decision in the triage workbench (auditor sign-in)",
                    "url", RestAssured.baseURI + ":" + RestAssured.port + "/workbench/#lookup=" + card.get("uuid"),
                    "type", "absolute")), card.get("links"));
            assertEquals(OVERRIDE_REASONS, card.get("overrideReasons"));
        });
    }

    static final List<Map<String, String>> OVERRIDE_REASONS = List.of(
            Map.of("system", "urn:massage-triage:cds-override-reason", "code", "already-assessed", "display", "Already assessed by a clinician"),
            Map.of("system", "urn:massage-triage:cds-override-reason", "code", "patient-declined", "display", "Patient declined"),
            Map.of("system", "urn:massage-triage:cds-override-reason", "code", "not-applicable", "display", "Not applicable to this patient"),
            Map.of("system", "urn:massage-triage:cds-override-reason", "code", "other", "display", "Other reason"));

    @Test
    void shouldWriteTheDetailAsMarkdownWithAdviceReasonsSourcesAndQuestions() {
        Response answer = call(hook(UUID.randomUUID().toString(), "p-2", checkIn("p-2", RECENT, URGENT), null));
        assertEquals(200, answer.statusCode(), answer.asString());
        String detail = answer.jsonPath().getString("cards[0].detail");
        String version = answer.jsonPath().getString("cards[0].source.label").replace("Post-massage soreness triage, rules ", "");
        String article = "One Body LDN (London), article on back soreness after massage";
        assertEquals("_Check-in answered " + java.time.format.DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'", java.util.Locale.UK)
                        .format(RECENT.atZone(java.time.ZoneOffset.UTC)) + ", 2 hours before this call._\n\n"
                + "**This may be a sign of an injury or an adverse reaction. Get it assessed by your therapist or a healthcare"
                + " provider today.**\n"
                + "\n**Advice for the patient**\n\n"
                + "- Get an assessment today from your therapist or a healthcare provider.\n"
                + "- Tell whoever assesses you about every symptom you have noticed, including changes in bowel or bladder function.\n"
                + "- Avoid strenuous activity for now to give your muscles time to recover.\n"
                + "\n**Why** (rules " + version + ")\n\n"
                + "- UA-01 Sharp pain -\\> urgent assessment. Source: \\[article\\] Normal vs Concerning Soreness: 'soreness that is"
                + " sharp, intensifies over time, or is accompanied by swelling, bruising, numbness, or weakness may indicate an adverse"
                + " reaction or injury. Such symptoms warrant immediate attention'; " + article + "\n"
                + "- ADV-03 Urgent-assessment advice. Source: \\[article\\] Normal vs Concerning Soreness: 'Such symptoms warrant"
                + " immediate attention from your therapist or healthcare provider'; FAQ: 'Keeping track of any additional symptoms ..."
                + " can be vital information for your healthcare provider'; " + article + "\n"
                + "- MF-01 Symptoms not asked -\\> ask about symptoms. Source: \\[article\\] FAQ, What should I do if my back pain"
                + " worsens after a massage?: 'Keeping track of any additional symptoms ... can be vital information for your healthcare"
                + " provider'; " + article + "\n"
                + "\n**Not answered: ask the patient**\n\n"
                + "- Symptoms besides soreness\n", detail);
    }

    static String fhirAccess(String token) {
        return "\"fhirServer\": \"" + CdsClientProfile.FHIR.base() + "\", \"fhirAuthorization\": {\"access_token\": \""
                + token + "\", \"token_type\": \"Bearer\", \"expires_in\": 300, \"scope\": \"patient/QuestionnaireResponse.read\","
                + " \"subject\": \"post-massage-soreness-triage\"}";
    }

    /** Not prefetched: fetched from the client's FHIR server with the client's token, and only there. */
    @Test
    void shouldFetchTheCheckInFromTheFhirServerWithTheGivenToken() {
        CdsClientProfile.FHIR.answer(200, bundle(checkIn("p-3", RECENT, EMERGENCY)), 0);
        Response answer = call(hook(UUID.randomUUID().toString(), "p-3", null, fhirAccess("fhir-token-3")));
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("critical", answer.jsonPath().getString("cards[0].indicator"));
        assertEquals(SUMMARIES.get("EMERGENCY"), answer.jsonPath().getString("cards[0].summary"));
        assertEquals(List.of(new FhirStub.Seen("/fhir/QuestionnaireResponse",
                        "questionnaire=urn:massage-triage:Questionnaire:post-massage-check-in&subject=p-3&status=completed,amended"
                                + "&_sort=-authored&_count=1", "Bearer fhir-token-3")),
                CdsClientProfile.FHIR.seen);
    }

    /** The client could not prefetch (null, as the spec allows) and gave a server: fetched there. */
    @Test
    void shouldFetchWhenThePrefetchIsNull() {
        CdsClientProfile.FHIR.answer(200, bundle(checkIn("p-4", RECENT, SELF_CARE)), 0);
        Response answer = call(hook(UUID.randomUUID().toString(), "p-4", "null", fhirAccess("t4")));
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("info", answer.jsonPath().getString("cards[0].indicator"));
        assertEquals(SUMMARIES.get("SELF_CARE"), answer.jsonPath().getString("cards[0].summary"));
        assertEquals(1, CdsClientProfile.FHIR.seen.size());
    }

    @Test
    void shouldSayThatNoCheckInIsOnFileAndDecideNothing() {
        long before = decisionsOf(CdsClientProfile.CLIENT);
        Response answer = call(hook(UUID.randomUUID().toString(), "p-5", bundle(), null));
        assertEquals(200, answer.statusCode(), answer.asString());
        Map<String, Object> card = answer.jsonPath().getMap("cards[0]");
        assertEquals(Set.of("uuid", "summary", "detail", "indicator", "source"), card.keySet());
        assertEquals("Post-massage check-in: no recent check-in on file", card.get("summary"));
        assertEquals("info", card.get("indicator"));
        assertEquals("No completed post-massage check-in is on file for this patient.\n\nAsk the patient how they feel"
                + " since their last massage before booking, or ask them to complete the post-massage check-in.", card.get("detail"));
        UUID.fromString((String) card.get("uuid"));
        assertEquals(before, decisionsOf(CdsClientProfile.CLIENT));
    }

    @Test
    void shouldNotDecideOnACheckInOlderThanTheWindow() {
        Instant old = Instant.parse("2026-01-02T10:00:00Z");
        Response answer = call(hook(UUID.randomUUID().toString(), "p-6", bundle(checkIn("p-6", old, URGENT)), null));
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("Post-massage check-in: no recent check-in on file", answer.jsonPath().getString("cards[0].summary"));
        assertEquals("The latest check-in is from 2 January 2026, more than 24 hours ago: it does not say how the patient"
                        + " feels now.\n\nAsk the patient how they feel since their last massage before booking, or ask them to"
                        + " complete the post-massage check-in.", answer.jsonPath().getString("cards[0].detail"));
    }

    /** The latest completed check-in counts, whatever order the Bundle lists them in. */
    @Test
    void shouldDecideOnTheLatestCompletedCheckIn() {
        String older = checkIn("p-7", RECENT.minus(1, ChronoUnit.HOURS), EMERGENCY);
        String latest = checkIn("p-7", RECENT, SELF_CARE);
        String inProgress = checkIn("p-7", RECENT.plus(1, ChronoUnit.HOURS), URGENT).replace("\"completed\"", "\"in-progress\"");
        Response answer = call(hook(UUID.randomUUID().toString(), "p-7", bundle(older, latest, inProgress), null));
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals(SUMMARIES.get("SELF_CARE"), answer.jsonPath().getString("cards[0].summary"));
    }

    /** A client that retries a call (a timeout on its side) gets the same card, and one decision is recorded. */
    @Test
    void shouldAnswerARetriedHookInstanceWithTheSameCard() {
        long before = decisionsOf(CdsClientProfile.CLIENT);
        String call = hook(UUID.randomUUID().toString(), "p-8", bundle(checkIn("p-8", RECENT, URGENT)), null);
        String first = call(call).then().statusCode(200).extract().asString();
        String again = call(call).then().statusCode(200).extract().asString();
        assertEquals(first, again);
        assertEquals(before + 1, decisionsOf(CdsClientProfile.CLIENT));
        String other = call(hook(UUID.randomUUID().toString(), "p-8", bundle(checkIn("p-8", RECENT, URGENT)), null))
                .then().statusCode(200).extract().asString();
        assertNotEquals(JsonPath.from(first).getString("cards[0].uuid"), JsonPath.from(other).getString("cards[0].uuid"));
    }

    @Test
    void shouldAnswer412WhenTheCheckInCanBeNeitherTakenNorFetched() {
        Response none = call(hook(UUID.randomUUID().toString(), "p-9", null, null));
        assertProblem(none, 412, "the check-in was not prefetched (prefetch.checkIn) and no fhirServer was given to fetch it from");

        CdsClientProfile.FHIR.answer(401, "{\"resourceType\": \"OperationOutcome\"}", 0);
        assertProblem(call(hook(UUID.randomUUID().toString(), "p-9", null, fhirAccess("expired"))), 412,
                "the FHIR server answered the check-in search with HTTP 401");

        CdsClientProfile.FHIR.answer(200, bundle(), 3_000);
        assertProblem(call(hook(UUID.randomUUID().toString(), "p-9", null, fhirAccess("slow"))), 412,
                "the FHIR server did not answer the check-in search within 1000 ms");
        CdsClientProfile.FHIR.answer(200, bundle(), 0);
    }

    static void assertProblem(Response r, int status, String detail) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(detail, r.jsonPath().getString("detail"));
    }

    @Test
    void shouldNameEveryFaultOfAMalformedCall() {
        Response r = call("{\"hook\": \"patient-view\", \"hookInstance\": \"not-a-uuid\", \"context\": {\"userId\": \"u\","
                + " \"patient\": \"p\"}, \"prefetch\": {\"checkin\": null}, \"fhirAuthorization\": {\"access_token\": \"secret-t\","
                + " \"token_type\": \"Bearer\", \"expires_in\": 300, \"scope\": \"s\", \"subject\": \"x\"}}");
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(List.of("hook", "hookInstance", "context.patient", "context.patientId", "context.appointments",
                "prefetch.checkin", "fhirAuthorization"), r.jsonPath().getList("errors.field"));
        assertTrue(!r.asString().contains("secret-t"), "the access token is never echoed");
    }

    /** Another patient's check-in in the data is the client's defect: refused, never decided on. */
    @Test
    void shouldRefuseAnotherPatientsCheckIn() {
        Response r = call(hook(UUID.randomUUID().toString(), "p-10", bundle(checkIn("p-11", RECENT, SELF_CARE)), null));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(List.of(Map.of("field", "prefetch.checkIn", "detail",
                "holds a QuestionnaireResponse of another subject than context.patientId: it is never decided on")),
                r.jsonPath().getList("errors"));
    }

    @Test
    void shouldNameTheCheckInItemThatCannotBeRead() {
        Response r = call(hook(UUID.randomUUID().toString(), "p-12",
                bundle(checkIn("p-12", RECENT, item("painSeverity", integer(11)))), null));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(List.of("prefetch.checkIn.painSeverity"), r.jsonPath().getList("errors.field"));
    }

    private static long decisionsOf(String client) {
        long n = 0;
        String cursor = null;
        do {
            var request = asAuditor().queryParam("limit", 100).queryParam("from", STARTED.toString());
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/api/v1/decisions").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            n += items.stream().filter(i -> client.equals(((Map<?, ?>) i.get("client")).get("subject"))).count();
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return n;
    }

    // ---------- feedback ----------

    static Response feedback(String body) {
        return given().header("Authorization", "Bearer " + validToken()).contentType(ContentType.JSON).body(body)
                .post(SERVICE + "/feedback");
    }

    static String overridden(String card, String code, String comment) {
        return "{\"card\": \"" + card + "\", \"outcome\": \"overridden\", \"overrideReason\": {\"reason\": {\"code\": \""
                + code + "\", \"system\": \"urn:massage-triage:cds-override-reason\"}, \"userComment\": \"" + comment + "\"},"
                + " \"outcomeTimestamp\": \"2026-11-27T10:15:00Z\"}";
    }

    static double overrides(String rule) {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("triage_card_overrides_total{") && l.contains("rule=\"" + rule + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** An override is kept with the decision, shown with it, and counted for every rule that fired in it. */
    @Test
    void shouldKeepAnOverrideWithTheDecisionAndCountItPerRule() {
        String card = call(hook(UUID.randomUUID().toString(), "p-20", bundle(checkIn("p-20", RECENT, URGENT)), null))
                .then().statusCode(200).extract().path("cards[0].uuid");
        double ua01 = overrides("UA-01");
        double adv03 = overrides("ADV-03");
        Response stored = feedback("{\"feedback\": [" + overridden(card, "already-assessed", "seen by GP this morning")
                + ", {\"card\": \"" + card + "\", \"outcome\": \"accepted\", \"outcomeTimestamp\": \"2026-11-27T10:16:00+01:00\"}]}");
        assertEquals(200, stored.statusCode(), stored.asString());

        List<Map<String, Object>> shown = asAuditor().get("/api/v1/decisions/" + card).then().statusCode(200).extract()
                .jsonPath().getList("feedback");
        assertEquals(2, shown.size(), shown.toString());
        assertEquals("overridden", shown.get(0).get("outcome"));
        Map<String, Object> reason = new java.util.HashMap<>();
        reason.put("code", "already-assessed");
        reason.put("system", "urn:massage-triage:cds-override-reason");
        reason.put("display", null); // kept as the client sent it
        assertEquals(reason, shown.get(0).get("overrideReason"));
        assertEquals("seen by GP this morning", shown.get(0).get("userComment"));
        assertEquals(CdsClientProfile.CLIENT, shown.get(0).get("client"));
        assertEquals("accepted", shown.get(1).get("outcome"));
        assertEquals(ua01 + 1, overrides("UA-01"));
        assertEquals(adv03 + 1, overrides("ADV-03"));
    }

    /** Nothing is stored when a card is not this client's, or an item is not valid feedback. */
    @Test
    void shouldRefuseFeedbackOnCardsTheClientWasNotGiven() {
        String theirs = asClient().contentType(ContentType.JSON).body("{\"painCharacter\": \"SHARP\"}").post("/api/v1/triage")
                .then().statusCode(200).extract().path("decisionId");
        Response refused = feedback("{\"feedback\": [" + overridden(theirs, "other", "x") + "]}");
        assertEquals(422, refused.statusCode(), refused.asString());
        assertEquals("application/problem+json", refused.contentType());
        assertEquals(List.of(Map.of("field", "feedback[0].card", "detail", "no card " + theirs + " was given to this client")),
                refused.jsonPath().getList("errors"));
        assertEquals(List.of(), asAuditor().get("/api/v1/decisions/" + theirs).then().extract().jsonPath().getList("feedback"));

        Response invalid = feedback("{\"feedback\": [{\"card\": \"" + theirs + "\", \"outcome\": \"ignored\","
                + " \"overideReason\": {}, \"outcomeTimestamp\": \"yesterday\"}]}");
        assertEquals(400, invalid.statusCode(), invalid.asString());
        assertEquals(List.of("feedback[0].overideReason"), invalid.jsonPath().getList("errors.field"));
    }

    // ---------- who may call ----------

    static Response callWith(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(hook(UUID.randomUUID().toString(), "p-30", bundle(), null)).post(SERVICE);
    }

    static void assertRefused(Response r) {
        assertEquals(401, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
    }

    @Test
    void shouldRefuseEveryTokenTheSpecRulesOut() {
        Instant soon = Instant.now().plus(4, ChronoUnit.MINUTES);
        assertRefused(given().contentType(ContentType.JSON).body(hook(UUID.randomUUID().toString(), "p", bundle(), null)).post(SERVICE));
        assertRefused(callWith(token(serviceUrl() + "/feedback", soon, UUID.randomUUID().toString())));
        assertRefused(callWith(token("https://other-service.example/cds-services/x", soon, UUID.randomUUID().toString())));
        assertRefused(callWith(token(serviceUrl(), Instant.now().minusSeconds(120), UUID.randomUUID().toString())));
        assertRefused(callWith(token(serviceUrl(), Instant.now().plus(10, ChronoUnit.MINUTES), UUID.randomUUID().toString())));
        String once = token(serviceUrl(), soon, UUID.randomUUID().toString());
        assertEquals(200, callWith(once).statusCode());
        assertRefused(callWith(once));
        // A v1 bearer token is no CDS credential, whatever its roles.
        assertRefused(given().header("Authorization", "Bearer " + org.massagetriage.security.TestTokens.valid("triage-client"))
                .contentType(ContentType.JSON).body(hook(UUID.randomUUID().toString(), "p", bundle(), null)).post(SERVICE));
    }

    @Test
    void shouldRefuseAnUntrustedSignerAndHs256() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(CdsClientProfile.ISSUER);
        claims.setSubject("client-app");
        claims.setAudience(serviceUrl());
        claims.setExpirationTimeMinutesInTheFuture(4);
        claims.setIssuedAtToNow();
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature forged = new JsonWebSignature();
        forged.setPayload(claims.toJson());
        forged.setKey(g.generateKeyPair().getPrivate());
        forged.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384);
        assertRefused(callWith(forged.getCompactSerialization()));

        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature hs = new JsonWebSignature();
        hs.setPayload(claims.toJson());
        hs.setKey(new org.jose4j.keys.HmacKey(new byte[32]));
        hs.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        assertRefused(callWith(hs.getCompactSerialization()));
    }

    // ---------- review: freshness, whose check-in, tokens, servers ----------

    /** Hours since the massage are counted on to the call: 60 h when answered 20 h ago is 80 h now, past 72. */
    @Test
    void shouldCountTheHoursSinceTheMassageOnToTheCall() {
        Instant answered = Instant.now().minus(20, ChronoUnit.HOURS).minus(10, ChronoUnit.MINUTES);
        Response answer = call(hook(UUID.randomUUID().toString(), "p-40", bundle(checkIn("p-40", answered,
                item("hoursSinceMassage", integer(60)), item("painCharacter", code("DULL_ACHE")), item("painSeverity", integer(3)),
                item("trend", code("UNCHANGED")), item("symptoms", code("NONE_OF_THESE")), item("bodyRegion", code("LOWER_BACK")))), null));
        assertEquals(200, answer.statusCode(), answer.asString());
        assertEquals("warning", answer.jsonPath().getString("cards[0].indicator"));
        assertTrue(answer.jsonPath().getString("cards[0].detail").startsWith("_Check-in answered "), answer.asString());
        assertTrue(answer.jsonPath().getString("cards[0].detail").contains(", 20 hours before this call. Hours since the massage:"
                + " 60 when answered, counted on to 80 now._"), answer.jsonPath().getString("cards[0].detail"));
        JsonPath recorded = asAuditor().get("/api/v1/decisions/" + answer.jsonPath().getString("cards[0].uuid")).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(80, recorded.getInt("request.hoursSinceMassage"));
        assertEquals("CONTACT_THERAPIST", recorded.getString("outcome"));
    }

    /** Whose answers these are must be on the response: without subject.reference it is never decided on. */
    @Test
    void shouldRefuseACheckInWithoutItsPatient() {
        String anonymous = checkIn("p-41", RECENT, SELF_CARE).replace("\"subject\": {\"reference\": \"Patient/p-41\"}, ", "");
        Response r = call(hook(UUID.randomUUID().toString(), "p-41", bundle(anonymous), null));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(List.of("prefetch.checkIn"), r.jsonPath().getList("errors.field"));
        String versioned = checkIn("p-41", RECENT, SELF_CARE).replace("Patient/p-41", "https://ehr.example/fhir/Patient/p-41/_history/3");
        assertEquals(200, call(hook(UUID.randomUUID().toString(), "p-41", bundle(versioned), null)).statusCode());
    }

    /** The client's token goes only to a FHIR server listed for the client, never to one the call names at will. */
    @Test
    void shouldNotFetchFromAServerNotListedForTheClient() {
        CdsClientProfile.FHIR.answer(200, bundle(checkIn("p-42", RECENT, SELF_CARE)), 0);
        String elsewhere = fhirAccess("t42").replace(CdsClientProfile.FHIR.base(), "https://127.0.0.1:9/internal");
        assertProblem(call(hook(UUID.randomUUID().toString(), "p-42", null, elsewhere)), 412, "the check-in was not prefetched,"
                + " and fhirServer is not one this client's check-ins may be fetched from (triage.cds.clients.<name>.fhir-servers)");
        String beside = fhirAccess("t42").replace(CdsClientProfile.FHIR.base(), CdsClientProfile.FHIR.base() + "-admin");
        assertEquals(412, call(hook(UUID.randomUUID().toString(), "p-42", null, beside)).statusCode());
        assertEquals(List.of(), CdsClientProfile.FHIR.seen);
    }

    /** A token a header cannot carry is refused at the door, and never echoed (it would land in a log line). */
    @Test
    void shouldRefuseAnAccessTokenAHeaderCannotCarry() {
        Response r = call(hook(UUID.randomUUID().toString(), "p-43", null, fhirAccess("secret\\nvalue")));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(List.of("fhirAuthorization.access_token"), r.jsonPath().getList("errors.field"));
        assertTrue(!r.asString().contains("secret"), r.asString());
    }

    /** The deadline covers the body too: a server that sends its headers and then trickles is cut off. */
    @Test
    void shouldCutOffAServerThatSendsItsAnswerSlowly() {
        CdsClientProfile.FHIR.answerSlowly(bundle(checkIn("p-44", RECENT, SELF_CARE)), 10_000);
        long start = System.nanoTime();
        assertProblem(call(hook(UUID.randomUUID().toString(), "p-44", null, fhirAccess("t44"))), 412,
                "the FHIR server did not answer the check-in search within 1000 ms");
        assertTrue((System.nanoTime() - start) / 1_000_000 < 8_000, "answered only when the body ended");
        CdsClientProfile.FHIR.answer(200, bundle(), 0);
    }

    /** Time never makes an invalid answer valid: 9000 hours, answered 5 hours ago, is refused as 9000. */
    @Test
    void shouldRefuseHoursOutOfRangeAsAnswered() {
        Instant answered = Instant.now().minus(5, ChronoUnit.HOURS);
        Response r = call(hook(UUID.randomUUID().toString(), "p-45", bundle(checkIn("p-45", answered,
                item("hoursSinceMassage", integer(9000)))), null));
        assertEquals(400, r.statusCode(), r.asString());
        assertEquals(List.of("prefetch.checkIn.hoursSinceMassage"), r.jsonPath().getList("errors.field"));
    }
}
