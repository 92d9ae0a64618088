package org.massagetriage.cdshooks;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.api.TriageRequestReader;
import org.massagetriage.facts.Fact;
import org.massagetriage.config.TriageConfig;
import org.massagetriage.fhir.CheckInResponseReader;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.triage.ClientIdentity;
import org.massagetriage.triage.IdempotencyKeyReusedException;
import org.massagetriage.triage.IdempotencyUnavailableException;
import org.massagetriage.triage.KeyedAnswer;
import org.massagetriage.triage.TriageService;
import org.massagetriage.triage.VocabularyService;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code appointment-book} call: find the patient's check-in, decide on it exactly as
 * {@code POST /api/v1/triage} would decide on the same QuestionnaireResponse (same reader, same rules,
 * same audit record, the CDS client as the record's client), and answer one card.
 * <p>
 * The call's {@code hookInstance} is the decision's idempotency key: a client that retries a call
 * (a timeout on its side) gets the same card, with the same uuid, and nothing is recorded twice.
 */
@ApplicationScoped
public class CdsHooksService {

    private static final Logger LOG = Logger.getLogger(CdsHooksService.class);

    private final CheckInLookup lookup;
    private final CheckInResponseReader checkInReader;
    private final TriageRequestReader reader;
    private final TriageService triage;
    private final RuleSetRegistry registry;
    private final ObjectMapper mapper;
    private final Clock clock = Clock.systemUTC();
    private final TriageConfig config;

    public CdsHooksService(CheckInLookup lookup, CheckInResponseReader checkInReader, TriageRequestReader reader,
                           TriageService triage, RuleSetRegistry registry, ObjectMapper mapper, TriageConfig config) {
        this.config = config;
        this.lookup = lookup;
        this.checkInReader = checkInReader;
        this.reader = reader;
        this.triage = triage;
        this.registry = registry;
        this.mapper = mapper;
    }

    /**
     * @param baseUrl   this service's public base URL (links in the card)
     * @param languages the client's Accept-Language preferences for the card's texts
     * @return the cards as the JSON sent (a retry is answered with the same bytes)
     */
    CompletionStage<String> call(HookRequest request, ClientIdentity client, String baseUrl,
                                 List<Locale.LanguageRange> languages, List<Card.Coding> overrideReasons) {
        TriageConfig.Cds.Client settings = config.cds().clients().get(client.subject());
        List<String> servers = settings == null ? List.of() : settings.fhirServers().orElse(List.of());
        CheckIn checkIn = lookup.find(request, servers);
        if (!checkIn.isUsable()) {
            // Nothing to decide on, so nothing is decided or recorded: the card says so and what to do.
            LOG.infof("CDS hook %s from %s: no usable check-in", request.hookInstance(), client.subject());
            var active = registry.active();
            return CompletableFuture.completedFuture(json(new Card.Cards(List.of(
                    CardBuilder.noCheckIn(checkIn.notUsable(), baseUrl, active == null ? null : active.version())))));
        }
        TriageRequestReader.Read read;
        String note;
        try {
            byte[] asked = checkInReader.toTriageRequest(checkIn.response());
            CountedOn counted = countOn(asked, checkIn.authored());
            note = counted.note();
            read = reader.read(counted.request());
        } catch (InvalidRequestException e) {
            // The client's data is at fault: name the items as they stand in the check-in.
            String where = request.prefetched() ? "prefetch.checkIn." : "fhirServer:QuestionnaireResponse.";
            throw new InvalidRequestException(e.errors().stream()
                    .map(f -> new Problem.FieldError(where + f.field(), f.detail())).toList());
        }
        CompletionStage<KeyedAnswer> answer;
        try {
            answer = triage.triageOnce(read.facts(), read.recordedFacts(), client, "cds-hooks:" + request.hookInstance(),
                    d -> json(new Card.Cards(List.of(CardBuilder.decided(d,
                            VocabularyService.language(d.texts(), languages), baseUrl, overrideReasons, note)))));
        } catch (IdempotencyUnavailableException e) {
            // Only a benchmark deployment records nothing; a card is never given unrecorded.
            throw new CdsCallRefusedException(503, null, "decisions are not being recorded here (triage.store.record-decisions"
                    + " is off), and a CDS Hooks card is never given unrecorded");
        } catch (IdempotencyKeyReusedException e) {
            throw reused();
        }
        return answer.handle((a, failure) -> {
            if (failure == null) {
                return a.json();
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof IdempotencyKeyReusedException) {
                throw reused();
            }
            throw failure instanceof CompletionException c ? c : new CompletionException(failure);
        });
    }

    /**
     * A hookInstance is one call: sent again with another check-in (changed on the FHIR server between
     * the tries, or read across an hour boundary, which moves the hours since the massage) it is refused
     * rather than answered with the first call's card for facts it was not decided on.
     */
    private static CdsCallRefusedException reused() {
        return new CdsCallRefusedException(422, "hookInstance", "this hookInstance was answered before for another"
                + " check-in; a new call needs a new hookInstance");
    }

    private record CountedOn(byte[] request, String note) {
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM uuuu, HH:mm 'UTC'", Locale.UK);

    /**
     * The check-in's hours since the massage counted on to this call: the rules' time limits must see
     * how long ago the massage is now, not when the patient answered (a check-in at 60 hours, read a
     * day later, is past the 72-hour limit). Every other answer is as the patient gave it, and the card
     * says when that was.
     */
    private CountedOn countOn(byte[] request, Instant authored) {
        long elapsed = Math.max(0, Duration.between(authored, clock.instant()).toHours());
        String when = "Check-in answered " + WHEN.format(authored.atZone(ZoneOffset.UTC))
                + (elapsed == 0 ? ", less than an hour before this call." : ", " + elapsed + " hours before this call.");
        try {
            ObjectNode facts = (ObjectNode) mapper.readTree(request);
            JsonNode hours = facts.get(Fact.HOURS_SINCE_MASSAGE.factName());
            if (hours == null || !hours.isIntegralNumber() || elapsed == 0 || hours.longValue() < Fact.HOURS_SINCE_MASSAGE.min()
                    || hours.longValue() > Fact.HOURS_SINCE_MASSAGE.max()) {
                // Out of range as answered: left as it is, for the reader to refuse (400), never made valid by time.
                return new CountedOn(request, when);
            }
            long now = Math.min(Fact.HOURS_SINCE_MASSAGE.max(), hours.longValue() + elapsed);
            facts.put(Fact.HOURS_SINCE_MASSAGE.factName(), now);
            return new CountedOn(mapper.writeValueAsBytes(facts), when + " Hours since the massage: " + hours.longValue()
                    + " when answered, counted on to " + now + " now.");
        } catch (IOException e) {
            throw new IllegalStateException("The check-in's request is JSON", e);
        }
    }

    private String json(Card.Cards cards) {
        try {
            return mapper.writeValueAsString(cards);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A card always serializes", e);
        }
    }
}
