package org.massagetriage.cdshooks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.fhir.CheckInQuestionnaire;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds the patient's latest check-in for a hook call: in the prefetch the discovery document asked
 * for, else on the client's FHIR server with the access token that came with the call, and judges
 * whether it can be decided on (completed, this patient's, recent enough, this questionnaire).
 */
@ApplicationScoped
public class CheckInLookup {

    private static final Logger LOG = Logger.getLogger(CheckInLookup.class);
    /** A search answer larger than this is not a one-entry Bundle of a check-in; it is not read. */
    static final int MAX_FHIR_ANSWER_BYTES = 1 << 20;
    /** A check-in dated later than this ahead of our clock is not believed (a client's clock may run a little fast). */
    private static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", java.util.Locale.UK);

    private final Duration maxAge;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock;
    private final java.util.function.Supplier<String> currentVersion;

    @Inject
    public CheckInLookup(TriageConfig config, CheckInQuestionnaire questionnaire) {
        this(config.cds().checkInMaxAge(), config.cds().fhirTimeout(), Clock.systemUTC(), () -> questionnaire.current().version());
    }

    CheckInLookup(Duration maxAge, Duration timeout, Clock clock, java.util.function.Supplier<String> currentVersion) {
        this.currentVersion = currentVersion;
        this.maxAge = maxAge;
        this.timeout = timeout;
        this.clock = clock;
        // Redirects are not followed: the access token must reach the server it came with and no other.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The prefetch template of the discovery document; {@link #fetch} asks the same question. */
    static String searchTemplate() {
        return "QuestionnaireResponse?questionnaire=" + CheckInQuestionnaire.QUESTIONNAIRE_URL
                + "&subject={{context.patientId}}&status=completed&_sort=-authored&_count=1";
    }

    /** @param allowedServers the FHIR servers this client's check-ins may be fetched from */
    CheckIn find(HookRequest request, List<String> allowedServers) {
        JsonNode found;
        String where;
        if (request.prefetched()) {
            found = request.checkIn();
            where = "prefetch.checkIn";
        } else if (request.fhirServer() != null) {
            if (!allowed(request.fhirServer(), allowedServers)) {
                throw new CheckInUnavailableException("the check-in was not prefetched, and fhirServer is not one this client's"
                        + " check-ins may be fetched from (triage.cds.clients.<name>.fhir-servers)");
            }
            found = fetch(request);
            where = "the FHIR server's search result";
        } else {
            throw new CheckInUnavailableException("the check-in was not prefetched (prefetch.checkIn) and no fhirServer"
                    + " was given to fetch it from");
        }
        return judge(found, where, request.patientId());
    }

    /**
     * The server is a listed base URL or below one, on a path-segment boundary (/fhir does not admit
     * /fhir-admin). Scheme and host compare without case, port and path exactly; a path with dot
     * segments or encoded dots, slashes or backslashes is never allowed: the FHIR server would resolve
     * it to somewhere the list does not name, with the token.
     */
    static boolean allowed(URI server, List<String> allowedServers) {
        String rawPath = server.getRawPath() == null ? "" : server.getRawPath();
        String lower = rawPath.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || rawPath.contains("\\")
                || !server.normalize().getRawPath().equals(rawPath) || rawPath.matches(".*(^|/)\\.{1,2}(/|$).*")) {
            return false;
        }
        String path = rawPath.replaceAll("/+$", "");
        for (String listed : allowedServers) {
            URI base;
            try {
                base = new URI(listed.strip());
            } catch (java.net.URISyntaxException e) {
                continue;
            }
            if (base.getScheme() == null || base.getHost() == null
                    || !base.getScheme().equalsIgnoreCase(server.getScheme()) || !base.getHost().equalsIgnoreCase(server.getHost())
                    || base.getPort() != server.getPort()) {
                continue;
            }
            String basePath = (base.getRawPath() == null ? "" : base.getRawPath()).replaceAll("/+$", "");
            if (path.equals(basePath) || path.startsWith(basePath + "/")) {
                return true;
            }
        }
        return false;
    }

    private JsonNode fetch(HookRequest request) {
        String base = request.fhirServer().toString().replaceAll("/+$", "");
        // The prefetch template is the contract (completed only); fetching ourselves we also ask for
        // amended responses: an amended check-in is the patient's latest word, and must not be passed over.
        URI uri = URI.create(base + "/" + searchTemplate()
                .replace("status=completed", "status=completed,amended")
                .replace(CheckInQuestionnaire.QUESTIONNAIRE_URL, URLEncoder.encode(CheckInQuestionnaire.QUESTIONNAIRE_URL,
                        StandardCharsets.UTF_8))
                .replace("{{context.patientId}}", URLEncoder.encode(request.patientId(), StandardCharsets.UTF_8)));
        HttpRequest.Builder get = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/fhir+json").GET();
        if (request.accessToken() != null) {
            get.header("Authorization", "Bearer " + request.accessToken());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<InputStream> answer;
        try {
            answer = http.send(get.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw tooSlow();
        } catch (IOException e) {
            LOG.infof("The FHIR server %s could not be reached (%s)", uri.getHost(), e.getClass().getSimpleName());
            throw new CheckInUnavailableException("the FHIR server could not be reached for the check-in search");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CheckInUnavailableException("the check-in search was interrupted");
        }
        // The request's timeout ends when the headers arrive; a body sent slowly is cut off at the same
        // deadline by closing its stream, which ends the blocked read.
        InputStream stream = answer.body();
        ScheduledFuture<?> cut = DEADLINES.schedule(() -> closeQuietly(stream),
                Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        try (InputStream body = stream) {
            if (answer.statusCode() != 200) {
                throw new CheckInUnavailableException("the FHIR server answered the check-in search with HTTP "
                        + answer.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_FHIR_ANSWER_BYTES + 1);
            if (bytes.length > MAX_FHIR_ANSWER_BYTES) {
                throw new CheckInUnavailableException("the FHIR server's answer to the check-in search is larger than "
                        + MAX_FHIR_ANSWER_BYTES + " bytes");
            }
            JsonNode bundle = json.readTree(bytes);
            if (bundle == null || !"Bundle".equals(bundle.path("resourceType").textValue())) {
                throw new CheckInUnavailableException("the FHIR server's answer to the check-in search is not a Bundle");
            }
            return bundle;
        } catch (IOException e) {
            if (System.nanoTime() - deadline >= 0) {
                throw tooSlow();
            }
            throw new CheckInUnavailableException("the FHIR server's answer to the check-in search is not JSON");
        } finally {
            cut.cancel(false);
        }
    }

    private CheckInUnavailableException tooSlow() {
        return new CheckInUnavailableException("the FHIR server did not answer the check-in search within "
                + timeout.toMillis() + " ms");
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // closed to end a read past the deadline: nothing more to do
        }
    }

    private static final ScheduledExecutorService DEADLINES = deadlines();

    /** Cancelled deadlines leave the queue at once: each would otherwise hold its response stream for its delay. */
    private static ScheduledExecutorService deadlines() {
        java.util.concurrent.ScheduledThreadPoolExecutor e = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "fhir-fetch-deadline");
            t.setDaemon(true);
            return t;
        });
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /**
     * The latest completed check-in of this patient in a Bundle (a search result) or a lone
     * QuestionnaireResponse. Another patient's check-in in the data is the client's defect, refused
     * (400), never decided on and never silently skipped.
     */
    CheckIn judge(JsonNode found, String where, String patientId) {
        List<JsonNode> responses = new ArrayList<>();
        if ("Bundle".equals(found.path("resourceType").textValue())) {
            for (JsonNode entry : found.path("entry")) {
                JsonNode resource = entry.path("resource");
                if ("QuestionnaireResponse".equals(resource.path("resourceType").textValue())) {
                    responses.add(resource);
                }
            }
        } else {
            responses.add(found);
        }
        JsonNode latest = null;
        Instant latestAuthored = null;
        boolean undated = false;
        String field = where.startsWith("prefetch") ? where : "fhirServer";
        for (JsonNode r : responses) {
            String subject = r.path("subject").path("reference").textValue();
            if (subject != null && !isPatient(subject, patientId)) {
                throw new InvalidRequestException(List.of(new Problem.FieldError(field,
                        "holds a QuestionnaireResponse of another subject than context.patientId: it is never decided on")));
            }
            String status = r.path("status").textValue();
            if (!"completed".equals(status) && !"amended".equals(status)) {
                continue;
            }
            String questionnaire = r.path("questionnaire").textValue();
            if (questionnaire == null || !(questionnaire.equals(CheckInQuestionnaire.QUESTIONNAIRE_URL)
                    || questionnaire.startsWith(CheckInQuestionnaire.QUESTIONNAIRE_URL + "|"))) {
                continue; // another form: not a check-in
            }
            if (subject == null) {
                // Whose answers these are must be on the response itself: a search result is no proof.
                throw new InvalidRequestException(List.of(new Problem.FieldError(field,
                        "holds a check-in without subject.reference to Patient/<context.patientId>: whose answers they are"
                                + " cannot be told, so it is never decided on")));
            }
            Instant authored = instant(r.path("authored").textValue());
            if (authored == null) {
                undated = true;
                continue;
            }
            if (authored.isAfter(clock.instant().plus(FUTURE_SKEW))) {
                throw new InvalidRequestException(List.of(new Problem.FieldError(field,
                        "holds a check-in authored in the future (" + authored + ")")));
            }
            if (latestAuthored == null || authored.isAfter(latestAuthored)) {
                latest = r;
                latestAuthored = authored;
            }
        }
        if (latest == null) {
            return CheckIn.none(undated
                    ? "The check-in on file has no date (authored), so it cannot be told to be recent."
                    : "No completed post-massage check-in is on file for this patient.");
        }
        if (latestAuthored.isBefore(clock.instant().minus(maxAge))) {
            return CheckIn.none("The latest check-in is from " + DAY.format(latestAuthored.atZone(ZoneOffset.UTC))
                    + ", more than " + describe(maxAge) + " ago: it does not say how the patient feels now.");
        }
        String answered = latest.path("questionnaire").textValue();
        String current = CheckInQuestionnaire.QUESTIONNAIRE_URL + "|" + currentVersion.get();
        if (answered.contains("|") && !answered.equals(current)) {
            // The patient read other questions (the texts changed since): deciding on the answers as if to
            // these would put words in the patient's mouth.
            return CheckIn.none("The latest check-in answered an earlier version of the check-in questions;"
                    + " the patient should check in again.");
        }
        try {
            return CheckIn.usable(json.writeValueAsBytes(latest), latestAuthored);
        } catch (IOException e) {
            throw new IllegalStateException("A JSON tree always serializes", e);
        }
    }

    /** {@code Patient/<id>}, absolute or relative, with or without a {@code /_history/<version>}. */
    private static boolean isPatient(String reference, String patientId) {
        String plain = reference.replaceFirst("/_history/[A-Za-z0-9\\-.]{1,64}$", "");
        return plain.equals("Patient/" + patientId) || plain.endsWith("/Patient/" + patientId);
    }

    static String describe(Duration d) {
        return d.toHours() < 48 ? d.toHours() + " hours" : d.toDays() + " days";
    }

    private static Instant instant(String dateTime) {
        if (dateTime == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(dateTime).toInstant();
        } catch (DateTimeParseException e) {
            // FHIR allows a date without a time (or a zone): too coarse to tell a check-in's age.
            return null;
        }
    }
}
