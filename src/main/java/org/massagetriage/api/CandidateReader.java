package org.massagetriage.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.massagetriage.config.TriageConfig;
import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads {@code {"files": {"<relative path>": "<content>", ...}}} for the validate endpoint. Paths are
 * relative to a rules directory ({@code scenarios/x.csv}); absolute paths and {@code ..} are refused.
 */
@ApplicationScoped
public class CandidateReader {

    /** Rule files are long strings: one may be as long as the whole draft allowed (triage.rules.max-candidate-size). */
    private final StrictJson json;

    public CandidateReader(TriageConfig config) {
        long max = config.rules().maxCandidateSize().asLongValue();
        this.json = new StrictJson((int) Math.min(max, Integer.MAX_VALUE), max);
    }

    public Map<String, String> read(byte[] body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        JsonNode root = json.parse(body, (f, d) -> errors.add(new Problem.FieldError(f, d)));
        if (root == null) {
            throw new InvalidRequestException(errors);
        }
        if (!root.isObject()) {
            throw new InvalidRequestException(List.of(new Problem.FieldError(StrictJson.BODY,
                    "the request body must be a JSON object, not " + TriageRequestReader.describe(root))));
        }
        TriageRequestReader.Errors collected = new TriageRequestReader.Errors();
        TriageRequestReader.rejectUnknownFields(root, Set.of("files"), "", collected);
        JsonNode files = root.get("files");
        Map<String, String> out = new LinkedHashMap<>();
        if (files == null || !files.isObject()) {
            collected.add("files", "required: an object of file path to file content");
        } else {
            Iterator<Map.Entry<String, JsonNode>> it = files.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = e.getKey();
                String field = "files." + path;
                if (path.isBlank() || path.startsWith("/") || path.contains("\\") || List.of(path.split("/")).contains("..")) {
                    collected.add(field, "must be a relative path inside the rules directory, such as self-care.drl");
                } else if (!e.getValue().isTextual()) {
                    collected.add(field, "must be the file's content as a string");
                } else {
                    out.put(path, e.getValue().textValue());
                }
            }
        }
        if (!collected.list().isEmpty()) {
            throw new InvalidRequestException(collected.list());
        }
        return out;
    }
}
