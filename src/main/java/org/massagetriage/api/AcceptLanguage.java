package org.massagetriage.api;

import java.util.List;
import java.util.Locale;

import org.massagetriage.http.InvalidRequestException;
import org.massagetriage.http.Problem;

/** Reads {@code Accept-Language} (RFC 9110): absent means no preference; unreadable is the client's error, named. */
final class AcceptLanguage {

    static final String HEADER = "Accept-Language";

    private AcceptLanguage() {
    }

    static List<Locale.LanguageRange> ranges(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        try {
            return Locale.LanguageRange.parse(header);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(List.of(new Problem.FieldError(HEADER,
                    "not a list of language ranges, such as en or de-CH, fr;q=0.8")));
        }
    }
}
