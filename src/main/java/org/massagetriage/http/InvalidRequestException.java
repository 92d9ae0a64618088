package org.massagetriage.http;

import java.util.List;

/** The client's request cannot be decided on; every offending field is named. Mapped to 400. */
public class InvalidRequestException extends RuntimeException {

    private final transient List<Problem.FieldError> errors;

    public InvalidRequestException(List<Problem.FieldError> errors) {
        super("invalid request: " + errors.size() + " error(s)");
        this.errors = List.copyOf(errors);
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
