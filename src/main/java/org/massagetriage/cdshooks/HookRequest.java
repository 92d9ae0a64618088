package org.massagetriage.cdshooks;

import java.net.URI;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An {@code appointment-book} hook call as this service uses it, read strictly by {@link HookRequestReader}.
 * The patient id is used to look the check-in up and to check that a prefetched one is this patient's;
 * it is never recorded (a decision record holds no patient identifier).
 *
 * @param hookInstance the client's id of this call: a retry of the same call is answered with the same card
 * @param prefetched   whether the client sent {@code prefetch.checkIn} with data in it (a null value or an
 *                     OperationOutcome means it could not fetch it, as the spec allows)
 * @param checkIn      the prefetched Bundle or QuestionnaireResponse, or null
 * @param fhirServer   where to fetch the check-in when it was not prefetched, or null
 * @param accessToken  the bearer token for {@code fhirServer} only; never logged, stored or sent elsewhere
 */
record HookRequest(UUID hookInstance, String userId, String patientId, boolean prefetched, JsonNode checkIn,
                   URI fhirServer, String accessToken) {

    @Override
    public String toString() {
        // A record's default toString would print the access token into any log line that names the request.
        return "HookRequest[hookInstance=" + hookInstance + ", prefetched=" + prefetched + ", fhirServer=" + fhirServer + "]";
    }
}
