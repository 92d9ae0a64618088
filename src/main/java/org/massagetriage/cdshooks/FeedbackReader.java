package org.massagetriage.cdshooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.feedback.CardFeedback;
import org.massagetriage.feedback.Coding;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a CDS Hooks 2.0 feedback request into items for {@code CardFeedbackService}: JSON types and
 * field names are checked here (a misspelt {@code overrideReason} must not pass as "no reason"); what
 * the values mean (a card of this client, an offered reason) is the service's to check.
 */
@ApplicationScoped
public class FeedbackReader {

    /** More than a screen of cards' feedback in one request is not feedback from a person. */
    static final int MAX_ITEMS = 100;
    private static final Set<String> ITEM_FIELDS = Set.of("card", "outcome", "acceptedSuggestions", "overrideReason",
            "outcomeTimestamp");
    private static final Set<String> REASON_FIELDS = Set.of("reason", "userComment");
    private static final Set<String> CODING_FIELDS = Set.of("code", "system", "display");

    List<CardFeedback> read(byte[] body) {
        JsonNode root = StrictJson.object(body, "a feedback array in a JSON object");
        List<Problem.FieldError> errors = new ArrayList<>();
        StrictJson.unknownFields(root, Set.of("feedback"), "", "CDS Hooks feedback", errors);
        JsonNode items = root.get("feedback");
        if (items == null || !items.isArray() || items.isEmpty() || items.size() > MAX_ITEMS) {
            errors.add(new Problem.FieldError("feedback", "must be an array of 1 to " + MAX_ITEMS + " items"));
            throw new InvalidRequestException(errors);
        }
        List<CardFeedback> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = "feedback[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                errors.add(new Problem.FieldError(at, "must be an object"));
                continue;
            }
            StrictJson.unknownFields(item, ITEM_FIELDS, at + ".", "CDS Hooks feedback", errors);
            String card = text(item, "card", at, errors);
            String outcome = text(item, "outcome", at, errors);
            String timestamp = text(item, "outcomeTimestamp", at, errors);
            List<String> suggestions = new ArrayList<>();
            JsonNode accepted = item.get("acceptedSuggestions");
            if (accepted != null && !accepted.isNull()) {
                if (!accepted.isArray()) {
                    errors.add(new Problem.FieldError(at + ".acceptedSuggestions", "must be an array"));
                } else {
                    accepted.forEach(s -> suggestions.add(s.path("id").asText(s.toString())));
                }
            }
            Coding reason = null;
            String comment = null;
            JsonNode override = item.get("overrideReason");
            if (override != null && !override.isNull()) {
                if (!override.isObject()) {
                    errors.add(new Problem.FieldError(at + ".overrideReason", "must be an object"));
                } else {
                    StrictJson.unknownFields(override, REASON_FIELDS, at + ".overrideReason.", "CDS Hooks feedback", errors);
                    comment = text(override, "userComment", at + ".overrideReason", errors);
                    JsonNode coding = override.get("reason");
                    if (coding != null && !coding.isNull()) {
                        if (!coding.isObject()) {
                            errors.add(new Problem.FieldError(at + ".overrideReason.reason", "must be a Coding object"));
                        } else {
                            String where = at + ".overrideReason.reason";
                            StrictJson.unknownFields(coding, CODING_FIELDS, where + ".", "CDS Hooks feedback", errors);
                            reason = new Coding(text(coding, "code", where, errors), text(coding, "system", where, errors),
                                    text(coding, "display", where, errors));
                        }
                    }
                }
            }
            out.add(new CardFeedback(card, outcome, suggestions, reason, comment, timestamp));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return out;
    }

    private static String text(JsonNode parent, String name, String at, List<Problem.FieldError> errors) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            return null; // required or not, the service says so with the rest of the item's problems
        }
        if (!node.isTextual()) {
            errors.add(new Problem.FieldError(at + "." + name, "must be a string"));
            return null;
        }
        return node.textValue();
    }

}
