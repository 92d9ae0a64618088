package org.massagetriage.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedMap;

import org.massagetriage.audit.DecisionQuery;
import org.massagetriage.facts.Outcome;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

/**
 * Reads the query parameters of {@code GET /api/v1/decisions} strictly, reporting every problem at
 * once: a misspelt filter must not silently widen an audit query.
 */
@ApplicationScoped
public class DecisionQueryReader {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Set<String> PARAMETERS = Set.of("from", "to", "outcome", "limit", "cursor");
    /** Both stores accept these; a year outside them is the client's mistake (400), not the store's (503). */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    public DecisionQuery read(MultivaluedMap<String, String> params) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                errors.add(new Problem.FieldError(name, "unknown query parameter; the known ones are "
                        + PARAMETERS.stream().sorted().toList()));
            } else if (params.get(name).size() > 1) {
                errors.add(new Problem.FieldError(name, "give this parameter once"));
            }
        }
        Instant from = instant(params.getFirst("from"), "from", errors);
        Instant to = instant(params.getFirst("to"), "to", errors);
        String outcome = params.getFirst("outcome");
        if (outcome != null && Arrays.stream(Outcome.values()).noneMatch(o -> o.name().equals(outcome))) {
            errors.add(new Problem.FieldError("outcome", "must be one of " + Arrays.toString(Outcome.values())));
        }
        int limit = DEFAULT_LIMIT;
        String limitText = params.getFirst("limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
                if (limit < 1 || limit > MAX_LIMIT) {
                    errors.add(new Problem.FieldError("limit", "must be from 1 to " + MAX_LIMIT));
                }
            } catch (NumberFormatException e) {
                errors.add(new Problem.FieldError("limit", "must be a whole number from 1 to " + MAX_LIMIT));
            }
        }
        DecisionQuery.Cursor cursor = null;
        String cursorText = params.getFirst("cursor");
        if (cursorText != null) {
            try {
                cursor = DecisionQuery.Cursor.decode(cursorText);
                if (cursor.evaluatedAt().isBefore(EARLIEST) || cursor.evaluatedAt().isAfter(LATEST)) {
                    throw new IllegalArgumentException("out of range");
                }
            } catch (RuntimeException e) {
                errors.add(new Problem.FieldError("cursor", "is not a cursor from a previous page's nextCursor"));
            }
        }
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new Problem.FieldError("to", "must be after from"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new DecisionQuery(from, to, outcome, limit, cursor);
    }

    private static Instant instant(String text, String name, List<Problem.FieldError> errors) {
        if (text == null) {
            return null;
        }
        try {
            Instant at = Instant.parse(text);
            if (at.isBefore(EARLIEST) || at.isAfter(LATEST)) {
                errors.add(new Problem.FieldError(name, "must be between 1970 and 9999"));
                return null;
            }
            return at;
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(name, "must be an ISO-8601 instant in UTC, such as 2026-11-26T09:00:00Z"));
            return null;
        }
    }

}
