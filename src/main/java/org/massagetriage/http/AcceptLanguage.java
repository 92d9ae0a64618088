package org.massagetriage.http;

import java.util.List;
import java.util.Locale;


/** Reads {@code Accept-Language} (RFC 9110): absent means no preference; unreadable is the client's error, named. */
public final class AcceptLanguage {

    public static final String HEADER = "Accept-Language";

    private AcceptLanguage() {
    }

    public static List<Locale.LanguageRange> ranges(String header) {
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
