package org.massagetriage.api;

import java.io.IOException;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Parses a request body into a JSON tree with no leniency: duplicate keys, trailing content and
 * oversized documents are errors, reported against a field path ({@code $} for the body).
 */
final class StrictJson {

    static final String BODY = "$";

    /** A valid triage request is well under 2 KB; the HTTP body limit (64 KiB by default) applies first. */
    private static final ObjectMapper MAPPER = mapper(16, 1_000, 64 * 1024);
    /** Rule files are long strings: the validate endpoint allows them, still bounded. */
    private static final ObjectMapper LONG_STRINGS = mapper(16, 1_000_000, 4 * 1024 * 1024);

    private StrictJson() {
    }

    private static ObjectMapper mapper(int maxDepth, int maxString, long maxDocument) {
        return JsonMapper.builder(JsonFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxNestingDepth(maxDepth).maxStringLength(maxString).maxNumberLength(100)
                                .maxDocumentLength(maxDocument).build())
                        .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    /** The parsed tree (a valid triage request nests two levels and has no long strings), or null after reporting why not. */
    static JsonNode parse(byte[] body, BiConsumer<String, String> errors) {
        return parse(MAPPER, body, errors);
    }

    static JsonNode parseAllowingLongStrings(byte[] body, BiConsumer<String, String> errors) {
        return parse(LONG_STRINGS, body, errors);
    }

    private static JsonNode parse(ObjectMapper mapper, byte[] body, BiConsumer<String, String> errors) {
        if (body == null || isBlank(body)) {
            errors.accept(BODY, "the request body is empty; send a JSON object");
            return null;
        }
        try {
            JsonNode root = mapper.readTree(body);
            if (root == null || root.isMissingNode()) {
                errors.accept(BODY, "the request body is empty; send a JSON object");
                return null;
            }
            return root;
        } catch (StreamConstraintsException e) {
            errors.accept(BODY, "the request body exceeds a limit: " + e.getOriginalMessage());
        } catch (JsonParseException e) {
            String duplicate = duplicateField(e);
            if (duplicate != null) {
                errors.accept(duplicate, "the field appears more than once; send each field once");
            } else {
                errors.accept(BODY, "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
            }
        } catch (MismatchedInputException e) {
            // Raised for content after the object; Jackson's own text names internal classes.
            errors.accept(BODY, "malformed JSON" + at(e.getLocation()) + ": unexpected content after the JSON object");
        } catch (JsonProcessingException e) {
            errors.accept(BODY, "malformed JSON" + at(e.getLocation()));
        } catch (IOException e) {
            errors.accept(BODY, "the request body cannot be read as UTF-8 JSON");
        }
        return null;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    /** The path of a duplicated key, or null when the parse error is of another kind. */
    private static String duplicateField(JsonParseException e) {
        String prefix = "Duplicate field '";
        String msg = e.getOriginalMessage();
        if (msg == null || !msg.startsWith(prefix)) {
            return null;
        }
        String name = msg.substring(prefix.length(), msg.indexOf('\'', prefix.length()));
        JsonParser p = e.getProcessor();
        if (p != null && p.getParsingContext() != null && p.getParsingContext().getParent() != null) {
            String parent = pointerToPath(p.getParsingContext().getParent().pathAsPointer().toString());
            return parent.isEmpty() ? name : parent + "." + name;
        }
        return name;
    }

    private static String pointerToPath(String pointer) {
        StringBuilder out = new StringBuilder();
        for (String part : pointer.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.chars().allMatch(Character::isDigit)) {
                out.append('[').append(part).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(part);
            }
        }
        return out.toString();
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
