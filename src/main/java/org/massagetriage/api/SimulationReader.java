package org.massagetriage.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.facts.Presentation;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads {@code POST /api/v1/rules/simulate}: {@code {"facts": {...}, "version": "sha256:..."}}, the
 * facts exactly as a triage request (same strict reader; errors name {@code facts.<field>}), the
 * version optional.
 */
@ApplicationScoped
public class SimulationReader {

    static final Pattern VERSION = Pattern.compile("sha256:[0-9a-f]{16}");

    private final TriageRequestReader facts;

    public SimulationReader(TriageRequestReader facts) {
        this.facts = facts;
    }

    public record Read(Presentation facts, String version) {
    }

    public Read read(byte[] body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        JsonNode root = StrictJson.TRIAGE.parse(body, (field, detail) -> errors.add(new Problem.FieldError(field, detail)));
        if (root == null) {
            throw new InvalidRequestException(errors);
        }
        if (!root.isObject()) {
            throw new InvalidRequestException(List.of(new Problem.FieldError(StrictJson.BODY,
                    "the request body must be a JSON object: {\"facts\": {...}, \"version\": \"sha256:...\"}")));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("facts") && !name.equals("version")) {
                errors.add(new Problem.FieldError(name, "unknown field; send facts and, optionally, version"));
            }
        }
        JsonNode version = root.get("version");
        String v = null;
        if (version != null && !version.isNull()) {
            if (!version.isTextual() || !VERSION.matcher(version.textValue()).matches()) {
                errors.add(new Problem.FieldError("version", "a rule-set version such as sha256:3120fa59da0a155b,"
                        + " or leave it out for the active rules"));
            } else {
                v = version.textValue();
            }
        }
        JsonNode f = root.get("facts");
        Presentation presentation = null;
        if (f == null || !f.isObject()) {
            errors.add(new Problem.FieldError("facts", "an object with the facts of a triage request ({} when none is known)"));
        } else {
            try {
                presentation = facts.read(f.toString().getBytes(StandardCharsets.UTF_8)).facts();
            } catch (InvalidRequestException e) {
                e.errors().forEach(err -> errors.add(new Problem.FieldError(
                        StrictJson.BODY.equals(err.field()) ? "facts" : "facts." + err.field(), err.detail())));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return new Read(presentation, v);
    }
}
