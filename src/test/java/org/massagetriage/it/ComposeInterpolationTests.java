package org.massagetriage.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ComposeIT's interpolation against the Compose specification's table ("Interpolation"). */
class ComposeInterpolationTests {

    static final Map<String, String> VARIABLES = new HashMap<>(Map.of("SET", "value", "EMPTY", ""));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "${SET}|value", "$SET|value", "a-$SET-b|a-value-b", "${UNSET}|", "$$SET|$SET", "$${SET}|${SET}",
            "${SET:-d}|value", "${EMPTY:-d}|d", "${UNSET:-d}|d",
            "${SET-d}|value", "${EMPTY-d}|", "${UNSET-d}|d",
            "${SET:+r}|r", "${EMPTY:+r}|", "${UNSET:+r}|", "${EMPTY+r}|r", "${UNSET+r}|",
            "${UNSET:-${SET}}|value", "${UNSET:-x${UNSET:-y}z}|xyz"})
    void shouldInterpolateAsTheSpecificationSays(String input, String expected) {
        // An empty unquoted CSV value reaches the test as null, whatever emptyValue says: it means "".
        assertEquals(expected == null ? "" : expected, new ComposeInterpolation(VARIABLES).interpolate(input));
    }

    @Test
    void shouldRefuseMissingRequiredVariablesWithTheirMessage() {
        ComposeInterpolation i = new ComposeInterpolation(VARIABLES);
        assertEquals("value", i.interpolate("${SET:?needed}"));
        assertEquals("", i.interpolate("${EMPTY?needed}"));
        for (String required : List.of("${UNSET:?set it}", "${EMPTY:?set it}", "${UNSET?set it}")) {
            var e = assertThrows(ComposeInterpolation.MissingRequiredVariable.class, () -> i.interpolate(required));
            assertEquals("set it", e.getMessage().substring(e.getMessage().indexOf(": ") + 2), required);
        }
    }

    @Test
    void shouldReportVariablesUsedUnsetWithoutADefault() {
        ComposeInterpolation i = new ComposeInterpolation(VARIABLES);
        i.interpolate("${UNSET} ${UNSET_TOO:-x} $OTHER");
        assertEquals(List.of("UNSET", "OTHER"), i.unsetWithoutDefault());
    }
}
