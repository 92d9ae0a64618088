package org.massagetriage.cdshooks;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.api.TriageRequestReader;
import org.massagetriage.fhir.CheckInResponseReader;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;
import org.massagetriage.rules.RuleSetRegistry;
import org.massagetriage.triage.ClientIdentity;
import org.massagetriage.triage.TriageService;
import org.massagetriage.triage.VocabularyService;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

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

    public CdsHooksService(CheckInLookup lookup, CheckInResponseReader checkInReader, TriageRequestReader reader,
                           TriageService triage, RuleSetRegistry registry, ObjectMapper mapper) {
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
        CheckIn checkIn = lookup.find(request);
        if (!checkIn.isUsable()) {
            // Nothing to decide on, so nothing is decided or recorded: the card says so and what to do.
            LOG.infof("CDS hook %s from %s: no usable check-in", request.hookInstance(), client.subject());
            var active = registry.active();
            return CompletableFuture.completedFuture(json(new Card.Cards(List.of(
                    CardBuilder.noCheckIn(checkIn.notUsable(), baseUrl, active == null ? null : active.version())))));
        }
        TriageRequestReader.Read read;
        try {
            read = reader.read(checkInReader.toTriageRequest(checkIn.response()));
        } catch (InvalidRequestException e) {
            // The client's data is at fault: name the items as they stand in the check-in.
            String where = request.prefetched() ? "prefetch.checkIn." : "fhirServer:QuestionnaireResponse.";
            throw new InvalidRequestException(e.errors().stream()
                    .map(f -> new Problem.FieldError(where + f.field(), f.detail())).toList());
        }
        return triage.triageOnce(read.facts(), read.recordedFacts(), client, "cds-hooks:" + request.hookInstance(),
                        d -> json(new Card.Cards(List.of(CardBuilder.decided(d,
                                VocabularyService.language(d.texts(), languages), baseUrl, overrideReasons)))))
                .thenApply(answer -> answer.json());
    }

    private String json(Card.Cards cards) {
        try {
            return mapper.writeValueAsString(cards);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A card always serializes", e);
        }
    }
}
