package org.massagetriage.api;

import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Parses a request body into a JSON tree with no leniency: duplicate keys, trailing content and
 * oversized documents are errors, reported against a field path ({@code $} for the body).
 *
 * <p>Jackson's own messages never reach a client: they name its classes and switches
 * ({@code JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS}, {@code StreamReadConstraints}) and suggest
 * enabling leniency the contract forbids. Each kind of error is told in plain words with its line
 * and column instead; a kind not recognised below still gets its position and a generic text.
 */
final class StrictJson {

    static final String BODY = "$";
    static final int MAX_DEPTH = 16;
    static final int MAX_NUMBER_LENGTH = 100;

    /** A valid triage request nests two levels and is well under 2 KB; the HTTP body limit (64 KiB by default) applies first. */
    static final StrictJson TRIAGE = new StrictJson(1_000, 64 * 1024);

    private final ObjectMapper mapper;
    private final int maxStringLength;
    private final long maxDocumentLength;

    /**
     * @param maxStringLength   longest string value, in characters
     * @param maxDocumentLength longest body, in bytes (the HTTP limit normally refuses it before)
     */
    StrictJson(int maxStringLength, long maxDocumentLength) {
        this.maxStringLength = maxStringLength;
        this.maxDocumentLength = maxDocumentLength;
        this.mapper = JsonMapper.builder(JsonFactory.builder()
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxNestingDepth(MAX_DEPTH).maxStringLength(maxStringLength).maxNumberLength(MAX_NUMBER_LENGTH)
                                .maxDocumentLength(maxDocumentLength).build())
                        .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }

    /** The parsed tree, or null after reporting why not. */
    JsonNode parse(byte[] body, BiConsumer<String, String> errors) {
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
            errors.accept(BODY, "the request body exceeds a limit: " + exceeded(e.getOriginalMessage()));
        } catch (JsonParseException e) {
            String duplicate = duplicateField(e);
            if (duplicate != null) {
                errors.accept(duplicate, "the field appears more than once; send each field once");
            } else {
                errors.accept(BODY, "malformed JSON" + at(e.getLocation()) + ": " + malformed(e));
            }
        } catch (MismatchedInputException e) {
            // Raised for content after the object.
            errors.accept(BODY, "malformed JSON" + at(e.getLocation()) + ": unexpected content after the JSON object");
        } catch (JsonProcessingException e) {
            errors.accept(BODY, "malformed JSON" + at(e.getLocation()) + ": " + GENERIC);
        } catch (IOException e) {
            errors.accept(BODY, "the request body cannot be read as UTF-8 JSON");
        }
        return null;
    }

    private record Kind(String marker, String plain) {
    }

    static final String GENERIC = "not valid JSON here";

    /**
     * Recognised by a fragment of Jackson's message (first match wins, so the more specific come
     * first). Jackson's wording may change between versions; then an error falls through to
     * {@link #GENERIC}, still with its position, and StrictJsonTests says which fragment stopped matching.
     */
    private static final List<Kind> KINDS = List.of(
            new Kind("Invalid UTF-8", "the body is not valid UTF-8"),
            new Kind("Leading zeroes not allowed", "a number must not start with 0 (write 7, not 07)"),
            new Kind("Non-standard token", "NaN and Infinity are not JSON numbers; send a number"),
            new Kind("plus signs", "a number must not start with +"),
            new Kind("(''' (code 39))", "strings and field names must be in double quotes, not single quotes"),
            new Kind("comment", "comments are not allowed in JSON"),
            new Kind("Illegal unquoted character", "a control character (such as a line break or tab) inside a string must be"
                    + " escaped, for example \\n"),
            new Kind("escape", "a string contains an invalid escape sequence"),
            new Kind("in numeric value", "malformed number"),
            new Kind("to start field name", "expected a field name in double quotes"),
            new Kind("expecting a colon", "expected ':' after the field name"),
            new Kind("expecting comma", "expected ',' between entries"),
            new Kind("Unrecognized token", "unknown word; a value is a string in double quotes, a number, true, false, null,"
                    + " an object or an array"),
            new Kind("close marker", "a closing bracket or brace does not match what was opened"),
            new Kind("Unexpected character", "unexpected character"));

    private static String malformed(JsonParseException e) {
        if (e instanceof JsonEOFException) {
            return "the body ends before the JSON is complete (an unclosed string, object or array)";
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        for (Kind k : KINDS) {
            if (message.contains(k.marker())) {
                return k.plain();
            }
        }
        return GENERIC;
    }

    private String exceeded(String message) {
        String m = message == null ? "" : message;
        if (m.contains("nesting depth")) {
            return "nested more than " + MAX_DEPTH + " levels deep";
        }
        if (m.contains("String value length")) {
            return "a string is longer than " + maxStringLength + " characters";
        }
        if (m.contains("Number value length")) {
            return "a number is longer than " + MAX_NUMBER_LENGTH + " digits";
        }
        if (m.contains("Document length")) {
            return "the body is longer than " + maxDocumentLength + " bytes";
        }
        return "the body is too large or too complex";
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
