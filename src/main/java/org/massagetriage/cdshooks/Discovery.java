package org.massagetriage.cdshooks;

import java.util.List;
import java.util.Map;

/** The CDS Hooks 2.0 discovery document ({@code GET /cds-services}). */
public record Discovery(List<Service> services) {

    public record Service(String hook, String id, String title, String description, Map<String, String> prefetch,
                          String usageRequirements) {
    }

    static final String SERVICE_ID = "post-massage-soreness-triage";

    static Discovery of() {
        return new Discovery(List.of(new Service(HookRequestReader.HOOK, SERVICE_ID, "Post-massage soreness triage",
                "When a patient's next massage is booked, decides on their latest post-massage check-in (the FHIR"
                        + " Questionnaire " + org.massagetriage.fhir.CheckInQuestionnaire.QUESTIONNAIRE_URL + ") whether to book,"
                        + " to have the therapist call first, or to send the patient elsewhere, with the reasons and the"
                        + " clinical sources behind them.",
                Map.of(HookRequestReader.PREFETCH_KEY, CheckInLookup.searchTemplate()),
                "Sign each call with a JWT from a key this service trusts (triage.cds.clients). Without the prefetch,"
                        + " give fhirServer and fhirAuthorization so the check-in can be fetched.")));
    }
}
