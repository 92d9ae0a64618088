package org.massagetriage.cdshooks;

/**
 * The check-in could be neither taken from the prefetch nor fetched from the client's FHIR server.
 * Answered 412, the code CDS Hooks 2.0 gives a service that cannot get the FHIR data it needs. The
 * message says what failed in words fit for the client's log: never a token, never a patient's data.
 */
class CheckInUnavailableException extends RuntimeException {

    CheckInUnavailableException(String message) {
        super(message);
    }
}
