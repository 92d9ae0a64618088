package org.massagetriage.cdshooks;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * What the CDS Hooks readers share: a JSON tree read with duplicate keys and trailing content refused
 * (either could make one reader see what another ignores), and unknown fields named, not dropped.
 */
final class StrictJson {

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private StrictJson() {
    }

    /** The body as a JSON object; anything else is a 400 on {@code $}, saying what {@code expected} is. */
    static JsonNode object(byte[] body, String expected) {
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw invalid("$", "is not JSON: " + message);
        } catch (IOException e) {
            throw invalid("$", "is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw invalid("$", "must be a JSON object (" + expected + ")");
        }
        return root;
    }

    /** Each field of {@code object} that is not {@code known} is an error at {@code prefix + name}. */
    static void unknownFields(JsonNode object, Set<String> known, String prefix, String of, List<Problem.FieldError> errors) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                errors.add(new Problem.FieldError(prefix + name, "is not a field of " + of + "; known: "
                        + known.stream().sorted().toList()));
            }
        }
    }

    static InvalidRequestException invalid(String field, String detail) {
        return new InvalidRequestException(List.of(new Problem.FieldError(field, detail)));
    }
}
