package org.massagetriage.feedback;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.massagetriage.audit.CardFeedbackArchive;
import org.massagetriage.audit.CardFeedbackRecord;
import org.massagetriage.audit.StoreUnavailableException;
import org.massagetriage.feedback.CardFeedbackRefusedException.Violation;

/**
 * The CDS front door's feedback use case (CDS Hooks 2.0, {@code POST .../feedback}): what a CDS
 * client's user did with the cards the service returned, kept beside the decisions they showed, and
 * counted per rule for the clinicians who own the rules. A card's uuid is its decision's id.
 */
@ApplicationScoped
public class CardFeedbackService {

    private static final Logger LOG = Logger.getLogger(CardFeedbackService.class);
    /** The store's column sizes (V4); a longer value is refused, never cut. */
    static final int MAX_USER_COMMENT = 2_000;
    static final int MAX_DISPLAY = 255;
    /** The canonical 8-4-4-4-12 form; {@link UUID#fromString} alone also takes "1-1-1-1-1". */
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

    private final CardFeedbackArchive archive;
    private final CardFeedbackMetrics metrics;

    public CardFeedbackService(CardFeedbackArchive archive, CardFeedbackMetrics metrics) {
        this.archive = archive;
        this.metrics = metrics;
    }

    /**
     * Stores the feedback items of one request, all or none: every item is checked first, then
     * every card is looked up (one query), then all are stored in one transaction. Several items
     * for one card, in this request or over time, are all kept. Each stored overridden item counts
     * once for every rule that fired in its decision ({@code triage_card_overrides_total{rule}}).
     * <p>
     * As CDS Hooks 2.0 has it, an override may come without a reason (the user dismissed the card) or
     * with only a comment; a reason, when given, must be one the card offered ({@link OverrideReasons}):
     * a code of the client's own would be counted as a reason nobody here can read.
     *
     * @param client the verified CDS client's name: its decisions are recorded with it as client subject
     * @param issuer the verified client's token issuer, recorded with it: a name alone could also be the
     *               subject of a v1 booking system's token, whose decisions are not this client's
     * @throws InvalidFeedbackException   an item is not valid feedback (answer 400); names every problem
     * @throws UnknownCardException       valid items about cards that are no decision of this client,
     *                                    unknown and another client's alike (answer 422); names each card
     * @throws StoreUnavailableException  the store cannot be read or written now (answer 503, retry)
     */
    public void record(String client, String issuer, List<CardFeedback> items) {
        if (client == null || client.isBlank() || issuer == null) {
            throw new IllegalArgumentException("feedback needs the verified client's name and issuer");
        }
        List<Checked> checked = check(items);
        Set<UUID> cards = new LinkedHashSet<>();
        checked.forEach(c -> cards.add(c.card()));
        Map<UUID, List<String>> firedRules = archive.firedRulesOfDecisions(client, issuer, cards);
        List<Violation> unknown = new ArrayList<>();
        for (int i = 0; i < checked.size(); i++) {
            UUID card = checked.get(i).card();
            if (!firedRules.containsKey(card)) {
                unknown.add(new Violation(item(i) + ".card", "no card " + card + " was given to this client"));
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownCardException(unknown);
        }
        Instant receivedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<CardFeedbackArchive.Write> writes = new ArrayList<>(checked.size());
        for (Checked c : checked) {
            Coding reason = c.reason();
            Set<String> counted = c.overridden() ? new LinkedHashSet<>(firedRules.get(c.card())) : Set.of();
            writes.add(new CardFeedbackArchive.Write(new CardFeedbackRecord(c.card(), c.outcome(),
                    reason == null ? null : reason.code(), reason == null ? null : reason.system(),
                    reason == null ? null : reason.display(), c.userComment(), c.outcomeTimestamp(), receivedAt, client),
                    counted));
        }
        archive.recordAll(writes);
        int overridden = 0;
        for (CardFeedbackArchive.Write w : writes) {
            if (CardFeedback.OVERRIDDEN.equals(w.feedback().outcome())) {
                metrics.overridden(w.overriddenRules());
                overridden++;
            }
        }
        // Ids and counts only: a user comment is free text and may name the patient.
        LOG.infof("Card feedback stored: client=%s items=%d overridden=%d cards=%s", client, writes.size(), overridden,
                cards);
    }

    /** The feedback on one decision, in the order received; empty when there is none. */
    public List<CardFeedbackRecord> feedbackOf(UUID decisionId) {
        return archive.feedbackOf(List.of(decisionId)).getOrDefault(decisionId, List.of());
    }

    /** The feedback on each of the decisions that has any (one query), each in the order received. */
    public Map<UUID, List<CardFeedbackRecord>> feedbackOf(Collection<UUID> decisionIds) {
        return archive.feedbackOf(decisionIds);
    }

    /**
     * Per rule id, how many overridden feedback items name a decision in which that rule fired, over
     * every stored item (durable: across restarts and instances, as long as the decisions are
     * retained); a rule never overridden is absent. One {@code GROUP BY} over the rows written for
     * overridden items (one per fired rule, about five per item): the cost follows the overrides,
     * not the decisions (100,000 decisions with 1,000 overrides read about 5,000 small rows).
     * Empty when the store cannot be read or recording is off, so that the rules view still shows
     * the rules.
     */
    public Optional<Map<String, Long>> overridesByRule() {
        if (!archive.available()) {
            return Optional.empty();
        }
        try {
            return Optional.of(archive.overridesByRule());
        } catch (StoreUnavailableException e) {
            LOG.debugf("Overrides per rule not available: %s", e.getMessage());
            return Optional.empty();
        }
    }

    /** An item that passed the checks, in the types the store takes. */
    private record Checked(UUID card, String outcome, Coding reason, String userComment, Instant outcomeTimestamp) {
        boolean overridden() {
            return CardFeedback.OVERRIDDEN.equals(outcome);
        }
    }

    /** Checks every item, collecting every violation of the request before refusing it. */
    private static List<Checked> check(List<CardFeedback> items) {
        List<Violation> violations = new ArrayList<>();
        if (items == null || items.isEmpty()) {
            throw new InvalidFeedbackException(List.of(new Violation("feedback", "must hold at least one feedback item")));
        }
        List<Checked> checked = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            CardFeedback f = items.get(i);
            String at = item(i);
            if (f == null) {
                violations.add(new Violation(at, "must be a feedback item"));
                continue;
            }
            int before = violations.size();
            UUID card = null;
            if (f.card() == null || !UUID_TEXT.matcher(f.card()).matches()) {
                violations.add(new Violation(at + ".card", "must be the uuid of a card this service returned"));
            } else {
                card = UUID.fromString(f.card().toLowerCase(Locale.ROOT));
            }
            boolean overridden = CardFeedback.OVERRIDDEN.equals(f.outcome());
            if (!overridden && !CardFeedback.ACCEPTED.equals(f.outcome())) {
                violations.add(new Violation(at + ".outcome", "must be accepted or overridden"));
            }
            if (!f.acceptedSuggestions().isEmpty()) {
                violations.add(new Violation(at + ".acceptedSuggestions",
                        "must be empty: this service's cards carry no suggestions"));
            }
            Coding reason = f.overrideReason();
            if (overridden) {
                if (reason != null) {
                    if (!OverrideReasons.SYSTEM.equals(reason.system())) {
                        violations.add(new Violation(at + ".overrideReason.reason.system",
                                "must be " + OverrideReasons.SYSTEM));
                    }
                    if (reason.code() == null || OverrideReasons.offered(OverrideReasons.SYSTEM, reason.code()).isEmpty()) {
                        violations.add(new Violation(at + ".overrideReason.reason.code",
                                "must be one of the offered reasons: " + OverrideReasons.codes()));
                    }
                    if (reason.display() != null && reason.display().length() > MAX_DISPLAY) {
                        violations.add(new Violation(at + ".overrideReason.reason.display",
                                "must be at most " + MAX_DISPLAY + " characters"));
                    }
                }
                if (f.userComment() != null && f.userComment().length() > MAX_USER_COMMENT) {
                    violations.add(new Violation(at + ".overrideReason.userComment",
                            "must be at most " + MAX_USER_COMMENT + " characters"));
                }
            } else if (reason != null || f.userComment() != null) {
                violations.add(new Violation(at + ".overrideReason", "an accepted card takes no override reason or comment"));
            }
            Instant outcomeTimestamp = timestamp(f.outcomeTimestamp());
            if (outcomeTimestamp == null) {
                violations.add(new Violation(at + ".outcomeTimestamp",
                        "must be an ISO-8601 date and time with an offset, such as 2026-11-27T10:15:00Z"));
            }
            if (violations.size() == before) {
                checked.add(new Checked(card, f.outcome(), overridden ? reason : null, overridden ? f.userComment() : null,
                        outcomeTimestamp));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidFeedbackException(violations);
        }
        return checked;
    }

    /**
     * An ISO-8601 date-time with an offset ({@code Z} or {@code +01:00}), years 1970 to 9999 (what
     * both stores hold), to the microsecond both keep; null when it is not one.
     */
    private static Instant timestamp(String text) {
        if (text == null) {
            return null;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            if (t.getYear() < 1970 || t.getYear() > 9999) {
                return null;
            }
            return t.toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String item(int i) {
        return "feedback[" + i + "]";
    }
}
