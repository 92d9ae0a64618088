package org.massagetriage.cdshooks;

/**
 * A hook call refused in the CDS Hooks front door's own words (its fields are the hook request's, not
 * the v1 API's headers): 422 for a reused hookInstance, 503 where no card can be recorded.
 *
 * @param field the hook request's field at fault, or null
 */
class CdsCallRefusedException extends RuntimeException {

    final int status;
    final String field;

    CdsCallRefusedException(int status, String field, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.field = field;
    }
}
