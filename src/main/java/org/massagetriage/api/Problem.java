package org.massagetriage.api;

import java.util.List;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code errors} names each offending
 * request field ({@code $} is the body as a whole); it is empty for errors that concern no field.
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String INVALID_REQUEST_TYPE = "urn:massage-triage:problem:invalid-request";

    /** @param field a path such as {@code painSeverity}, {@code symptoms[2]} or {@code history.recentSurgery} */
    public record FieldError(String field, String detail) {
    }
}
