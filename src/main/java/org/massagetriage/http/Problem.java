package org.massagetriage.http;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An RFC 9457 problem body ({@code application/problem+json}). {@code errors} names each offending
 * request field ({@code $} is the body as a whole); it is empty for errors that concern no field.
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String INVALID_REQUEST_TYPE = "urn:massage-triage:problem:invalid-request";

    /** This problem as a JSON body, for answers written outside JAX-RS (route filters, the auth challenge). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem always serializes", e);
        }
    }

    /** @param field a path such as {@code painSeverity}, {@code symptoms[2]} or {@code history.recentSurgery} */
    public record FieldError(String field, String detail) {
    }
}
