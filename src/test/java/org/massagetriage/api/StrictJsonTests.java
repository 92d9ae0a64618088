package org.massagetriage.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.massagetriage.http.Problem;

/**
 * Every kind of malformed JSON gets a plain message with its position, never Jackson's text (which
 * names its classes and suggests enabling leniency). Pins the wording for each kind, so that a
 * Jackson upgrade that changes a message fragment shows up here as the generic text instead.
 */
class StrictJsonTests {

    /** Names that only Jackson's own messages contain. */
    static final List<String> INTERNALS = List.of("JsonReadFeature", "JsonParser", "Feature", "com.fasterxml", "StreamReadConstraints",
            "StreamReadFeature", "DeserializationFeature", "jackson", "Jackson", "code 39", "CTRL-CHAR", "REDACTED", "JsonNode",
            "token 'null'", "enable `");

    static Stream<Arguments> malformed() {
        String nested17 = "[".repeat(17) + "]".repeat(17);
        String objects17 = "{\"a\":".repeat(17) + "1" + "}".repeat(17);
        return Stream.of(
                Arguments.of("leading zero", "{\"painSeverity\": 07}",
                        "malformed JSON at line 1, column 19: a number must not start with 0 (write 7, not 07)"),
                Arguments.of("NaN", "{\"painSeverity\": NaN}",
                        "malformed JSON at line 1, column 21: NaN and Infinity are not JSON numbers; send a number"),
                Arguments.of("-Infinity", "{\"painSeverity\": -Infinity}",
                        "malformed JSON at line 1, column 27: NaN and Infinity are not JSON numbers; send a number"),
                Arguments.of("plus sign", "{\"painSeverity\": +1}",
                        "malformed JSON at line 1, column 19: a number must not start with +"),
                Arguments.of("single-quoted name", "{'trend': 'IMPROVING'}",
                        "malformed JSON at line 1, column 2: strings and field names must be in double quotes, not single quotes"),
                Arguments.of("single-quoted value", "{\"trend\": 'IMPROVING'}",
                        "malformed JSON at line 1, column 11: strings and field names must be in double quotes, not single quotes"),
                Arguments.of("block comment", "{/* x */ \"trend\": \"IMPROVING\"}",
                        "malformed JSON at line 1, column 2: comments are not allowed in JSON"),
                Arguments.of("line comment", "{\"trend\": \"IMPROVING\" // x\n}",
                        "malformed JSON at line 1, column 23: comments are not allowed in JSON"),
                Arguments.of("newline in a string", "{\"trend\": \"IMPRO\nVING\"}",
                        "malformed JSON at line 1, column 17: a control character (such as a line break or tab) inside a string"
                                + " must be escaped, for example \\n"),
                Arguments.of("NUL in a string", "{\"trend\": \"IMPRO\u0000VING\"}",
                        "malformed JSON at line 1, column 17: a control character (such as a line break or tab) inside a string"
                                + " must be escaped, for example \\n"),
                Arguments.of("bad escape", "{\"trend\": \"\\x\"}",
                        "malformed JSON at line 1, column 13: a string contains an invalid escape sequence"),
                Arguments.of("short unicode escape", "{\"trend\": \"\\u12\"}",
                        "malformed JSON at line 1, column 16: a string contains an invalid escape sequence"),
                Arguments.of("decimal point without digits", "{\"painSeverity\": 1.}",
                        "malformed JSON at line 1, column 20: malformed number"),
                Arguments.of("unquoted field name", "{trend: \"IMPROVING\"}",
                        "malformed JSON at line 1, column 2: expected a field name in double quotes"),
                Arguments.of("trailing comma", "{\"trend\": \"IMPROVING\",}",
                        "malformed JSON at line 1, column 23: expected a field name in double quotes"),
                Arguments.of("missing colon", "{\"trend\" \"IMPROVING\"}",
                        "malformed JSON at line 1, column 10: expected ':' after the field name"),
                Arguments.of("missing comma", "{\"painSeverity\": 1 \"trend\": \"IMPROVING\"}",
                        "malformed JSON at line 1, column 20: expected ',' between entries"),
                Arguments.of("bare word", "hello",
                        "malformed JSON at line 1, column 1: unknown word; a value is a string in double quotes, a number, true,"
                                + " false, null, an object or an array"),
                Arguments.of("mismatched bracket", "{\"symptoms\": [\"FAINTING\"}",
                        "malformed JSON at line 1, column 25: a closing bracket or brace does not match what was opened"),
                Arguments.of("leading decimal point", "{\"painSeverity\": .5}",
                        "malformed JSON at line 1, column 18: unexpected character"),
                Arguments.of("unclosed object", "{\"trend\": ",
                        "malformed JSON at line 1, column 11: the body ends before the JSON is complete (an unclosed string, object or array)"),
                Arguments.of("content after the object", "{} {}",
                        "malformed JSON at line 1, column 4: unexpected content after the JSON object"),
                Arguments.of("17 nested arrays", nested17, "the request body exceeds a limit: nested more than 16 levels deep"),
                Arguments.of("17 nested objects", objects17, "the request body exceeds a limit: nested more than 16 levels deep"),
                Arguments.of("long string", "{\"trend\": \"" + "x".repeat(1_001) + "\"}",
                        "the request body exceeds a limit: a string is longer than 1000 characters"),
                Arguments.of("long number", "{\"painSeverity\": " + "9".repeat(101) + "}",
                        "the request body exceeds a limit: a number is longer than 100 digits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldDescribeMalformedJsonInPlainWordsWithItsPosition(String name, String body, String expected) {
        assertEquals(List.of(new Problem.FieldError("$", expected)), errors(StrictJson.TRIAGE, body.getBytes(StandardCharsets.UTF_8)));
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of(
                Arguments.of("0xFF", new byte[] {'{', '"', 't', 'r', 'e', 'n', 'd', '"', ':', '"', (byte) 0xff, '"', '}'}, 12),
                Arguments.of("bad middle byte", new byte[] {'{', '"', 't', 'r', 'e', 'n', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 13),
                Arguments.of("lone continuation byte", new byte[] {'{', '"', (byte) 0x80, '"', ':', '1', '}'}, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidUtf8")
    void shouldRefuseInvalidUtf8InPlainWords(String name, byte[] body, int column) {
        assertEquals(List.of(new Problem.FieldError("$", "malformed JSON at line 1, column " + column + ": the body is not valid UTF-8")),
                errors(StrictJson.TRIAGE, body));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void shouldNeverNameJacksonInternals(String name, String body, String expected) {
        String detail = errors(StrictJson.TRIAGE, body.getBytes(StandardCharsets.UTF_8)).get(0).detail();
        for (String internal : INTERNALS) {
            assertEquals(-1, detail.indexOf(internal), () -> name + " names " + internal + ": " + detail);
        }
    }

    static List<Problem.FieldError> errors(StrictJson json, byte[] body) {
        List<Problem.FieldError> errors = new ArrayList<>();
        assertNull(json.parse(body, (f, d) -> errors.add(new Problem.FieldError(f, d))));
        return errors;
    }
}
